"""Company profiles (curated YAML in corpus/companies/): the records, and loading them checked.

Profiles are data a user edits, so loading validates them and names the file, the field and the
problem. Every fact carries the id of the article passage it was taken from: answers built from
a fact cite that passage, never the profile alone. Finding a company by one of its names is
company_directory.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import AssistantError
from .curated import CuratedTables
from .files import real_root
from .profile_fields import FIELD_LABELS
from .profile_fields import FIELDS as FIELDS  # the fields, where they were always imported from
from .yamlfile import parse_yaml_bytes, read_yaml_bytes


@dataclass(frozen=True)
class Fact:
    field: str
    zh: str
    en: str
    source: str  # article passage id
    value: float | str | None = None
    year: int | None = None


@dataclass(frozen=True)
class CompanyProfile:
    id: str
    name_zh: str
    name_en: str
    full_names: tuple[str, ...]
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    facts: tuple[Fact, ...]
    path: str = ""
    # Found in the articles (corpus/entities.py), not curated: no facts, an English name that is a
    # transliteration.
    discovered: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the company goes by, primary names first."""
        seen: dict[str, None] = {}
        for n in (self.name_zh, self.name_en, *self.full_names, *self.aliases):
            if n and n.strip():
                seen.setdefault(n.strip(), None)
        return tuple(seen)

    def display(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh

    def facts_for(self, field_name: str) -> list[Fact]:
        return [f for f in self.facts if f.field == field_name]

    def profile_text(self) -> str:
        """The profile as one passage for the dense index: both languages, so either kind of
        question finds it."""
        zh = ";".join(f"{FIELD_LABELS[f.field][0]}:{f.zh}" for f in self.facts)
        en = "; ".join(f"{FIELD_LABELS[f.field][1]}: {f.en}" for f in self.facts)
        names = "、".join(self.names)
        return f"{self.name_zh}({self.name_en};{names})。{zh}。{self.name_en}: {en}."

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "full_names": list(self.full_names),
            "aliases": list(self.aliases),
            "sources": list(self.sources),
            "facts": [f.__dict__ for f in self.facts],
        }


@dataclass
class CompanyMatch:
    company_id: str
    name_zh: str
    name_en: str
    aliases: list[str]
    score: float
    profile: CompanyProfile
    passages: list = field(default_factory=list)  # list[Citation], document order

    def to_json(self) -> dict:
        return {
            "company_id": self.company_id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "aliases": self.aliases,
            "score": round(self.score, 4),
            "profile": self.profile.to_json(),
            "passages": [c.to_json() for c in self.passages],
        }


def profile_files(corpus_dir: Path) -> list[Path]:
    root = Path(corpus_dir) / "companies"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file())


def load_profiles(corpus_dir: Path, tables: CuratedTables | None = None) -> list[CompanyProfile]:
    """All profiles of a corpus; a malformed one stops the load with the file, field and problem.
    `tables`: the load's reading of the curated tables (corpus/curated.py), to use the build's copy."""
    root = real_root(corpus_dir)
    tables = tables or CuratedTables(corpus_dir)
    profiles = [load_profile(p, root, tables) for p in profile_files(corpus_dir)]
    seen: dict[str, str] = {}
    for p in profiles:
        if p.id in seen:
            raise AssistantError(f"{p.path}: field 'id': {p.id!r} is already used by {seen[p.id]}")
        seen[p.id] = p.path
    return profiles


def load_profile(path: Path, root: str | None = None, tables: CuratedTables | None = None) -> CompanyProfile:
    """One profile file, checked against `ProfileFile` (profile_schema.py) unless `tables` holds it as
    the build validated it; `root` is the corpus folder's real path (a profile is read only from
    inside it), by default the folder above companies/."""
    try:
        # Only files inside the corpus, within the size limit.
        raw = read_yaml_bytes(path, root or real_root(Path(path).parent.parent))
    except OSError as exc:
        raise AssistantError(f"company profile {path}: cannot be read ({exc.strerror or exc})") from None
    return (tables or CuratedTables()).read(
        Path(path),
        raw,
        lambda: _validated(path, raw),
        CompanyProfile.to_json,
        lambda plain: _from_plain(plain, path),
    )


def _validated(path: Path, raw: bytes) -> CompanyProfile:
    """The profile file's bytes parsed and checked; a problem stops the load naming file and field."""
    from pydantic import ValidationError

    from .profile_schema import ProfileFile, first_problem

    try:
        data = parse_yaml_bytes(raw)  # one loader for every YAML: refuses anchors/aliases (YAML bombs)
    except UnicodeDecodeError as exc:
        raise AssistantError(f"company profile {path}: not valid UTF-8 (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise AssistantError(f"company profile {path}: not valid YAML/JSON: {_yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise AssistantError(f"company profile {path}: expected a mapping of field: value at the top")
    try:
        checked = ProfileFile.model_validate(data)
    except ValidationError as exc:
        field_name, problem = first_problem(exc)
        raise AssistantError(f"company profile {path}: field '{field_name}': {problem}") from None
    return CompanyProfile(
        id=checked.id,
        name_zh=checked.name_zh,
        name_en=checked.name_en,
        full_names=checked.full_names,
        aliases=checked.aliases,
        sources=checked.sources,
        facts=tuple(Fact(f.field, f.zh, f.en, f.source, f.value, f.year) for f in checked.facts),
        path=str(path),
    )


def _from_plain(plain: dict[str, Any], path: Path) -> CompanyProfile:
    """A profile back from `CompanyProfile.to_json` (the build's compiled copy: already validated)."""
    return CompanyProfile(
        id=plain["id"],
        name_zh=plain["name_zh"],
        name_en=plain["name_en"],
        full_names=tuple(plain["full_names"]),
        aliases=tuple(plain["aliases"]),
        sources=tuple(plain["sources"]),
        facts=tuple(Fact(**f) for f in plain["facts"]),
        path=str(path),
    )


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's problem and where it is (line, column), in one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem
