"""The page: the header, the language switch, the passage viewer and the four tabs over one `Assistant`.

Each tab (chat_tab, companies_tab, compare_tab, add_tab) owns its components and its handlers;
this module lays them out, wires what crosses tabs — the language switch relabels everything, a
source or a company name clicked in any panel opens the passage or the profile — and sets the queue.
Serving is assistant/web/server.py.
"""

from __future__ import annotations

import gradio as gr

from .add_tab import AddTab, add_layout
from .api import ApiLimits, add_api
from .chat_tab import ChatTab, chat_layout
from .companies_tab import MAX_COMPANY_QUERY_CHARS, CompaniesTab, companies_layout
from .compare_tab import CompareTab, compare_layout
from .frame import Frame
from .guarded import guarded
from .look import THEME_COLOURS, scheme_switch
from .options import DEFAULT_CONCURRENCY, DEFAULT_MAX_QUEUE
from .page_state import PageState, header_html, passage_in_context
from .page_text import t
from .persistence import Persistence
from .session import ChatSession, event_text, language_of, session_of
from .sources_view import viewer_empty
from .templating import LOOK_JS, VIEWER_JS

SESSION_TTL_SECONDS = 4 * 3600


class Page:
    """The composed page: the frame around the tabs, and the tabs."""

    def __init__(
        self,
        state: PageState,
        frame: Frame,
        chat: ChatTab,
        companies: CompaniesTab,
        compare: CompareTab,
        add: AddTab,
    ):
        self.state, self.frame = state, frame
        self.chat, self.companies, self.compare, self.add = chat, companies, compare, add

    def relabel(self, lang, session, query):
        """Everything with words on it, in the page's language."""
        bot = self.state.live.bot
        lang = language_of(lang)
        session = session_of(session)
        return {
            self.frame.header: header_html(bot, lang),
            **self.chat.relabel(bot, lang, session),
            **self.companies.relabel(bot, lang, query),
            **self.compare.relabel(bot, lang),
            self.frame.sidebar: gr.update(label=t("viewer", lang)),
            **self.add.relabel(lang),
        }

    def on_click(self, lang, evt: gr.EventData):
        """A source button opens its passage in the side panel; a company name opens its profile."""
        bot, frame = self.state.live.bot, self.frame
        lang = language_of(lang)
        passage_id = event_text(evt, "passage", 300)
        if passage_id:
            viewer = passage_in_context(
                bot, passage_id, event_text(evt, "quote", 1000), event_text(evt, "quote_en", 2000), lang
            )
            return {frame.viewer: viewer, frame.sidebar: gr.Sidebar(open=True)}
        company = event_text(evt, "company", MAX_COMPANY_QUERY_CHARS)
        if company:
            return {frame.tabs: gr.Tabs(selected="companies"), self.companies.ui.company_box: company}
        return {}

    def wire(self, concurrency: int) -> None:
        """Every event, each handler behind the last line of defence (`guarded`)."""
        frame, chat, companies = self.frame, self.chat.ui, self.companies.ui
        self.chat.wire(concurrency)
        add = self.add.ui
        compare = self.compare.ui
        labelled = [
            frame.header,
            chat.msg,
            chat.counter,
            chat.send,
            chat.clear_btn,
            chat.chatbot,
            chat.examples_zh,
            chat.examples_en,
            chat.sources,
            chat.actions,
            chat.tab,
            companies.tab,
            compare.tab,
            add.tab,
            companies.company_box,
            companies.card,
            companies.mentions,
            compare.table,
            frame.sidebar,
            add.uploads,
        ]  # every component with words on it (`relabel`)
        frame.lang.change(
            guarded(self.relabel, labelled),
            [frame.lang, frame.session, companies.company_box],
            labelled,
            api_visibility="private",
            show_progress="hidden",
        )
        self.companies.wire(frame.lang)
        opened = [frame.viewer, frame.sidebar, frame.tabs, companies.company_box]
        for html in (chat.sources, companies.card, companies.mentions, compare.table):
            html.click(
                guarded(self.on_click, opened),
                [frame.lang],
                opened,
                api_visibility="private",
                show_progress="hidden",
            )
        self.chat.wire_show_answer()
        self.add.wire(frame.lang)


def build_app(
    bot, *, concurrency: int = DEFAULT_CONCURRENCY, max_queue: int = DEFAULT_MAX_QUEUE, adding: bool = True
):
    """The Blocks for one loaded Assistant. Every handler asks the assistant and hands the result to
    the views. `adding`: whether articles may be added from the page (the server allows it on
    loopback, or beyond it only with a login); the event refuses when not, whatever a client sends.

    The assistant is held by a `LiveAssistant`: adding or removing an article swaps in a re-indexed
    one, and each handler reads it once, at its start."""
    state = PageState.of(bot, adding)
    lang0 = "zh"
    with gr.Blocks(analytics_enabled=False, title=f"{t('title', 'zh')} · {t('title', 'en')}") as demo:
        session = gr.State(ChatSession(), time_to_live=SESSION_TTL_SECONDS)
        with gr.Row(equal_height=False, elem_id="head-row"):
            header = gr.HTML(header_html(bot, lang0), elem_id="app-head", js_on_load=None)
            lang = gr.Radio(
                [("中文", "zh"), ("English", "en")],
                value=lang0,
                label="界面语言 · Language",
                elem_id="lang",
                scale=0,
                min_width=230,
            )
            gr.HTML(scheme_switch(), elem_id="scheme", js_on_load=LOOK_JS)
        with gr.Sidebar(
            label=t("viewer", lang0), open=False, position="right", width=460, elem_id="viewer-panel"
        ) as sidebar:
            viewer = gr.HTML(viewer_empty(lang0), elem_id="viewer", js_on_load=VIEWER_JS)
        with gr.Tabs(elem_id="tabs") as tabs:
            frame = Frame(session, header, lang, sidebar, viewer, tabs)
            chat = ChatTab(state, frame, chat_layout(state, lang0))
            companies = CompaniesTab(state, companies_layout(bot, lang0))
            compare = CompareTab(compare_layout(bot, lang0))
            add = AddTab(state, header, add_layout(state, lang0))
        page = Page(state, frame, chat, companies, compare, add)
        persistence = Persistence(state, frame, chat)  # before the chat's events, which write its record
        page.wire(concurrency)
        add_api(state.live, ApiLimits(), concurrency)  # the HTTP API and MCP tools (web/api.py)
        persistence.wire(demo, concurrency)  # the language and the chat survive a reload
    demo.queue(max_size=max_queue, default_concurrency_limit=4)
    return demo


def theme():
    """Gradio's look with system fonts: the default theme fetches Google Fonts, and the page must work
    offline."""
    sans = [
        "system-ui",
        "-apple-system",
        "Segoe UI",
        "PingFang SC",
        "Hiragino Sans GB",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Noto Sans SC",
        "sans-serif",
    ]
    return gr.themes.Soft(
        primary_hue="indigo", font=sans, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"]
    ).set(**THEME_COLOURS)  # AA contrast in both schemes (look.py)
