"""What the chat shows under an answer besides the answer (issue 21, 15-17): the answer as Markdown
with its citations (copied by the Copy link in the browser), the suggested follow-ups, and whether it
is the latest turn (only that one can be regenerated or edited and resent)."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Answer
from .exports import answer_markdown
from .followups import suggestions


@dataclass(frozen=True)
class AnswerExtras:
    markdown: str
    follow: tuple[str, ...] = ()
    latest: bool = False


def answer_extras(bot, answer: Answer, lang: str, latest: bool) -> AnswerExtras:
    """The extras of one answer; follow-ups only under the latest (earlier ones have been followed)."""
    follow = tuple(suggestions(bot, answer, lang)) if latest else ()
    return AnswerExtras(answer_markdown(answer, lang), follow, latest)
