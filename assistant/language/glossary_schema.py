"""What the glossary file (corpus/glossary.yaml) may hold: the pydantic schema it is validated against,
and its problems worded for the one-line error (`problem_of`).

Apart from glossary.py so that a load whose glossary comes from the build's compiled copy
(corpus/curated.py) does not build these models at all; glossary.py imports it when it validates.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError


def _words(value: Any) -> tuple[str, ...]:
    """Text or a list of text, nothing blank (a blank English form would match every question)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(x, str) and x.strip() for x in value):
        raise PydanticCustomError("glossary", "expected text or a list of text, none of it blank")
    return tuple(x.strip() for x in value)


Words = Annotated[tuple[str, ...], BeforeValidator(_words)]


class GlossaryEntry(BaseModel):
    """English forms and the Chinese terms the corpus uses for them."""

    en: Words
    zh: Words
    metric: bool = False  # a figure a company reports (revenue, gross margin): see Glossary.metrics


class GlossaryFile(BaseModel):
    terms: list[GlossaryEntry]


# pydantic's own error types by (depth, type), as the message says them
_PROBLEMS = {
    (1, "missing"): "expected a list of {en: [...], zh: [...]}",
    (1, "list_type"): "expected a list of {en: [...], zh: [...]}",
    (2, "model_type"): "expected a mapping with en and zh",
    (3, "missing"): "missing",
}


def problem_of(exc: ValidationError) -> tuple[str, str]:
    """(field, problem) of the first error, as the one-line message says them."""
    err = exc.errors()[0]
    where = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in err["loc"]).lstrip(".")
    return where, _PROBLEMS.get((len(err["loc"]), err["type"]), err["msg"])
