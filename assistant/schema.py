"""Typed records that cross module lines.

They are plain dataclasses so that they serialise to JSON (index files, `--json` output)
without pickle, and so that the UI and CLI never depend on internal structures.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document with its place in the document text."""

    text: str
    start: int
    end: int
    section: str
    kind: str = "body"  # "body", "heading" or "meta"


@dataclass(frozen=True)
class Document:
    """An article as ingested: cleaned paragraphs plus the metadata users ask about."""

    doc_id: str
    path: str
    title: str
    source: str
    author: str
    published: str
    language: str
    url: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    sha256: str


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded, retrieved and cited."""

    passage_id: str
    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int
    published: str
    kind: str = "body"  # "body", "heading", "meta" (article passages) or "profile"
    companies: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        return self.kind != "profile"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["companies"] = list(self.companies)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Passage":
        d = dict(d)
        d["companies"] = tuple(d.get("companies") or ())
        return cls(**d)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage: the unit an answer quotes."""

    passage_index: int
    text: str
    start: int  # offset inside the passage text
    end: int


@dataclass
class Citation:
    """One numbered source of an answer: the whole passage and the sentence quoted from it."""

    n: int
    passage_id: str
    doc_id: str
    title: str
    section: str
    text: str
    quote: str
    score: float
    published: str = ""
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What `Assistant.ask` returns: the text as shown, and the evidence behind it."""

    question: str
    text: str
    abstained: bool
    language: str
    citations: list[Citation] = field(default_factory=list)
    closest: list[Citation] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    notice: str = ""
    retrieved: dict[str, str] = field(default_factory=dict)  # passage id → text, in retrieval order
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "abstained": self.abstained,
            "language": self.language,
            "citations": [c.to_json() for c in self.citations],
            "closest": [c.to_json() for c in self.closest],
            "companies": list(self.companies),
            "notice": self.notice,
            "retrieved": list(self.retrieved),
            "timings_ms": dict(self.timings_ms),
        }
