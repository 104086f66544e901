"""The MCP endpoint's and the passage pages' door (web/api_gate.py), called as the ASGI server calls it."""

from __future__ import annotations

import asyncio
import base64
import json

from assistant.web.api_gate import ApiGate
from assistant.web.guard import MAX_FAILED_LOGINS, LoginLimiter

LOGINS = (("alice", "wonderland-42"),)


class App:
    """The app behind the gate: records what reached it, answers 200 (after `gate`, when given)."""

    def __init__(self, gate: asyncio.Event | None = None):
        self.reached: list[str] = []
        self.gate = gate

    async def __call__(self, scope, receive, send):
        self.reached.append(scope["path"])
        if self.gate is not None:
            await self.gate.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def gate_over(app, logins=LOGINS, concurrency=4, max_queue=64, limiter=None, pages=None) -> ApiGate:
    return ApiGate(
        app,
        logins=logins,
        limiter=limiter or LoginLimiter(),
        concurrency=concurrency,
        max_queue=max_queue,
        passage_page=pages or (lambda passage_id, lang: None),
    )


def basic(user: str, password: str) -> tuple[bytes, bytes]:
    return b"authorization", b"Basic " + base64.b64encode(f"{user}:{password}".encode())


async def request(gate, path="/gradio_api/mcp/", method="POST", headers=(), app=None, query=b""):
    """(status, headers, body) of one request through the gate."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": list(headers),
        "client": ("10.0.0.7", 5000),
        "query_string": query,
    }
    if app is not None:
        scope["app"] = app
    await gate(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def run(gate, **kwargs):
    return asyncio.run(request(gate, **kwargs))


def test_without_a_login_set_everything_passes_as_on_the_page():
    app = App()
    assert run(gate_over(app, logins=()))[0] == 200 and app.reached == ["/gradio_api/mcp/"]


def test_with_a_login_the_mcp_endpoint_needs_it_and_says_how_to_send_it():
    app = App()
    gate = gate_over(app)
    status, headers, body = run(gate)
    assert status == 401 and headers[b"www-authenticate"].startswith(b"Basic")
    assert "HTTP Basic" in json.loads(body)["detail"]
    assert run(gate, headers=[basic("alice", "wrong")])[0] == 401
    assert run(gate, headers=[(b"authorization", b"Basic %%%not-base64")])[0] == 401
    assert run(gate, headers=[(b"authorization", b"Bearer wonderland-42")])[0] == 401
    assert app.reached == []
    assert run(gate, headers=[basic(" alice ", "wonderland-42 ")])[0] == 200  # spaces as in read_auth
    assert app.reached == ["/gradio_api/mcp/"]


def test_other_paths_are_left_to_gradio_and_its_own_login():
    app = App()
    assert run(gate_over(app), path="/gradio_api/call/ask")[0] == 200
    assert run(gate_over(app), path="/gradio_api/mcpx")[0] == 200  # not the MCP endpoint
    assert app.reached == ["/gradio_api/call/ask", "/gradio_api/mcpx"]


def test_the_pages_login_cookie_opens_the_door_too():
    class GradioApp:  # what Gradio's App holds: the tokens its /login handed out
        cookie_id = "abc"
        tokens = {"tok-1": "alice"}

    app = App()
    gate = gate_over(app)
    cookie = (b"cookie", b"other=1; access-token-unsecure-abc=tok-1")
    assert run(gate, headers=[cookie], app=GradioApp())[0] == 200
    forged = (b"cookie", b"access-token-abc=tok-2")
    assert run(gate, headers=[forged], app=GradioApp())[0] == 401


def test_failed_logins_are_counted_with_the_pages_and_then_refused_for_a_while():
    limiter = LoginLimiter()
    gate = gate_over(App(), limiter=limiter)
    for _ in range(MAX_FAILED_LOGINS):
        assert run(gate, headers=[basic("alice", "guess")])[0] == 401
    status, headers, _ = run(gate, headers=[basic("alice", "wonderland-42")])
    assert status == 429 and int(headers[b"retry-after"]) > 0
    assert limiter.wait("10.0.0.7") > 0  # the same count the page's login form reads


def test_mcp_calls_past_the_concurrency_and_the_queue_are_told_busy_at_once():
    async def scenario():
        release = asyncio.Event()
        app = App(release)
        gate = gate_over(app, logins=(), concurrency=1, max_queue=1)
        running = asyncio.create_task(request(gate))
        waiting = asyncio.create_task(request(gate))
        await asyncio.sleep(0.05)
        refused = await asyncio.wait_for(request(gate), 2)  # answered without waiting
        release.set()
        return refused, await running, await waiting, app.reached

    refused, running, waiting, reached = asyncio.run(scenario())
    assert refused[0] == 503 and "busy" in json.loads(refused[2])["detail"]
    assert running[0] == waiting[0] == 200 and len(reached) == 2


def test_a_passage_page_is_served_to_a_get_behind_the_login():
    pages = {"doc#p1": "<p>the passage</p>"}
    seen = []

    def page(passage_id, lang):
        seen.append((passage_id, lang))
        return pages.get(passage_id)

    gate = gate_over(App(), pages=page)
    assert run(gate, path="/passage/doc#p1", method="GET")[0] == 401
    login = [basic("alice", "wonderland-42")]
    status, headers, body = run(gate, path="/passage/doc#p1", method="GET", headers=login, query=b"lang=en")
    assert (
        status == 200 and body == b"<p>the passage</p>" and headers[b"content-type"].startswith(b"text/html")
    )
    assert b"default-src 'none'" in headers[b"content-security-policy"]
    assert run(gate, path="/passage/nope#p9", method="GET", headers=login)[0] == 404
    assert run(gate, path="/passage/doc#p1", method="POST", headers=login)[0] == 405
    assert seen == [("doc#p1", "en"), ("nope#p9", "zh")]
