"""The assistant for other programs (web/api.py): the three calls over MCP with the official client and
over the HTTP API, behind the page's login; and the README's examples, run as written."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from assistant.text import has_cjk
from assistant.web import page, server
from assistant.web.api import API_NAMES, MAX_HISTORY_ITEMS
from assistant.web.options import ServeOptions
from tests.conftest import ROOT
from tests.ui_support import GatedAssistant, call, free_port, join, result, serve, stop

pytestmark = pytest.mark.slow  # servers over the real corpus

# The README's examples log in with this (its section "For other programs").
LOGIN = ("alice", "wonderland-42")
README_URL = "http://127.0.0.1:7860"
CITATION_KEYS = {"n", "id", "title", "date", "quote", "original", "url"}


@pytest.fixture(scope="module")
def mcp_app(bot):
    """(url, demo) of the app with its MCP server and a login, as `assistant serve --mcp` runs it."""
    demo = page.build_app(bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(LOGIN,), mcp=True), block=False)
    try:
        yield f"http://127.0.0.1:{port}", demo
    finally:
        demo.close()


def mcp_session(url: str, calls, auth=LOGIN, headers=None):
    """Run `calls(session)` in an MCP session with the official client over streamable HTTP."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def run():
        http = httpx.AsyncClient(auth=auth, headers=headers, timeout=120)
        async with http, streamable_http_client(f"{url}/gradio_api/mcp/", http_client=http) as (r, w, _):
            async with ClientSession(r, w) as session:
                await session.initialize()
                return await calls(session)

    return asyncio.run(run())


def tool_results(url: str, *calls: tuple[str, dict]) -> list:
    async def run(session):
        return [await session.call_tool(name, args) for name, args in calls]

    return mcp_session(url, run)


def as_json(result) -> dict:
    assert not result.isError, result.content
    return json.loads(result.content[0].text)  # JSON, not a Python repr


# ---- MCP --------------------------------------------------------------------------------------------
def test_the_mcp_server_lists_the_three_tools_each_described_for_an_agent(mcp_app):
    url, _ = mcp_app

    async def listed(session):
        return (await session.list_tools()).tools

    tools = {t.name: t for t in mcp_session(url, listed)}
    assert set(tools) == set(API_NAMES)  # not the page's own events (the chat is not a tool)
    for tool in tools.values():
        assert len(tool.description) > 100, tool.name
        for name, schema in tool.inputSchema["properties"].items():
            assert schema.get("description"), (tool.name, name)
    assert tools["ask"].inputSchema["required"] == ["question"]


def test_every_tool_answers_with_cited_json_that_matches_the_corpus(mcp_app, bot):
    url, _ = mcp_app
    asked, found, compared = (
        as_json(r)
        for r in tool_results(
            url,
            ("ask", {"question": "沐曦计划募资多少？"}),
            ("find_company", {"name": "MTT"}),
            ("compare", {"companies": ["摩尔线程", "Enflame", "寒武纪"]}),
        )
    )
    assert not asked["abstained"] and "39.04 亿元" in asked["answer"] and asked["language"] == "zh"
    assert asked["citations"] and all(set(c) == CITATION_KEYS for c in asked["citations"])
    for c in asked["citations"]:
        passage = bot.passage(c["id"])
        assert c["quote"] in passage.text and c["date"].startswith("2025-11-04")
        assert c["url"].startswith(f"{url}/passage/")
    assert found["matches"][0]["id"] == "moore-threads" and found["matches"][0]["name_zh"] == "摩尔线程"
    assert all(bot.passage(f["id"]) for f in found["matches"][0]["facts"])
    assert [c["id"] for c in compared["companies"]] == ["moore-threads", "enflame"]
    assert compared["not_found"] == ["寒武纪"] and "valuation" in compared["fields"]
    valuation = compared["table"]["valuation"]["enflame"]["facts"][0]
    assert "160 亿" in valuation["zh"] and bot.passage(valuation["id"])


def test_an_english_caller_gets_english_quotes_with_the_original_beside_them(mcp_app):
    url, _ = mcp_app
    (result,) = tool_results(url, ("ask", {"question": "Who backs Enflame?", "language": "en"}))
    answer = as_json(result)
    assert answer["language"] == "en" and "Tencent" in answer["answer"]
    first = answer["citations"][0]
    assert not has_cjk(first["quote"]) and has_cjk(first["original"]) and "lang=en" in first["url"]


