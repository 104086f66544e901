"""What survives a reload: the language the reader chose, the page's language and the conversation.

A small record is kept in this browser's localStorage (Gradio's `BrowserState`): the questions of
the conversation, not its answers. When the page loads, the server asks them again, in order, each
with the questions before it as its history — the answers are the assistant's own, computed again
over the index as it is now (a few tens of milliseconds a question), never text a browser sent.
The record is rewritten whenever the session or the language changes.

A browser with nothing kept opens in the language it asks for first (Accept-Language: English
before Chinese, or Chinese before English), until a question or the switch changes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

import gradio as gr

from ..errors import AssistantError
from ..text import clean_input
from .chat_tab import ChatTab
from .frame import Frame
from .guarded import guarded
from .page_state import PageState
from .session import LANGUAGES, ChatSession, session_of, text_input

# The localStorage entry. Gradio encrypts the record with STORAGE_SECRET, which is sent to the page
# (so it is no secret, only a name); a fixed one, where Gradio would draw a new one at each start,
# keeps a conversation across restarts of the app.
STORAGE_KEY = "gpu-assistant.page"
STORAGE_SECRET = "gpu-assistant.page.v1"
# The questions a reload asks again: each costs what a question costs (50 of the labelled questions took
# 12.7 s while the browser tests ran on the same 2 cores, about 0.25 s each), so a reload restores the
# latest 20 — a few seconds at worst — not the whole transcript the session keeps (MAX_TRANSCRIPT_TURNS).
MAX_KEPT_TURNS = 20
# The record must fit the request-size limit the guard sets for every event (32 KB,
# assistant/web/guard.py) with room for the rest of the request: the newest questions that fit
# 24 KB as escaped JSON are kept (20 questions of 500 characters, escaped, would take 60 KB).
MAX_RECORD_BYTES = 24 * 2**10
_LANGUAGE_TAG = re.compile(
    r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$"
)


@dataclass(frozen=True)
class Kept:
    """A record read back: the language chosen with the switch ("": none), the page's language
    ("": not known), the questions (as the assistant read them) with whether each was cut to the
    limit, and which of them the sources panel showed (-1: the latest)."""

    chosen: str = ""
    page: str = ""
    questions: tuple[tuple[str, bool], ...] = ()
    shown: int = -1


def record(session, lang) -> dict:
    """What the browser keeps of a session and the page's language: the newest questions that fit."""
    session = session_of(session)
    turns = session.turns[-MAX_KEPT_TURNS:]
    kept: list[list] = []
    size = 0
    for turn in reversed(turns):
        item = [turn.question, bool(turn.cut)]
        size += len(json.dumps(item)) + 1
        if size > MAX_RECORD_BYTES:
            break
        kept.append(item)
    kept.reverse()
    numbers = [t.number for t in turns[len(turns) - len(kept) :]]
    return {
        "v": 1,
        "chosen": session.language if session.language in LANGUAGES else "",
        "page": lang if lang in LANGUAGES else "",
        "turns": kept,
        "shown": numbers.index(session.shown) if session.shown in numbers else -1,
    }


def read_record(value, limit: int) -> Kept:
    """A record as the browser sent it (untrusted: anything a client chose to send), checked item by
    item; what is not as `record` writes it is left out."""
    if not isinstance(value, dict) or value.get("v") != 1:
        return Kept()
    turns = value.get("turns")
    questions: list[tuple[str, bool]] = []
    for item in turns[-MAX_KEPT_TURNS:] if isinstance(turns, list) else ():
        if isinstance(item, list) and len(item) == 2 and isinstance(item[1], bool):
            question = clean_input(text_input(item[0], limit))
            if question:
                questions.append((question, item[1]))
    shown = value.get("shown")
    shown = shown if type(shown) is int and 0 <= shown < len(questions) else -1
    chosen, page = value.get("chosen"), value.get("page")
    return Kept(
        chosen if chosen in LANGUAGES else "", page if page in LANGUAGES else "", tuple(questions), shown
    )


