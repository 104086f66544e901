"""The one way this project reads YAML: company profiles, the glossary, article sidecars, front matter.

YAML lets a file name a value (`&a`) and repeat it (`*a`). Nine lines that each repeat the one
before nine times name a billion strings ("billion laughs"); PyYAML's safe loader builds them as
shared references, so the load looks harmless until a value is turned into text — then it expands
until memory runs out (a bomb in a profile fact or a `.meta.yaml` title was killed at 4 GB after
37 s). No file here needs the feature, so an anchor or alias is refused while the document is
being composed, before any value is built or converted. So are nesting deeper than any file here
needs (the pure-Python composer recurses once per level) and files over a size cap. Every refusal
is a `yaml.YAMLError` with a one-line message and the line and column, so the callers' existing
"not valid YAML" handling reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .files import file_problem

# The largest YAML file in the built-in corpus is the 10 KB glossary (a profile is 3–6 KB, a sidecar
# 0.2 KB); 256 KB is 25 times that, room for a glossary of thousands of terms. It also bounds the
# worst case without aliases: 256 KB of one-character list items (the most nodes that size holds)
# loaded in 1.4 s and 50 MB on the 2-core machine; 1 MB of them took 7.8 s and 160 MB.
MAX_YAML_BYTES = 256 * 2**10
# Profiles nest three levels (profile → facts → fact); front matter and sidecars one.
MAX_DEPTH = 20


class YamlRefused(yaml.MarkedYAMLError):
    """A YAML feature or shape this project does not accept (anchors, aliases, deep nesting, size)."""

    def __str__(self) -> str:  # one line: the problem and where it is
        mark = self.problem_mark
        return (
            f"{self.problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else str(self.problem)
        )


class _Loader(yaml.SafeLoader):
    """The safe loader (plain data only), refusing anchors, aliases and deep nesting while composing."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        _refuse_shared_values(event)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlRefused(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """Parse one YAML document of plain data (what `yaml.safe_load` gives), refusing anchors, aliases,
    nesting deeper than MAX_DEPTH and text over MAX_YAML_BYTES. Raises yaml.YAMLError, one-line message."""
    if len(text) > MAX_YAML_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise YamlRefused(problem=f"over {MAX_YAML_BYTES // 2**10} KB, the limit for a YAML file")
    try:
        if _CLoader is None:  # PyYAML without libyaml: the pure-Python loader checks while composing
            loader = _Loader(text)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
        _check_events(text)
        return yaml.load(text, Loader=_CLoader)  # noqa: S506 - a safe loader (plain data), checked above
    except (ValueError, OverflowError, RecursionError) as exc:
        # A value the constructor cannot make (an integer of 5,000 digits, 2025-13-45 as a date).
        raise YamlRefused(
            problem=f"a value cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None


# libyaml's safe loader: the same data, about 6x faster than the pure-Python one (0.23 s → 0.035 s
# for the built-in corpus's tables and profiles, read at every start: issue 20's shell ask).
_CLoader = getattr(yaml, "CSafeLoader", None)


def _refuse_shared_values(event) -> None:
    """YamlRefused for an alias or an anchor: how a YAML bomb repeats its values."""
    if isinstance(event, yaml.AliasEvent):
        raise YamlRefused(
            problem=f"aliases (*{event.anchor}) are not allowed: write the value out",
            problem_mark=event.start_mark,
        )
    if getattr(event, "anchor", None) is not None:
        raise YamlRefused(
            problem=f"anchors (&{event.anchor}) are not allowed: write the value out",
            problem_mark=event.start_mark,
        )


def _check_events(text: str) -> None:
    """What `_Loader` refuses while composing, checked on libyaml's events before anything is built:
    anchors, aliases and nesting deeper than MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        _refuse_shared_values(event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlRefused(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class FileRefused(OSError):
    """A corpus file that may not be read (outside the corpus, not a regular file, too big)."""

    def __str__(self) -> str:  # the reason alone, not "[Errno 0] …"
        return str(self.strerror)


def read_yaml(path: Path, root: str) -> Any:
    """Read and parse a YAML file of the corpus whose real folder is `root` (files.real_root).

    Checked before anything is read: the file's real path is inside the corpus, it is a regular
    file, at most MAX_YAML_BYTES. Raises OSError (with the reason as its strerror) for a file that
    may not be read (FileRefused), UnicodeDecodeError for one that is not UTF-8, yaml.YAMLError for bad YAML.
    """
    return parse_yaml_bytes(read_yaml_bytes(path, root))


def read_yaml_bytes(path: Path, root: str) -> bytes:
    """The bytes of a YAML file of the corpus, checked as `read_yaml` checks them before reading:
    inside `root`, a regular file, at most MAX_YAML_BYTES. Raises OSError (FileRefused) otherwise."""
    problem = file_problem(path, root, MAX_YAML_BYTES)
    if problem:
        raise FileRefused(0, problem)
    with open(path, "rb") as f:
        raw = f.read(MAX_YAML_BYTES + 1)  # the file may have grown since it was checked
    if len(raw) > MAX_YAML_BYTES:
        raise FileRefused(0, f"over {MAX_YAML_BYTES // 2**10} KB, the limit for a YAML file")
    return raw


def parse_yaml_bytes(raw: bytes) -> Any:
    """`read_yaml_bytes`'s bytes parsed (UTF-8, a byte-order mark allowed). Raises UnicodeDecodeError
    or yaml.YAMLError."""
    return load_yaml(raw.decode("utf-8-sig"))


def read_table(path: Path, what: str) -> Any:
    """A curated table of the corpus (lexicon, name table …) read like every YAML here, or None when the
    file is not there; anything unreadable stops the load with one line naming `what` and the file."""
    raw = table_bytes(path, what)
    return None if raw is None else parse_table(path, raw, what)


def table_bytes(path: Path, what: str) -> bytes | None:
    """`read_table`'s first half: the file's bytes, or None when it is not there."""
    from .files import real_root

    if not path.exists():
        return None
    try:
        # refuses big files, and files whose real path is outside the corpus
        return read_yaml_bytes(path, real_root(path.parent))
    except OSError as exc:
        raise _unreadable(path, what, exc) from None


def parse_table(path: Path, raw: bytes, what: str) -> Any:
    """`read_table`'s second half: the bytes parsed (refusing anchors and aliases: YAML bombs)."""
    try:
        return parse_yaml_bytes(raw)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _unreadable(path, what, exc) from None


def _unreadable(path: Path, what: str, exc: Exception):
    from ..errors import AssistantError

    return AssistantError(f"{what} {path}: not valid YAML ({str(exc).splitlines()[0]})")
