"""What a company profile file (corpus/companies/*.yaml) may hold: the pydantic schema it is validated
against, and its problems worded for the one-line error (`first_problem`).

Apart from companies.py so that a load whose profiles come from the build's compiled copy
(corpus/curated.py) does not build these models at all; companies.py imports it when it validates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .profile_fields import FIELDS

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# Each validator raises the problem as the message will say it; `first_problem` adds the field.
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


def first_problem(exc: ValidationError) -> tuple[str, str]:
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
