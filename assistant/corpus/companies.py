"""Company profiles (curated YAML in corpus/companies/): the records, and loading them checked.

Profiles are data a user edits, so loading validates them and names the file, the field and the
problem. Every fact carries the id of the article passage it was taken from: answers built from
a fact cite that passage, never the profile alone. Finding a company by one of its names is
company_directory.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ..errors import AssistantError
from .files import real_root
from .yamlfile import read_yaml

FIELDS = (
    "analogy",
    "founded",
    "headquarters",
    "focus",
    "products",
    "fundraising",
    "valuation",
    "listing",
    "revenue",
    "losses",
    "shareholders",
)
FIELD_LABELS = {
    "analogy": ("类比", "Compared to"),
    "founded": ("成立", "Founded"),
    "headquarters": ("总部", "Headquarters"),
    "focus": ("定位", "Focus"),
    "products": ("产品与架构", "Products"),
    "fundraising": ("募资与融资", "Fundraising"),
    "valuation": ("估值", "Valuation"),
    "listing": ("上市进程", "Listing"),
    "revenue": ("营收", "Revenue"),
    "losses": ("亏损", "Losses"),
    "shareholders": ("股东", "Shareholders"),
    "profit": ("净利润", "Net profit"),  # asked of any company; no curated profile has it
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


def load_profiles(corpus_dir: Path) -> list[CompanyProfile]:
    """All profiles of a corpus; a malformed one stops the load with the file, field and problem."""
    root = real_root(corpus_dir)
    profiles = [load_profile(p, root) for p in profile_files(corpus_dir)]
    seen: dict[str, str] = {}
    for p in profiles:
        if p.id in seen:
            raise AssistantError(f"{p.path}: field 'id': {p.id!r} is already used by {seen[p.id]}")
        seen[p.id] = p.path
    return profiles


def load_profile(path: Path, root: str | None = None) -> CompanyProfile:
    """One profile file, checked against `ProfileFile`; `root` is the corpus folder's real path
    (a profile is read only from inside it), by default the folder above companies/."""
    try:
        # One loader for every YAML (refuses anchors/aliases: YAML bombs); only files inside the corpus.
        data = read_yaml(path, root or real_root(Path(path).parent.parent))
    except UnicodeDecodeError as exc:
        raise AssistantError(f"company profile {path}: not valid UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise AssistantError(f"company profile {path}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise AssistantError(f"company profile {path}: not valid YAML/JSON: {_yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise AssistantError(f"company profile {path}: expected a mapping of field: value at the top")
    try:
        checked = ProfileFile.model_validate(data)
    except ValidationError as exc:
        field_name, problem = _first_problem(exc)
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


# ---- the profile file's schema ---------------------------------------------------------------------
# Each validator raises the problem as the message will say it; `_first_problem` adds the field.
def _problem(text: str, **context) -> PydanticCustomError:
    return PydanticCustomError("profile", text, context or None)


def _text(value: Any) -> str:
    """Required text: a string (or a number, written as text), never blank, a list or a yes/no."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _problem("missing")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _problem("expected text, got {kind}", kind=type(value).__name__)
    return str(value).strip()


def _text_list(value: Any) -> tuple[str, ...]:
    """Optional list of text; one string is a list of one."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value
    ):
        raise _problem("expected a list of text")
    return tuple(str(x).strip() for x in value if str(x).strip())


def _year(value: Any) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _problem("expected a whole number")
    return value


def _value(value: Any) -> float | str | None:
    """A comparable value: a number, a date (kept as ISO text: '2025-06-30') or text such as '2025-06'."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, date)):
        raise _problem("expected a number or a date")
    return value.isoformat() if isinstance(value, date) else value


def _fact_list(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _problem("expected a list")
    return value


Text = Annotated[str, BeforeValidator(_text)]
TextList = Annotated[tuple[str, ...], BeforeValidator(_text_list)]


class FactEntry(BaseModel):
    """One fact: its field, its Chinese words copied from the passage, an English rendering, that passage."""

    model_config = ConfigDict(extra="forbid")

    field: Text
    zh: Text
    en: Text
    source: Text
    value: Annotated[Any, BeforeValidator(_value)] = None
    year: Annotated[Any, BeforeValidator(_year)] = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, name: str) -> str:
        if name not in FIELDS:
            raise _problem("{name} is not one of {fields}", name=repr(name), fields=", ".join(FIELDS))
        return name

    @field_validator("source")
    @classmethod
    def _passage_id(cls, source: str) -> str:
        if "#" not in source:
            raise _problem("must be an article passage id such as <doc>#p12")
        return source


class ProfileFile(BaseModel):
    """What a file in corpus/companies/ holds."""

    model_config = ConfigDict(extra="forbid")

    id: Text
    name_zh: Text
    name_en: Text
    full_names: TextList = ()
    aliases: TextList = ()
    sources: TextList = ()
    facts: Annotated[list[FactEntry], BeforeValidator(_fact_list)] = []

    @field_validator("id")
    @classmethod
    def _id(cls, cid: str) -> str:
        if not _ID.match(cid):
            raise _problem("{cid} must be lower-case letters, digits and '-'", cid=repr(cid))
        return cid


# pydantic's own error types, as the message says them (the validators above word the rest)
_PROBLEMS = {
    "missing": "missing",
    "extra_forbidden": "unknown field",
    "model_type": "expected a mapping with field, zh, en, source",
    "model_attributes_type": "expected a mapping with field, zh, en, source",
}


def _first_problem(exc: ValidationError) -> tuple[str, str]:
    """(field, problem) of the first error: an unknown field first, then in the order of the file's schema."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    where = ""
    for part in err["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    problem = _PROBLEMS.get(err["type"], err["msg"])
    if err["type"] == "extra_forbidden" and len(err["loc"]) > 1:
        problem = "unknown key"
    return where, problem


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's problem and where it is (line, column), in one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem
