"""A browser tab's chat session, and what every event's inputs pass before a handler uses them.

The session (its turns, which answer's sources are shown, the language the user chose) is kept by
Gradio per tab (`gr.State`) and replaced whole by each turn; the inputs of an event are untrusted
(a client need not use the page), so each is read through one of the checks here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..schema import Answer
from ..text import HISTORY_TURNS, without_control

LANGUAGES = ("zh", "en")
# Every limit below is enforced here, on the server: a client need not use the page (README,
# "Operating it"). The request size is capped before Gradio reads a request (assistant/web/guard.py).
# The chat a session keeps (and shows): a long conversation, not an unbounded one. A turn is about
# 220 characters as shown (50 turns of the built-in corpus: 22 KB of chat).
MAX_TRANSCRIPT_TURNS = 50


@dataclass(frozen=True)
class Turn:
    """One question and what came of it: the answer (kept for its sources panel, without the
    retrieval record), or the error shown instead. `number` counts every turn of the session, so a
    [n] in the chat (#cite-<number>-<n>) keeps pointing at its answer while older turns drop out;
    `cut` is the limit the question was cut to (0: it was not)."""

    number: int
    question: str
    answer: Answer | None = None
    error: str = ""
    cut: int = 0


@dataclass(frozen=True)
class ChatSession:
    """One browser tab: its turns (at most MAX_TRANSCRIPT_TURNS; the questions of the answered ones
    are the next question's history, at most HISTORY_TURNS), which answer's sources the panel shows
    (`shown`, a turn number; -1: the latest), and the language the user chose with the switch ("":
    none yet, the page follows the language of the questions).

    Frozen: a turn makes a new session (`with_turn`) that Gradio stores only when the whole reply
    was produced, so a turn that fails half-way leaves the session as it was."""

    turns: tuple[Turn, ...] = ()
    shown: int = -1
    language: str = ""
    count: int = 0

    @property
    def asked(self) -> tuple[str, ...]:
        return tuple(t.question for t in self.turns if t.answer is not None)[-HISTORY_TURNS:]

    def with_turn(
        self, question: str, answer: Answer | None = None, error: str = "", cut: int = 0
    ) -> ChatSession:
        """This session with one more turn (shown in the panel); the oldest turns drop out past the limit."""
        turn = Turn(self.count, question, answer, error, cut)
        return replace(
            self, turns=(self.turns + (turn,))[-MAX_TRANSCRIPT_TURNS:], shown=-1, count=self.count + 1
        )

    def panel_turn(self) -> Turn | None:
        """The answered turn whose sources the panel shows: the one chosen, else the latest."""
        answered = [t for t in self.turns if t.answer is not None]
        chosen = [t for t in answered if t.number == self.shown]
        return (chosen or answered[-1:] or [None])[0]

    def turn(self, number: int) -> Turn | None:
        return next((t for t in self.turns if t.number == number and t.answer is not None), None)


def session_of(value) -> ChatSession:
    """The session Gradio hands a handler (None for a new tab, or anything a client sent)."""
    return value if isinstance(value, ChatSession) else ChatSession()


def language_of(value) -> str:
    return value if value in LANGUAGES else "zh"


def text_input(value, limit: int) -> str:
    """A text input of an event, as the handlers may use it: text, at most `limit` characters,
    without characters that cannot be shown or sent back (lone surrogates, controls)."""
    return without_control(value[:limit]) if isinstance(value, str) else ""


def event_text(evt, name: str, limit: int) -> str:
    """A string the browser sent with a click (untrusted: only ever looked up or escaped)."""
    try:
        value = getattr(evt, name)
    except (AttributeError, TypeError):
        return ""
    return text_input(value, limit).strip()


def page_language(session: ChatSession) -> str:
    """The page's language as the session knows it: the one the user chose, else that of the latest
    answer (the page follows the questions), else Chinese (the page opens in Chinese)."""
    answered = [t.answer.language for t in session.turns if t.answer is not None]
    return session.language or (answered[-1] if answered else "zh")


def has_words(text: str) -> bool:
    """Whether a question has anything to ask: a letter, a CJK character or a digit (not only
    punctuation, symbols or emoji, which say nothing about its language either)."""
    return any(ch.isalnum() for ch in text)