def test_a_question_the_corpus_does_not_answer_abstains_with_the_closest_material(mcp_app):
    url, _ = mcp_app
    (result,) = tool_results(url, ("ask", {"question": "寒武纪的营收是多少？"}))
    answer = as_json(result)
    assert answer["abstained"] and answer["citations"] == [] and answer["closest"]
    assert "寒武纪" in answer["answer"]


def test_wrong_inputs_are_errors_naming_the_input_not_tracebacks(mcp_app):
    url, _ = mcp_app
    too_many, bad_language, long_name, wrong_type = tool_results(
        url,
        ("ask", {"question": "沐曦呢？", "history": ["x"] * (MAX_HISTORY_ITEMS + 1)}),
        ("ask", {"question": "沐曦计划募资多少？", "language": "fr"}),
        ("find_company", {"name": "摩" * 101}),
        ("ask", {"question": 5}),
    )
    assert too_many.isError and "history has too many items: at most 50" in too_many.content[0].text
    assert bad_language.isError and "language must be zh, en or empty" in bad_language.content[0].text
    assert long_name.isError and "name is too long: at most 100 characters" in long_name.content[0].text
    assert wrong_type.isError and "5 is not of type 'string'" in wrong_type.content[0].text


def test_a_long_question_is_cut_to_the_page_limit_with_a_notice(mcp_app, bot):
    url, _ = mcp_app
    limit = bot.settings.max_question_chars
    (result,) = tool_results(url, ("ask", {"question": "沐曦" * limit}))
    answer = as_json(result)
    assert (
        len(answer["question"]) == limit and answer["notice"] == f"question truncated to {limit} characters"
    )


def test_without_the_login_the_mcp_endpoint_and_the_passage_pages_refuse(mcp_app, bot):
    url, _ = mcp_app
    listing = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"accept": "application/json, text/event-stream"}
    passage = f"{url}/passage/000_1f36a16a379a5773%23p17"
    with httpx.Client(timeout=30) as anonymous:
        r = anonymous.post(f"{url}/gradio_api/mcp/", json=listing, headers=accept)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
        assert "A login is required" in r.json()["detail"]
        call_ask = {
            **listing,
            "method": "tools/call",
            "params": {"name": "ask", "arguments": {"question": "x"}},
        }
        assert anonymous.post(f"{url}/gradio_api/mcp/", json=call_ask, headers=accept).status_code == 401
        assert anonymous.get(passage).status_code == 401
        # the page's login gives the cookie a browser opening a citation's url has
        assert (
            anonymous.post(f"{url}/login", data=dict(zip(("username", "password"), LOGIN))).status_code == 200
        )
        shown = anonymous.get(passage)
        assert shown.status_code == 200 and "沐曦股份成立于 2020 年 9 月" in shown.text
        assert "<script" not in shown.text.lower()
    with pytest.raises(Exception) as refused:  # the official client, without the login
        mcp_session(url, lambda s: s.list_tools(), auth=None)
    assert "401" in repr(refused.value) or "401" in str(refused.value.exceptions)  # an ExceptionGroup


def test_a_citation_url_shows_the_passage_in_context_in_the_callers_language(mcp_app):
    url, _ = mcp_app
    (result,) = tool_results(url, ("ask", {"question": "Who backs Enflame?", "language": "en"}))
    cited = as_json(result)["citations"][0]
    shown = httpx.get(cited["url"], auth=LOGIN, timeout=30)
    assert shown.status_code == 200 and cited["quote"][:40] in shown.text
    assert httpx.get(f"{url}/passage/nope%23p1", auth=LOGIN, timeout=30).status_code == 404


# ---- the HTTP API -----------------------------------------------------------------------------------
def test_the_http_api_answers_the_same_json_and_refuses_before_the_login(mcp_app):
    url, _ = mcp_app
    with httpx.Client(timeout=60) as anonymous:
        refused, (status, detail) = call(anonymous, url, "ask", "沐曦计划募资多少？", [], "")
        assert refused == "refused" and status == 401 and detail["error"] == "Not authenticated"
    with httpx.Client(timeout=60) as user:
        user.post(f"{url}/login", data=dict(zip(("username", "password"), LOGIN)))
        event, data = call(user, url, "ask", "沐曦计划募资多少？", [], "")
        assert event == "complete" and "39.04 亿元" in data[0]["answer"]
        assert set(data[0]["citations"][0]) == CITATION_KEYS
        event, error = call(user, url, "ask", 5, [], "")
        assert event == "error" and error["error"] == "question must be text."
        event, data = call(user, url, "compare", None)
        assert event == "complete" and len(data[0]["companies"]) == 6  # none named: all the profiles
        # the inputs are counted; an endpoint the app does not have is named
        short = call(user, url, "ask", "沐曦计划募资多少？")[1]
        assert short == (422, "data has 1 values; this event takes 3")
        assert call(user, url, "x", 1)[1] == (404, "no endpoint 'x' in this app")
        big = user.post(f"{url}/gradio_api/call/ask", json={"data": ["沐" * 40_000, [], ""]})
        assert big.status_code == 413 and big.json()["detail"].startswith("request of")


