"""The assistant as a tool for other programs: `ask`, `find_company` and `compare` as endpoints of the
web app's HTTP API (`/gradio_api/call/<name>`, `gradio_client`) and, with `assistant serve --mcp`, as
the tools of its MCP server (`/gradio_api/mcp/`, Gradio's own MCP support).

Each returns one JSON object: what a program needs to use an answer — its text, whether the assistant
abstained, and every citation with the passage id, the article's title and date, the quoted sentence
and a URL that shows the passage in context (`/passage/<id>`, assistant/web/api_gate.py) — not the
page's HTML. The docstrings are what an MCP client shows its model: they say what each call is for.
Inputs are checked here, with the page's limits (a question is cut to `max_question_chars` with a
notice, as on the page); a wrong input is an error naming the input, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote as url_quote

import gradio as gr
from markupsafe import Markup

from ..messages import Msg
from ..schema import Answer, Citation
from ..text import clean_input
from .api_gate import PASSAGE_PATH
from .companies_tab import MAX_COMPANY_QUERY_CHARS
from .companies_view import COMPARE_FIELDS, cell
from .page_state import passage_in_context
from .session import LANGUAGES, MAX_TRANSCRIPT_TURNS
from .templating import CSS, render_template

API_NAMES = ("ask", "find_company", "compare")
# Earlier questions a call may send: as many as a page session keeps (its transcript); the answer
# reads the last text.HISTORY_TURNS of them, as the page's does.
MAX_HISTORY_ITEMS = MAX_TRANSCRIPT_TURNS
# Companies one call may compare: the built-in corpus has six profiles; a comparison of more than
# twenty columns is no comparison.
MAX_COMPARE = 20
# Matches one look-up returns: as many as the page's company card shows (the match and three others).
MAX_MATCHES = 4
# Passages that name a company, per match (`mentions_total` says how many there are): in the built-in
# corpus a company is named in 5 to 9; a large corpus could name one in thousands, which no agent reads.
MAX_MENTIONS = 30


@dataclass(frozen=True)
class ApiLimits:
    """What a call may send beyond its question: the page's limits (the search box's, a session's
    history). A question is cut by the assistant itself to Settings.max_question_chars, as the page's."""

    name_chars: int = MAX_COMPANY_QUERY_CHARS
    history_items: int = MAX_HISTORY_ITEMS
    companies: int = MAX_COMPARE


def refuse(msg: Msg, **values: object) -> gr.Error:
    """A refused input as the caller sees it: one line in English (the API's language), no traceback
    in the server's log."""
    return gr.Error(msg.say("en", **values), print_exception=False)


def _text(value, name: str, limit: int | None = None) -> str:
    if not isinstance(value, str):
        raise refuse(Msg.API_NOT_TEXT, name=name)
    if limit is not None and len(value) > limit:
        raise refuse(Msg.API_TOO_LONG, name=name, limit=limit)
    return value


def _language(value) -> str:
    if value in (None, ""):
        return ""
    if value not in LANGUAGES:
        raise refuse(Msg.API_LANGUAGE, value=str(value)[:20])
    return value


def _texts(value, name: str, most: int, each: int | None) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise refuse(Msg.API_NOT_LIST, name=name)
    if len(value) > most:
        raise refuse(Msg.API_TOO_MANY, name=name, limit=most)
    return [_text(v, f"{name}[{i}]", each) for i, v in enumerate(value)]


def base_url(request: gr.Request | None) -> str:
    """The address the caller reached the server by (its Host, which the RequestGuard has checked)."""
    headers = getattr(request, "headers", None) or {}
    host = headers.get("host", "")
    if not host:
        return ""
    scheme = headers.get("x-forwarded-proto", "http")
    return f"{scheme if scheme in ('http', 'https') else 'http'}://{host}"


def passage_url(base: str, passage_id: str, lang: str) -> str:
    return f"{base}{PASSAGE_PATH}{url_quote(passage_id, safe='')}?lang={lang}"