def preferred_language(accept_language: str) -> str:
    """The first of Chinese and English in an Accept-Language header, by its weights ("": neither)."""
    best, weight = "", 0.0
    for part in (accept_language or "")[:500].split(",")[:20]:
        m = _LANGUAGE_TAG.match(part)
        if not m or m.group(1).lower() not in LANGUAGES:
            continue
        q = float(m.group(2)) if m.group(2) else 1.0
        if q > weight:
            best, weight = m.group(1).lower(), q
    return best


class Persistence:
    """The page's record in the browser: restored when the page loads, rewritten on every change."""

    def __init__(self, state: PageState, frame: Frame, chat: ChatTab):
        self.state, self.frame, self.chat = state, frame, chat
        self.stored = gr.BrowserState(None, storage_key=STORAGE_KEY, secret=STORAGE_SECRET)
        chat.keep(self.stored, record)  # a chosen answer writes the record with its panel (show_answer)

    def replay(self, bot, kept: Kept) -> ChatSession:
        """The kept questions asked again, in order, each with the history before it."""
        session = ChatSession(language=kept.chosen)
        for question, cut in kept.questions:
            try:
                answer = bot.ask(question, history=list(session.asked))
            except AssistantError as exc:
                session = session.with_turn(question, error=str(exc))
                continue
            session = session.with_turn(
                answer.question, self.chat.slim(bot, answer), cut=self.state.limit if cut else 0
            )
        if kept.shown >= 0:
            session = replace(session, shown=session.turns[kept.shown].number)
        return session

    def restore(self, stored, session, request: gr.Request):
        """The page as the browser left it, or, new, in the language the browser asks for first.
        A question asked before this ran (the page is usable at once) wins: nothing is restored."""
        bot, ui, frame = self.state.live.bot, self.chat.ui, self.frame
        if session_of(session).turns:
            return {}
        kept = read_record(stored, self.state.limit)
        headers = getattr(request, "headers", None) or {}
        lang = kept.chosen or kept.page or preferred_language(headers.get("accept-language", "")) or "zh"
        if not kept.questions and not kept.chosen and lang == frame.lang.value:
            # a new page already in the browser's language: nothing to change, and nothing to undo of
            # a switch the reader used while this waited its turn in a busy queue
            return {}
        if not kept.questions:
            return {frame.session: ChatSession(language=kept.chosen), frame.lang: lang}
        restored = self.replay(bot, kept)
        return {
            frame.session: restored,
            frame.lang: lang,
            ui.chatbot: self.chat.messages(bot, restored, lang),
            ui.sources: self.chat.panel(bot, restored, lang),
        }

    def save(self, session, lang):
        """The record of the session and the page's language, rewritten after the panel changed."""
        return record(session, lang)

    def save_choice(self, lang, session):
        """The switch was used: the record keeps this language as chosen (the chat tab's own handler
        of the same input may not have updated the session yet)."""
        chosen = lang if lang in LANGUAGES else ""
        return record(replace(session_of(session), language=chosen), lang)

    def wire(self, demo: gr.Blocks, concurrency: int) -> None:
        """Restored on load (on the model's concurrency: it asks questions); saved after whatever
        changes the sources panel, and when the switch is used (the session itself cannot be watched:
        Gradio hashes a watched state, and an Answer is not hashable)."""
        ui, frame = self.chat.ui, self.frame
        restored = [frame.session, frame.lang, ui.chatbot, ui.sources]
        demo.load(
            guarded(self.restore, restored),
            [self.stored, frame.session],
            restored,
            api_visibility="private",
            show_progress="hidden",
            concurrency_limit=concurrency,
            concurrency_id="model",
        )
        quiet = dict(api_visibility="private", show_progress="hidden")
        # The sources panel is redrawn by every turn, "clear", a click on an earlier answer and a
        # change of language (the chat's own change event sends its whole value as event data,
        # which the request guard refuses).
        ui.sources.change(
            guarded(self.save, [self.stored]), [frame.session, frame.lang], [self.stored], **quiet
        )
        frame.lang.input(
            guarded(self.save_choice, [self.stored]), [frame.lang, frame.session], [self.stored], **quiet
        )