def test_http_api_calls_wait_in_the_pages_queue_and_past_it_hear_busy(tiny_bot):
    """`ask` shares the chat's concurrency and queue (`--concurrency`, `--max-queue`)."""
    gated = GatedAssistant(tiny_bot)
    question = "星河芯片的估值是多少？"
    gated.gate.set()  # building the page asks questions (its examples): they pass, the test's wait
    with serve(gated, concurrency=1, max_queue=1) as (url, _), httpx.Client(timeout=60) as client:
        gated.gate.clear()
        gated.entered.clear()
        status, first = join(client, url, "ask", question, [], "")
        assert status == 200 and gated.entered.wait(30)  # being answered
        status, second = join(client, url, "chat", question)
        assert status == 200  # the chat's question waits in the same queue
        assert join(client, url, "ask", question, [], "") == (
            503,
            "Queue is full. Max size is 1 and size is 1.",
        )
        gated.gate.set()
        event, data = result(client, url, "ask", first)
        assert event == "complete" and not data[0]["abstained"]
        assert result(client, url, "chat", second)[0] == "complete"


# ---- the README's examples --------------------------------------------------------------------------
def readme_examples() -> dict[str, list[str]]:
    """The fenced blocks of the README's section on the API, by language."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## For other programs", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[str]] = {}
    for lang, code in re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S):
        blocks.setdefault(lang, []).append(code)
    return blocks


def test_the_readme_json_has_the_fields_the_api_returns(mcp_app):
    url, _ = mcp_app
    blocks = readme_examples()
    assert len(blocks["python"]) == 2 and len(blocks["bash"]) == 1 and len(blocks["json"]) == 1
    shown = json.loads(blocks["json"][0])
    (result,) = tool_results(url, ("ask", {"question": shown["question"]}))
    real = as_json(result)
    assert set(shown) == set(real) and set(shown["citations"][0]) == set(real["citations"][0])
    assert shown["citations"][0]["id"] == real["citations"][0]["id"]


@pytest.mark.parametrize("lang, n", [("python", 0), ("python", 1), ("bash", 0)])
def test_the_readme_examples_run_as_written(mcp_app, lang, n, tmp_path):
    url, _ = mcp_app
    code = readme_examples()[lang][n].replace(README_URL, url)
    command = [sys.executable, "-c", code] if lang == "python" else ["bash", "-euo", "pipefail", "-c", code]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    if lang == "bash":  # three answers, each a complete event whose data is the JSON
        data = [json.loads(line[5:])[0] for line in out.splitlines() if line.startswith("data:")]
        assert out.count("event: complete") == 3 and len(data) == 3, out[-2000:]
        assert "Tencent" in data[0]["answer"] and data[1]["matches"][0]["name_en"] == "Moore Threads"
        assert {c["name_en"] for c in data[2]["companies"]} == {"MetaX", "Biren Technology"}
    elif n == 0:
        assert "39.04 亿元" in out and "False" in out and "Moore Threads" in out and "valuation" in out
    else:
        assert "['ask', 'find_company', 'compare']" in out and "Tencent" in out and "founded" in out


# ---- the command line -------------------------------------------------------------------------------
def test_assistant_serve_mcp_serves_the_tools_behind_the_login(index_dir, tmp_path):
    """`python ui.py --mcp` as a user starts it: the tools answer with the login, not without."""
    port = free_port()
    log = tmp_path / "output.txt"
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"}
    env["ASSISTANT_AUTH"] = ":".join(LOGIN)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "ui.py", "--mcp", "--port", str(port), "--index", str(index_dir)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while "MCP server" not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert f"MCP server (streamable HTTP) on {url}/gradio_api/mcp/" in log.read_text(), log.read_text()
        (result,) = tool_results(url, ("find_company", {"name": "Moor Threads"}))
        assert as_json(result)["matches"][0]["name_zh"] == "摩尔线程"
        r = httpx.post(f"{url}/gradio_api/mcp/", json={}, auth=(LOGIN[0], "wrong"), timeout=30)
        assert r.status_code == 401
    finally:
        stop(proc)