def citation_json(c: Citation, lang: str, base: str) -> dict:
    """A citation in the caller's language: on "en" the English translation of the title and quote
    where the article has one, the original quote kept beside it."""
    en = lang == "en"
    # a company's mention quotes no sentence: its passage is the quote
    quote, quote_en = (c.quote, c.quote_en) if c.quote else (c.text, c.text_en)
    return {
        "n": c.n,
        "id": c.passage_id,
        "title": (c.title_en if en and c.title_en else c.title),
        "date": c.published,
        "quote": (quote_en if en and quote_en else quote),
        "original": quote,
        "url": passage_url(base, c.passage_id, lang or "zh"),
    }


def answer_json(answer: Answer, lang: str, base: str) -> dict:
    lang = lang or answer.language
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "language": answer.language,
        "notice": answer.notice,
        "citations": [citation_json(c, lang, base) for c in answer.citations],
        "closest": [citation_json(c, lang, base) for c in answer.closest],
    }


class AssistantApi:
    """The three calls over the app's live assistant (the page's: an article added there is asked
    about here at once). Methods, so that each tool is named as the issue names it."""

    def __init__(self, live, limits: ApiLimits):
        self.live = live
        self.limits = limits

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        language: str = "",
        request: gr.Request = None,
    ) -> dict:
        """Answer a question about the Chinese GPU industry from the corpus of news articles, with
        every sentence quoted from a source passage and cited. Ask in Chinese or English. When the
        corpus does not answer, `abstained` is true, `answer` says what is not stated and `closest`
        lists the nearest passages (not an answer). Returns JSON: question, answer (the text, with [n]
        citation marks), abstained, language, notice (e.g. the question was cut), citations and closest
        (each: n, id, title, date, quote, original, url).

        Args:
            question: Chinese or English; past 500 characters (default) it is cut; notice says so
            history: earlier questions, oldest first, for follow-ups like "And Biren?" (at most 50)
            language: "en" or "zh", the language of citations' titles and quotes; empty: the answer's
        """
        question = _text(question, "question")
        history = _texts(history, "history", self.limits.history_items, None)
        lang = _language(language)
        answer = self.live.bot.ask(question, history=history)
        return answer_json(answer, lang, base_url(request))

    def find_company(self, name: str, request: gr.Request = None) -> dict:
        """Look a company up by any of its names — Chinese, English, an alias, pinyin, a near miss
        (摩尔线程, Moore Threads, MTT, "Moor Threads"). Returns JSON: query, and matches (at most 4),
        best first, each with id, name_zh, name_en, aliases, score, facts (the curated profile: field,
        zh, en, and the passage each was quoted from, with its url) and mentions (passages that name
        the company, in document order, each like a citation of `ask`). No match: matches is empty.

        Args:
            name: the company's name or alias (at most 100 characters)
        """
        name = _text(name, "name", self.limits.name_chars)
        bot, base = self.live.bot, base_url(request)
        matches = bot.find_company(clean_input(name))[:MAX_MATCHES]
        return {"query": name, "matches": [_match_json(bot, m, base) for m in matches]}

    def compare(self, companies: list[str] | None = None, request: gr.Request = None) -> dict:
        """Compare companies side by side on the facts of their curated profiles: founded, headquarters,
        focus, products, listing, fundraising, valuation, revenue, losses, shareholders. Each fact is
        quoted from a passage, with the passage's id and url. Returns JSON: companies (id, name_zh,
        name_en), fields (the rows, in order), table (field → company id → facts, each with zh, en, id,
        url, and `more`: how many further facts the field has) and not_found (names that matched no
        company).

        Args:
            companies: names or aliases of the companies (at most 20); empty: every company with a profile
        """
        names = _texts(companies, "companies", self.limits.companies, self.limits.name_chars)
        bot, base = self.live.bot, base_url(request)
        profiles, not_found = _profiles(bot, names)
        fields = [f for f in COMPARE_FIELDS if any(p.facts_for(f) for p in profiles)]
        table = {f: {p.id: _cell_json(p, f, base) for p in profiles} for f in fields}
        return {
            "companies": [{"id": p.id, "name_zh": p.name_zh, "name_en": p.name_en} for p in profiles],
            "fields": fields,
            "table": table,
            "not_found": not_found,
        }

    def passage_page(self, passage_id: str, lang: str) -> str | None:
        """A citation's url: the passage between its neighbours under its article's title, source and
        date (the page's side panel, as a page of its own); None for an id the index does not have."""
        bot = self.live.bot
        found = bot.passage(passage_id)
        if found is None:
            return None
        view = passage_in_context(bot, passage_id, "", "", lang)
        return render_template(
            "passage_page.html", lang=lang, passage=found, view=Markup(view), css=Markup(CSS)
        )


