"""Readers' verdicts on answers (thumbs up or down, an optional comment), kept next to the index, and
turned into a labelled question set that `assistant eval` scores.

The file is `<index folder>/feedback.jsonl`: JSON lines, appended to and never rewritten (no pickle,
nothing executable), one record per verdict. A comment added after the verdict is a second record
with the same id; the latest record of an id wins. Every limit is enforced here, whatever the page
sent: the comment's length, the file's size (past it nothing more is written and the page says so),
the verdict being one of two.

`labelled_items` makes the question set in the format of the dev set (../shared/eval/dev.jsonl: id,
type, lang, question, history, evidence, answer groups): an answer a reader approved becomes a fact
(its cited sentences the evidence, its direct line the answer group), an approved decline an
unanswerable item, a disapproved answer a "review" item for a person to label (`assistant eval`
skips it until then).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from .errors import AssistantError
from .schema import Answer

FEEDBACK_FILE = "feedback.jsonl"
# A record is the question, the answer and its quotes: about 2 KB for the built-in corpus. 20 MB is
# some 10,000 verdicts, far more than a team labels by hand, and small enough to read whole.
MAX_FEEDBACK_BYTES = 20 * 2**20
# A comment says what was wrong in a sentence or two; a pasted essay is cut here.
MAX_COMMENT_CHARS = 1000
# Stored as the page showed them: the question is at most the question limit, the answer a few lines.
MAX_ANSWER_CHARS = 4000
_MARKER = re.compile(r"\s*\[\d{1,3}\]")
# Labelled items of these types are for a person to finish: `assistant eval` skips them.
UNLABELLED_TYPES = frozenset({"review"})


class Verdict(Enum):
    UP = "up"
    DOWN = "down"


class FeedbackFull(AssistantError):
    """The feedback file has reached MAX_FEEDBACK_BYTES: nothing more is written."""


@dataclass(frozen=True)
class FeedbackRecord:
    """One verdict on one answer, with what a labelled item needs: the question and the questions
    before it, the answer, its direct line and the sentences it cited."""

    id: str
    verdict: str
    question: str
    history: list[str]
    language: str
    answer: str
    direct: str
    abstained: bool
    citations: list[dict]
    comment: str = ""
    time: float = field(default_factory=time.time)

    @classmethod
    def of(cls, answer: Answer, history: list[str], verdict: Verdict, comment: str = "") -> FeedbackRecord:
        return cls(
            id=uuid.uuid4().hex[:16],
            verdict=verdict.value,
            question=answer.question,
            history=list(history),
            language=answer.language,
            answer=answer.text[:MAX_ANSWER_CHARS],
            direct=direct_line(answer),
            abstained=answer.abstained,
            citations=[
                {"n": c.n, "passage_id": c.passage_id, "quote": c.quote, "quote_en": c.quote_en}
                for c in answer.citations
            ],
            comment=comment[:MAX_COMMENT_CHARS],
        )


def direct_line(answer: Answer) -> str:
    """The line that answers, without its [n] markers or the original it renders."""
    direct = [p for p in answer.parts if p.role == "direct"]
    line = direct[0].rendering if direct else next((x for x in answer.text.splitlines() if x.strip()), "")
    return _MARKER.sub("", line).strip()


class FeedbackStore:
    """The feedback file of one index folder. Appends are whole lines written in one call under a
    lock (and O_APPEND), so two verdicts at once never interleave."""

    def __init__(self, index_dir: str | Path, max_bytes: int = MAX_FEEDBACK_BYTES):
        self.path = Path(index_dir) / FEEDBACK_FILE
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def append(self, record: FeedbackRecord) -> None:
        line = (json.dumps(asdict(record), ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            size = self.path.stat().st_size if self.path.exists() else 0
            if size + len(line) > self.max_bytes:
                raise FeedbackFull(f"the feedback file {self.path} is full ({self.max_bytes:,} bytes)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, flags, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def comment(self, record_id: str, comment: str) -> FeedbackRecord | None:
        """The record of `record_id` again, with the comment (None: no such record)."""
        latest = {r.id: r for r in self.read()}
        old = latest.get(record_id)
        if old is None:
            return None
        new = FeedbackRecord(**{**asdict(old), "comment": comment[:MAX_COMMENT_CHARS], "time": time.time()})
        self.append(new)
        return new

    def read(self) -> list[FeedbackRecord]:
        """Every record, the latest of each id, in the order first given; lines that are not a
        record (a torn last line, an edit by hand) are skipped."""
        if not self.path.exists():
            return []
        if self.path.stat().st_size > self.max_bytes * 2:
            raise AssistantError(f"the feedback file {self.path} is larger than any this program writes")
        latest: dict[str, FeedbackRecord] = {}
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = FeedbackRecord(**json.loads(line))
            except (ValueError, TypeError):
                continue
            if record.verdict in {v.value for v in Verdict}:
                latest[record.id] = record
        return list(latest.values())


def labelled_items(records: list[FeedbackRecord]) -> list[dict]:
    """The records as a labelled question set (dev.jsonl's format); one item per question and
    history, the latest verdict on it."""
    by_question: dict[tuple, FeedbackRecord] = {}
    for r in sorted(records, key=lambda r: r.time):
        by_question[(r.question, tuple(r.history))] = r
    return [_item(r) for r in by_question.values()]


def _item(r: FeedbackRecord) -> dict:
    item: dict = {"id": f"fb-{r.id}", "lang": r.language, "question": r.question, "history": r.history}
    if r.verdict == Verdict.DOWN.value:
        item.update(type="review", answer_given=r.answer, comment=r.comment)
    elif r.abstained:
        item["type"] = "unanswerable"
    else:
        evidence = sorted({c["quote"] for c in r.citations if c.get("quote")})
        item.update(type="followup" if r.history else "fact", evidence=evidence, answer=[[r.direct]])
    if r.comment and "comment" not in item:
        item["notes"] = r.comment
    return item
