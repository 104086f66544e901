"""The Chat tab: the conversation, the question box, the example questions and the sources panel.

Its handlers ask the live assistant and hand the result to `chat` (the messages) and `sources_view`
(the panel); each returns its outputs keyed by component. The session (`frame.session`) keeps the
tab's turns; the page stays in the language the user chose, and until they choose, follows the
question's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import gradio as gr

from ..errors import AssistantError
from ..messages import Msg
from ..schema import Answer
from ..text import clean_input, detect_language
from . import chat
from .chat_actions import ChatActions, actions_panel
from .chat_extras import answer_extras
from .examples import placeholder
from .frame import Frame
from .guarded import guarded
from .page_state import PageState, names, not_headings, passage_in_context
from .page_text import t
from .session import ChatSession, event_text, has_words, language_of, page_language, session_of
from .sources_view import counter, sources_panel
from .templating import ACTIONS_JS, CLICK_JS, COUNTER_JS, PAGE_JS, escape_markdown


@dataclass(frozen=True)
class ChatComponents:
    tab: gr.Tab
    chatbot: gr.Chatbot
    msg: gr.Textbox
    send: gr.Button
    clear_btn: gr.Button
    counter: gr.HTML
    sources: gr.HTML
    examples_zh: gr.Dataset
    examples_en: gr.Dataset
    actions: gr.HTML  # export, feedback and what came of them (chat_actions.py)


def chat_layout(state: PageState, lang0: str) -> ChatComponents:
    """The tab's components, laid out (inside the page's gr.Tabs)."""
    shown = state.shown
    with gr.Tab(t("tab_chat", lang0), id="chat", elem_id="tab-chat") as tab:
        with gr.Row(equal_height=False, elem_id="chat-row"):
            with gr.Column(scale=3, min_width=360, elem_id="chat-col"):
                # The messages are HTML from the templates (chat.py), every value escaped: no
                # markdown, so nothing typed is read as markup. No label (the tab says what it
                # is; a label floated over the messages), no copy buttons.
                chatbot = gr.Chatbot(
                    show_label=False,
                    elem_id="chat",
                    height=480,
                    latex_delimiters=[],
                    sanitize_html=True,
                    render_markdown=False,
                    feedback_options=None,
                    buttons=[],
                    placeholder=escape_markdown(t("chat_empty", "zh"))
                    + "\n\n"
                    + escape_markdown(t("chat_empty", "en")),
                )
                with gr.Row(elem_id="ask-row"):
                    # No max_length: the browser would cut a pasted question silently; the
                    # server cuts it and says so, the counter warns before.
                    msg = gr.Textbox(
                        show_label=False,
                        placeholder=placeholder(shown, lang0),
                        scale=5,
                        elem_id="question",
                        autofocus=True,
                        submit_btn=False,
                    )
                    send = gr.Button(
                        t("ask", lang0), variant="primary", scale=0, min_width=80, elem_id="send"
                    )
                    clear_btn = gr.Button(t("clear", lang0), scale=0, min_width=110, elem_id="clear")
                count = gr.HTML(counter(lang0, state.limit), elem_id="counter", js_on_load=COUNTER_JS)
                actions = gr.HTML(actions_panel(lang0), elem_id="chat-actions", js_on_load=ACTIONS_JS)
            with gr.Column(scale=2, min_width=320, elem_id="sources-col"):
                sources = gr.HTML(
                    sources_panel(None, {}, lang0),
                    elem_id="sources",
                    js_on_load=CLICK_JS + "\n" + PAGE_JS,
                    max_height=640,
                )
        examples_zh = _examples("zh", shown["zh"], visible=True)
        examples_en = _examples("en", shown["en"], visible=False)
    return ChatComponents(
        tab, chatbot, msg, send, clear_btn, count, sources, examples_zh, examples_en, actions
    )


def _examples(lang: str, questions, visible: bool) -> gr.Dataset:
    """The example questions of one language (the page shows those of its language)."""
    return gr.Dataset(
        components=[gr.Textbox(visible=False)],
        samples=[[q] for q in questions],
        label=t("examples", lang),
        elem_id=f"examples-{lang}",
        samples_per_page=10,
        visible=visible,
    )


class ChatTab:
    """The chat's handlers over the page's state, its components and the frame around the tabs."""

    def __init__(self, state: PageState, frame: Frame, ui: ChatComponents):
        self.state, self.frame, self.ui = state, frame, ui
        # The browser's record of the page and how it is written (web/persistence.py sets them): a choice
        # of answer writes it in the same response as the panel, so a reload right after keeps it.
        self.kept: gr.BrowserState | None = None
        self.record = None

    def keep(self, stored: gr.BrowserState, record) -> None:
        self.kept, self.record = stored, record

    # ---- views of the session ----
    def messages(self, bot, session: ChatSession, lang: str) -> list[dict]:
        """The chat, drawn from the session's turns in the page's language."""
        shown = names(bot, lang)
        out: list[dict] = []
        latest = session.turns[-1].number if session.turns else -1
        for turn in session.turns:
            out.append({"role": "user", "content": chat.user_message(turn.question)})
            reply = (
                chat.answer_message(
                    turn.number,
                    turn.answer,
                    lang,
                    shown,
                    cut=turn.cut,
                    extras=answer_extras(bot, turn.answer, lang, latest=turn.number == latest),
                )
                if turn.answer is not None
                else chat.error_message(turn.error, lang)
            )
            out.append({"role": "assistant", "content": reply})
        return out

    def panel(self, bot, session: ChatSession, lang: str, focus: int = 0, kind: str = "") -> str:
        turn = session.panel_turn()
        if turn is None:
            return sources_panel(None, {}, lang)
        a = turn.answer
        by_id = {p.id: p for p in bot.companies()}
        about = [by_id[c] for c in a.companies if c in by_id]
        docs = {c.doc_id: bot.document(c.doc_id) or {} for c in a.citations + a.closest}
        answered = [t.number for t in session.turns if t.answer is not None]
        return sources_panel(
            a,
            docs,
            lang,
            about,
            turn=turn.number,
            question=turn.question,
            position=(answered.index(turn.number) + 1, len(answered)),
            focus=focus,
            kind=kind,
        )

    @staticmethod
    def slim(bot, answer: Answer) -> Answer:
        """The answer as a session keeps it: without the retrieval record, and with the closest
        material the page may show (passages that are only a heading say nothing on their own)."""
        return replace(answer, retrieved={}, closest=not_headings(bot, answer.closest))

    def relabel(self, bot, lang: str, session: ChatSession) -> dict:
        """The tab's words in the page's language."""
        ui = self.ui
        return {
            ui.msg: gr.update(placeholder=placeholder(self.state.shown, lang)),
            ui.counter: counter(lang, self.state.limit),
            ui.send: gr.update(value=t("ask", lang)),
            ui.clear_btn: gr.update(value=t("clear", lang)),
            ui.chatbot: self.messages(bot, session, lang),
            ui.examples_zh: gr.update(visible=lang == "zh"),
            ui.examples_en: gr.update(visible=lang == "en"),
            ui.sources: self.panel(bot, session, lang),
            ui.tab: gr.update(label=t("tab_chat", lang)),
            ui.actions: actions_panel(lang),
        }

    # ---- handlers ----
    def respond(self, question, session, progress=gr.Progress()):  # noqa: B008 - how Gradio injects progress
        """One chat turn. The question is cut (with the notice) before anything is kept: the session
        remembers the question as the assistant read it, cleaned and at most `limit` characters. The
        page stays in the language the user chose; until they choose, it follows the question's.
        A question asked while an added article is being indexed waits for it ("indexing…") and is
        answered from the new index; one with no word in it (only punctuation or emoji) is not asked,
        and the page, in its language, says so."""
        limit, ui, frame = self.state.limit, self.ui, self.frame
        session = session_of(session)
        if not isinstance(question, str) or not question.strip():
            return {frame.session: session}
        if not has_words(clean_input(question)):
            lang = page_language(session)
            new = session.with_turn(clean_input(question)[:limit], error=Msg.NO_WORDS.say(lang))
            return {ui.msg: "", ui.chatbot: self.messages(self.state.live.bot, new, lang), frame.session: new}
        bot = self.live_bot(progress, page_language(session))
        # Four times the limit reaches Assistant.ask, which cuts it with a notice (cleaning first:
        # spaces and invisible characters do not count against the limit).
        question = question[: limit * 4]
        cut = limit if len(clean_input(question)) > limit else 0
        try:
            answer = bot.ask(question, history=list(session.asked))
        except AssistantError as exc:
            shown = clean_input(question)[:limit]
            lang = session.language or detect_language(shown)
            new = session.with_turn(shown, error=str(exc))
            return {ui.msg: "", ui.chatbot: self.messages(bot, new, lang), frame.session: new}
        new = session.with_turn(answer.question, self.slim(bot, answer), cut=cut)
        lang = session.language or answer.language
        return {
            ui.msg: "",
            ui.chatbot: self.messages(bot, new, lang),
            ui.sources: self.panel(bot, new, lang),
            frame.lang: lang,
            frame.session: new,
        }

    def live_bot(self, progress, lang: str):
        """The assistant to answer with: while an addition is being indexed, the new one, once it is
        ready (the wait is shown as "indexing…" on the chat)."""
        live = self.state.live
        if live.lock.locked():
            progress(0.5, desc=t("indexing_wait", lang))
            with live.lock:  # released when the new index has been switched in
                pass
        return live.bot

    def ask_example(self, sample, session, progress=gr.Progress()):  # noqa: B008 - as respond
        question = sample[0] if isinstance(sample, (list, tuple)) and sample else None
        if question not in self.state.all_examples:  # the page's own examples; anything else is not one
            return {self.frame.session: session_of(session)}
        return self.respond(question, session, progress)

    def clear(self, lang, session):
        """A new conversation; the language the user chose stays chosen."""
        new = ChatSession(language=session_of(session).language)
        return {
            self.ui.chatbot: [],
            self.ui.sources: sources_panel(None, {}, language_of(lang)),
            self.frame.session: new,
            self.ui.msg: "",
        }

    def choose_language(self, lang, session):
        """The switch was used: from now on the page keeps this language, whatever is asked."""
        return replace(session_of(session), language=language_of(lang))

    def show_answer(self, lang, session, evt: gr.EventData):
        """A [n] in the chat, or a click on an earlier answer: the panel shows that answer's sources
        (the [n] focused and scrolled to); on a narrow screen the source opens in context as well."""
        bot, frame = self.state.live.bot, self.frame
        lang = language_of(lang)
        session = session_of(session)
        number = event_text(evt, "turn", 12)
        turn = session.turn(int(number)) if number.isdigit() else None
        if turn is None:
            return {}
        n = event_text(evt, "n", 4)
        kind = "near" if event_text(evt, "kind", 8) == "near" else "cite"
        focus = int(n) if n.isdigit() else 0
        listed = turn.answer.closest if kind == "near" else turn.answer.citations
        cited = next((c for c in listed if c.n == focus), None)
        new = replace(session, shown=turn.number)
        shown = {self.ui.sources: self.panel(bot, new, lang, focus if cited else 0, kind), frame.session: new}
        if self.kept is not None:
            shown[self.kept] = self.record(new, lang)
        if cited is not None and (getattr(evt, "_data", None) or {}).get("narrow") is True:
            viewer = passage_in_context(bot, cited.passage_id, cited.quote, cited.quote_en, lang)
            return {frame.viewer: viewer, frame.sidebar: gr.Sidebar(open=True), **shown}
        return shown

    # ---- events ----
    def wire(self, concurrency: int) -> None:
        """The tab's events: asking (on the model's concurrency), examples, clearing, the switch."""
        ui, frame = self.ui, self.frame
        replies = [ui.msg, ui.chatbot, ui.sources, frame.lang, frame.session]
        respond, ask_example = guarded(self.respond, replies), guarded(self.ask_example, replies)
        model = dict(concurrency_limit=concurrency, concurrency_id="model")
        # "chat", not documented: the page's own event (its outputs are the page's HTML); programs call "ask"
        # (web/api.py), which returns the answer as JSON
        ui.msg.submit(
            respond, [ui.msg, frame.session], replies, api_name="chat", api_visibility="undocumented", **model
        )
        ui.send.click(respond, [ui.msg, frame.session], replies, api_visibility="private", **model)
        for examples in (ui.examples_zh, ui.examples_en):
            examples.click(ask_example, [examples, frame.session], replies, api_visibility="private", **model)
        cleared = [ui.chatbot, ui.sources, frame.session, ui.msg]
        clear = guarded(self.clear, cleared)
        ui.clear_btn.click(clear, [frame.lang, frame.session], cleared, api_visibility="private")
        ui.chatbot.clear(clear, [frame.lang, frame.session], cleared, api_visibility="private")
        ChatActions(self, ui.actions).wire(concurrency)
        frame.lang.input(
            guarded(self.choose_language, [frame.session]),
            [frame.lang, frame.session],
            [frame.session],
            api_visibility="private",
            show_progress="hidden",
        )

    def wire_show_answer(self) -> None:
        """A [n] or an earlier answer clicked in the chat (page.js): that answer's sources."""
        ui, frame = self.ui, self.frame
        shown = [frame.viewer, frame.sidebar, ui.sources, frame.session] + ([self.kept] if self.kept else [])
        ui.sources.select(
            guarded(self.show_answer, shown),
            [frame.lang, frame.session],
            shown,
            api_visibility="private",
            show_progress="hidden",
        )