def _match_json(bot, match, base: str) -> dict:
    p = match.profile
    return {
        "id": match.company_id,
        "name_zh": match.name_zh,
        "name_en": match.name_en,
        "aliases": list(match.aliases),
        "score": round(match.score, 4),
        "facts": [_fact_json(f, base) for f in p.facts],
        "mentions": [citation_json(c, "zh", base) for c in match.passages[:MAX_MENTIONS]],
        "mentions_total": len(match.passages),
    }


def _fact_json(fact, base: str) -> dict:
    return {
        "field": fact.field,
        "zh": fact.zh,
        "en": fact.en,
        "id": fact.source,
        "url": passage_url(base, fact.source, "zh"),
    }


def _cell_json(profile, field_name: str, base: str) -> dict:
    shown = cell(profile, field_name)
    return {"facts": [_fact_json(f, base) for f in shown.facts], "more": shown.hidden}


def _profiles(bot, names: list[str]) -> tuple[list, list[str]]:
    """The profiles the names mean, in the order named, each once; the names that mean none."""
    if not names:
        return [p for p in bot.companies()], []
    chosen, missing = [], []
    for name in names:
        matches = bot.find_company(clean_input(name))
        if not matches:
            missing.append(name)
        elif matches[0].profile not in chosen:
            chosen.append(matches[0].profile)
    return chosen, missing


def add_api(live, limits: ApiLimits, concurrency: int) -> AssistantApi:
    """The three endpoints, in the Blocks being built (call inside its `with`). Not queued: an MCP tool
    call then runs in the server (Gradio's queued path calls the app back over HTTP without the
    caller's login, which a server with a login refuses); `/gradio_api/call/<name>` still queues them,
    with the chat's concurrency (`concurrency_id="model"`); MCP calls are bounded by api_gate."""
    api = AssistantApi(live, limits)
    for name in API_NAMES:
        gr.api(
            getattr(api, name),
            api_name=name,
            queue=False,
            concurrency_limit=concurrency,
            concurrency_id="model",
        )
    return api


def api_of(demo) -> AssistantApi | None:
    """The API object of an app: the one whose method is its `ask` endpoint."""
    fn = next((f.fn for f in demo.fns.values() if f.api_name == API_NAMES[0]), None)
    api = getattr(fn, "__self__", None)
    return api if isinstance(api, AssistantApi) else None


def mcp_text(value) -> str:
    """An MCP tool's result as its text: JSON (Gradio's MCP server writes str(dict), a Python repr)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@contextlib.asynccontextmanager
async def json_results(app) -> AsyncIterator[None]:
    """The app's start (a FastAPI lifespan): its MCP server, when it has one, made to hand each tool's
    result to the client as JSON text, before the server takes its first request.

    Gradio 6.31's MCP server turns a result into `TextContent(text=str(result))`: for a dict, a Python
    repr (single quotes, True/False) an agent cannot parse as JSON. Its own hook for the conversion,
    `postprocess_output_data`, is replaced on this app's server object (our tools return no files, the
    one thing the original does more). tests/web/test_api.py parses every tool's text as JSON."""
    server = getattr(app.get_blocks(), "mcp_server_obj", None)
    if server is not None:
        from mcp import types

        def as_json(data, root_url: str) -> list:
            return [types.TextContent(type="text", text=mcp_text(value)) for value in data]

        server.postprocess_output_data = as_json
    yield
