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


@dataclass(frozen=True, slots=True)
class Passage:
    """The unit that is embedded, retrieved and cited.

    Slotted: a million passages stay in memory, and a `__dict__` per passage cost 630 bytes of each
    (0.6 GB at a million; the fields themselves take 120 bytes)."""

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
    # The aligned English of an article with a translation (corpus/translation.py), else "".
    text_en: str = ""
    section_en: str = ""
    title_en: str = ""

    @property
    def is_article(self) -> bool:
        return self.kind != "profile"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["companies"] = list(self.companies)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Passage:
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
    text_en: str = ""  # its English rendering, when the article has an aligned translation
    en_start: int = 0  # offsets of text_en inside the passage's text_en
    en_end: int = 0


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
    # English renderings (aligned translation) of the quote, passage, section and title; "" if none.
    quote_en: str = ""
    text_en: str = ""
    section_en: str = ""
    title_en: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# How an English answer line names the Chinese sentence it renders (answering/compose.py writes it).
EN_ORIGINAL = "— original:"


@dataclass(frozen=True)
class AnswerPart:
    """One line of an answer, typed so that a page can lay it out without parsing text.

    role: "direct" (the line that answers, shown first), "support" (a supporting quote),
    "company" (one company's line in a comparison, list or rundown), "lead" (an article summary's
    opening), "contrast" (a comparison of rendered values), "not_stated" (what the corpus does not
    say), "closest" (the line announcing the closest material of a decline), "clarify" (a question
    back to the user).
    """

    role: str
    text: str
    citations: tuple[int, ...] = ()
    company: str = ""  # company id the line is about, if any
    # An English line that renders a quoted Chinese sentence ends `— original: “<original>”`; this is
    # that original, so that a page can show the English first and the original as secondary
    # (`rendering` is the line without it) without reading the text apart.
    original: str = ""

    @property
    def rendering(self) -> str:
        """The line as it reads without its trailing original (all of it when it has none)."""
        if self.original:
            tail = f" {EN_ORIGINAL} “{self.original}”"
            if self.text.endswith(tail):
                return self.text[: -len(tail)]
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "citations": list(self.citations),
            "company": self.company,
            "original": self.original,
        }


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
    intent: str = ""  # what the question asked for (answering/analysis.py)
    parts: list[AnswerPart] = field(default_factory=list)  # `text`, line by line, with roles

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
            "intent": self.intent,
            "parts": [p.to_json() for p in self.parts],
        }
