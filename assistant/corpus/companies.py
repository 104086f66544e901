"""Company profiles (curated YAML in corpus/companies/) and finding companies by any of their names.

Profiles are data a user edits, so loading validates them and names the file, the field and the
problem. Every fact carries the id of the article passage it was taken from: answers built from
a fact cite that passage, never the profile alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ..errors import AssistantError
from ..text import normalize, squash
from .files import real_root
from .name_forms import name_forms
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
_LATIN_ONLY = re.compile(r"^[a-z0-9 .&'+-]+$")
_LATIN_LETTERS = re.compile(r"[A-Za-z]{2}")  # what a generated name form (pinyin, English) needs


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
        """The profile as one passage for the dense index: both languages, so either kind of question finds it."""
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


class CompanyDirectory:
    """Name → company lookups over all profiles: exact, partial, width/case variants and small typos."""

    def __init__(self, profiles: list[CompanyProfile]):
        self.profiles = list(profiles)
        self.by_id = {p.id: p for p in self.profiles}
        self._names: list[tuple[str, str, str]] = []  # (squashed name, company id, kind)
        for p in self.profiles:
            for n in p.names:
                kind = "primary" if n in (p.name_zh, p.name_en, *p.full_names) else "alias"
                self._names.append((squash(n, punctuation=True), p.id, kind))
        self._patterns: dict[bool, tuple[re.Pattern | None, dict[str, str]]] = {}
        self._ambiguous: dict[str, tuple[str, ...]] | None = None

    @property
    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        """Generated forms two companies share → both (such a form names neither)."""
        self._mention_pattern(with_forms=True)
        return self._ambiguous or {}

    def _mention_pattern(self, with_forms: bool) -> tuple[re.Pattern | None, dict[str, str]]:
        """One regex for every name — and, `with_forms`, every generated form (pinyin: suiyuan,
        mu xi) — longest first; Latin names only match as whole words; and its keys → company ids.
        A form two companies share names neither (it is reported in `ambiguous`), unless it is one
        company's own name. Generated forms are Latin letters, so text without them never needs
        them, nor pypinyin (0.2–0.3 s to import at a shell ask: issue 20); each is made once."""
        if with_forms in self._patterns:
            return self._patterns[with_forms]
        entries: dict[str, str] = {}
        for p in self.profiles:
            for n in p.names:
                key = normalize(n).strip()
                if len(key) >= 2:
                    entries.setdefault(key, p.id)
        if with_forms:
            self._ambiguous = self._add_generated(entries)
        keys = {k.replace(" ", ""): v for k, v in entries.items()}
        parts = []
        for key in sorted(entries, key=len, reverse=True):
            body = r"\s*".join(re.escape(ch) for ch in key.replace(" ", ""))
            parts.append(rf"(?<![a-z0-9]){body}(?![a-z0-9])" if _LATIN_ONLY.match(key) else body)
        self._patterns[with_forms] = (re.compile("|".join(parts)) if parts else None, keys)
        return self._patterns[with_forms]

    def _add_generated(self, entries: dict[str, str]) -> dict[str, tuple[str, ...]]:
        """Each curated company's generated name forms into `entries`; returns the shared ones."""
        generated: dict[str, set[str]] = {}
        for p in self.profiles:
            for n in p.names if not p.discovered else ():
                if len(n) <= 6:
                    for form in name_forms(n, ""):
                        generated.setdefault(normalize(form).strip(), set()).add(p.id)
        ambiguous = {}
        for key, ids in generated.items():
            if key in entries:
                continue
            if len(ids) == 1:
                entries[key] = next(iter(ids))
            else:
                ambiguous[key] = tuple(sorted(ids))
        return ambiguous

    def mention_spans(self, norm: str) -> list[tuple[int, int, str]]:
        """(start, end, company id) of every company name in already normalised text."""
        if not norm:
            return []
        pattern, keys = self._mention_pattern(with_forms=_LATIN_LETTERS.search(norm) is not None)
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(norm):
            cid = keys.get(re.sub(r"\s+", "", m.group(0)))
            if cid:
                out.append((m.start(), m.end(), cid))
        return out

    def mentions(self, text: str) -> list[str]:
        """Company ids named in `text`, in order of first mention."""
        return list(dict.fromkeys(cid for _, _, cid in self.mention_spans(normalize(text or ""))))

    def find(self, name: str) -> list[tuple[CompanyProfile, float]]:
        """Companies that `name` can mean, best first; empty when it names none of them."""
        q = squash(name or "", punctuation=True)
        if not q or (len(q) < 2):
            return []
        best: dict[str, float] = {}
        for n, cid, kind in self._names:
            if not n:
                continue
            score = _name_score(q, n)
            if kind == "alias" and score < 1.0:
                score *= 0.95  # a partial product name is weaker evidence than a partial company name
            if score > best.get(cid, 0.0):
                best[cid] = score
        ranked = sorted(((self.by_id[c], s) for c, s in best.items() if s >= 0.75), key=lambda x: -x[1])
        return ranked


def _name_score(q: str, n: str) -> float:
    """1 for the name itself; a little less for its beginning (壁仞 → 壁仞科技), the name plus a suffix
    (沐曦股份有限公司), or a small typo in a Latin name (Enflme). A fragment from the middle or end of
    a name (科技, tech) is no evidence for any one company."""
    if q == n:
        return 1.0
    latin = _LATIN_ONLY.match(q) is not None
    min_len = 3 if latin else 2
    if len(q) >= min_len and n.startswith(q):
        return 0.8 + 0.19 * len(q) / len(n)
    if len(n) >= min_len and q.startswith(n) and len(n) / len(q) >= 0.5:
        return 0.8 + 0.19 * len(n) / len(q)
    if latin and len(q) >= 4:
        ratio = difflib.SequenceMatcher(None, q, n).ratio()
        if ratio >= 0.8:
            return 0.75 + 0.2 * ratio * (1 if abs(len(q) - len(n)) <= 2 else 0.9)
        prefix = n[: len(q)]  # a typo in a shortened form: "biren tec" against "birentechnology"
        if len(q) >= 5 and difflib.SequenceMatcher(None, q, prefix).ratio() >= 0.85:
            return 0.78
    return 0.0
