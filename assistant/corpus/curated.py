"""The corpus's curated tables (company profiles, the glossary, the lexicon, the name table) as one
load reads them: from the live build's compiled copy when it still holds, else parsed and validated.

Parsing their YAML and validating it (pydantic for profiles and the glossary) took about 40 ms of
every start: most of what a shell `assistant ask` spent above its core imports on loading (issue 20,
point 17). A build therefore also writes what it read, validated, as plain JSON data (`tables.json`
in the build folder, listed in its manifest: index/tables.py). A load uses a file's entry only when

- the file's bytes hash (SHA-256) to what the build read, and
- the code that turns a file into its table is the code that made the copy (CODE_FILES hash to the
  copy's `code`): a changed schema or normalisation is never served from an older build;

anything else — no copy, a damaged or stale one, an entry that does not convert back — is read from
the YAML and checked as before. Validation stays in one place, the loaders'; an entry is only
converted back to the records it was made from (each loader's `from_plain`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

# The build folder's file, and the version of its layout (bump when `compiled()` changes shape).
TABLES_FILE = "tables.json"
TABLES_FORMAT = 1
# Every module that decides what a file's table is (reading, validating, normalising, converting),
# relative to the package: a change in any of them makes an older copy unusable.
CODE_FILES = (
    "corpus/curated.py",
    "corpus/yamlfile.py",
    "corpus/companies.py",
    "corpus/profile_schema.py",
    "corpus/profile_fields.py",
    "language/glossary.py",
    "language/glossary_schema.py",
    "language/lexicon.py",
    "language/names.py",
    "text.py",
)
# What reading a damaged entry back can raise (a missing key, a list where a mapping was).
_DAMAGED = (KeyError, TypeError, ValueError, AttributeError, IndexError)

T = TypeVar("T")


@cache
def code_stamp() -> str:
    """SHA-256 of the table format and CODE_FILES' source ("" when a file cannot be read, which no copy
    matches). Made once per process: about 0.1 ms."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"tables {TABLES_FORMAT}".encode())
    try:
        for rel in CODE_FILES:
            h.update(rel.encode() + b"\0" + (package / rel).read_bytes())
    except OSError:
        return ""
    return h.hexdigest()


def usable_entries(document: Any) -> dict[str, Any]:
    """The entries of a `tables.json` document when this code made it, else none."""
    if not isinstance(document, dict) or document.get("format") != TABLES_FORMAT:
        return {}
    if not code_stamp() or document.get("code") != code_stamp():
        return {}
    tables = document.get("tables")
    return tables if isinstance(tables, dict) else {}


class CuratedTables:
    """One load's reading of the curated tables; it remembers what it read, for the build to write.

    `compiled`: the entries of the live build's copy (index/tables.py: `compiled_tables`), by the
    file's path relative to the corpus folder."""

    def __init__(self, corpus_dir: str | Path = ".", compiled: Mapping[str, Any] | None = None):
        self._corpus = Path(corpus_dir)
        self._compiled = compiled or {}
        self._read: dict[str, tuple[str, Any, Callable[[Any], Any]]] = {}
        self.from_copy = 0  # how many tables came from the copy (the tests read it)

    def read(
        self,
        path: Path,
        raw: bytes,
        parse: Callable[[], T],
        to_plain: Callable[[T], Any],
        from_plain: Callable[[Any], T],
    ) -> T:
        """The table of the file at `path`, whose bytes are `raw`: `from_plain` of the copy's entry
        when the copy holds these bytes, else `parse()` (the YAML parsed and validated, raising the
        loader's errors). `to_plain` is what the build will write of it."""
        key = self._key(path)
        digest = hashlib.sha256(raw).hexdigest()
        table = self._from_copy(key, digest, from_plain)
        if table is None:
            table = parse()
        else:
            self.from_copy += 1
        self._read[key] = (digest, table, to_plain)
        return table

    def compiled(self) -> dict[str, Any]:
        """What this load read, as the build's `tables.json` holds it."""
        return {
            "format": TABLES_FORMAT,
            "code": code_stamp(),
            "tables": {
                key: {"sha256": digest, "data": to_plain(table)}
                for key, (digest, table, to_plain) in sorted(self._read.items())
            },
        }

    def _key(self, path: Path) -> str:
        try:
            return Path(path).relative_to(self._corpus).as_posix()
        except ValueError:  # a table read from elsewhere (a test's file): known by its whole path
            return str(path)

    def _from_copy(self, key: str, digest: str, from_plain: Callable[[Any], T]) -> T | None:
        entry = self._compiled.get(key)
        if not isinstance(entry, dict) or entry.get("sha256") != digest:
            return None
        try:
            return from_plain(entry["data"])
        except _DAMAGED:  # an entry that does not convert back: the YAML is read instead
            return None
