"""What a reader does with answers beyond asking (issue 21, 15-17): copy an answer with its citations,
export the conversation, regenerate or edit and resend the latest question, a thumbs up or down with an
optional comment, and the suggested follow-ups.

The links sit under each answer in the chat (templates/chat_answer.html: #copy-, #up-, #down-,
#regen-, #edit-, #follow-<turn>); static/actions.js, the `js_on_load` of the actions panel under the
question box, turns a click on one into that panel's event. Copying happens in the browser (the
Markdown is in the message, built here from the Answer); everything else is decided here, from the
session, whatever the client sent: a turn number names a turn of this session, a follow-up is one
this page suggested for it, a verdict is up or down, a comment is cut to its limit, the feedback file
has its size limit (assistant/feedback.py).
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, replace

import gradio as gr

from ..feedback import MAX_COMMENT_CHARS, FeedbackFull, FeedbackRecord, FeedbackStore, Verdict
from ..text import HISTORY_TURNS
from .exports import ExportTurn, conversation_json, conversation_markdown
from .followups import suggestions
from .guarded import guarded
from .page_text import t
from .session import ChatSession, event_text, page_language, session_of
from .templating import render_template

# A feedback record's id as the page sends it back with a comment (FeedbackRecord.of makes 16 hex).
MAX_RECORD_ID_CHARS = 32


@dataclass(frozen=True)
class Download:
    """A file the panel offers once (actions.js clicks it): its name and its data: URL."""

    name: str
    url: str


def actions_panel(lang: str, status: str = "", feedback: str = "", download: Download | None = None) -> str:
    """The panel under the question box: the export buttons, the comment box after a verdict
    (`feedback`: the record's id), a download to start, and what came of the last action."""
    return render_template(
        "chat_actions.html",
        lang=lang,
        status=status,
        feedback=feedback,
        download=download,
        max_comment=MAX_COMMENT_CHARS,
    )


def history_before(session: ChatSession, number: int) -> list[str]:
    """The questions that were the history of turn `number` (those answered before it)."""
    asked = [x.question for x in session.turns if x.answer is not None and x.number < number]
    return asked[-HISTORY_TURNS:]


class ChatActions:
    """The handlers of the actions panel, over the chat tab (to ask again) and the feedback file."""

    def __init__(self, chat, panel: gr.HTML):
        self.chat, self.panel = chat, panel
        self.store = FeedbackStore(chat.state.live.bot.settings.index_dir)

    # ---- the panel's "click": verdicts, comments, exports (no model needed) ----
    def act(self, lang, session, evt: gr.EventData):
        session = session_of(session)
        lang = page_language(session) if lang not in ("zh", "en") else lang
        act = event_text(evt, "act", 10)
        if act in ("up", "down"):
            return self.verdict(session, Verdict(act), event_text(evt, "turn", 12), lang)
        if act == "comment":
            record_id = event_text(evt, "id", MAX_RECORD_ID_CHARS)
            comment = event_text(evt, "comment", MAX_COMMENT_CHARS)
            try:
                saved = self.store.comment(record_id, comment) if record_id and comment else None
            except (FeedbackFull, OSError):
                return actions_panel(lang, t("fb_not_saved", lang))
            return actions_panel(lang, t("fb_commented" if saved else "fb_no_comment", lang))
        if act == "export":
            return self.export(session, event_text(evt, "format", 8), lang)
        return gr.skip()

    def verdict(self, session: ChatSession, verdict: Verdict, number: str, lang: str) -> str:
        turn = session.turn(int(number)) if number.isdigit() else None
        if turn is None:
            return actions_panel(lang, t("fb_no_turn", lang))
        record = FeedbackRecord.of(turn.answer, history_before(session, turn.number), verdict)
        try:
            self.store.append(record)
        except (FeedbackFull, OSError):  # full or unwritable: the reader is told, nothing else changes
            return actions_panel(lang, t("fb_not_saved", lang))
        return actions_panel(lang, t("fb_saved_" + verdict.value, lang), feedback=record.id)

    def export(self, session: ChatSession, fmt: str, lang: str) -> str:
        turns = [ExportTurn(x.question, x.answer, x.error) for x in session.turns]
        if not turns:
            return actions_panel(lang, t("export_empty", lang))
        stamp = time.strftime("%Y%m%d-%H%M%S")
        if fmt == "json":
            body = conversation_json(turns, time.strftime("%Y-%m-%dT%H:%M:%S%z"))
            name, mime = f"conversation-{stamp}.json", "application/json"
        else:
            body, name, mime = conversation_markdown(turns, lang), f"conversation-{stamp}.md", "text/markdown"
        url = f"data:{mime};charset=utf-8;base64," + base64.b64encode(body.encode("utf-8")).decode("ascii")
        return actions_panel(lang, t("exported", lang, name=name), download=Download(name, url))

    # ---- the panel's "select": asking again (on the model's concurrency) ----
    def ask_again(self, session, evt: gr.EventData, progress=gr.Progress()):  # noqa: B008 - as respond
        """A follow-up clicked (one this page suggested for that turn), the latest question asked again
        (regenerate: the same history), or taken back into the box to edit and resend."""
        chat, session = self.chat, session_of(session)
        act, number = event_text(evt, "act", 10), event_text(evt, "turn", 12)
        turn = session.turn(int(number)) if number.isdigit() else None
        if turn is None:
            return {}
        if act == "follow":
            text = event_text(evt, "text", 400)
            bot = chat.state.live.bot
            offered = suggestions(bot, turn.answer, "zh") + suggestions(bot, turn.answer, "en")
            return chat.respond(text, session, progress) if text in offered else {}
        latest = session.turns[-1]
        if act not in ("regen", "edit") or latest.number != turn.number:
            return {}
        earlier = replace(session, turns=session.turns[:-1], shown=-1)
        if act == "edit":
            lang = page_language(session)
            return {
                chat.ui.msg: turn.question,
                chat.ui.chatbot: chat.messages(chat.state.live.bot, earlier, lang),
                chat.ui.sources: chat.panel(chat.state.live.bot, earlier, lang),
                chat.frame.session: earlier,
            }
        return chat.respond(turn.question, earlier, progress)

    def wire(self, concurrency: int) -> None:
        chat, frame = self.chat.ui, self.chat.frame
        self.panel.click(
            guarded(self.act, [self.panel]),
            [frame.lang, frame.session],
            [self.panel],
            api_visibility="private",
            show_progress="hidden",
        )
        replies = [chat.msg, chat.chatbot, chat.sources, frame.lang, frame.session]
        self.panel.select(
            guarded(self.ask_again, replies),
            [frame.session],
            replies,
            api_visibility="private",
            concurrency_limit=concurrency,
            concurrency_id="model",
        )
