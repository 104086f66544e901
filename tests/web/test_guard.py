"""The request guard (web/guard.py): the attacks of issues 10 and 20, each as reported.

Some drive the guard alone, in front of an app that records what reached it, through httpx's ASGI
transport (no server, no Gradio); the others go through the real server (marked slow)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from assistant.web import guard as guard_module
from assistant.web import page, server
from assistant.web.guard import (
    ADD_MATERIAL,
    LOOPBACK_NAMES,
    MAX_ADD_BODY_BYTES,
    MAX_BODY_BYTES,
    MAX_FAILED_LOGINS,
    Events,
    LoginLimiter,
    RequestGuard,
)
from assistant.web.options import ServeOptions
from tests.ui_support import free_port
from tests.web.conftest import ask_fn_index, event_index, queue_join

ASK, ADD = 0, 1


class Recorder:
    """An ASGI app that answers 200 and remembers the paths it was asked for."""

    def __init__(self):
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _guarded(hosts=None) -> tuple[RequestGuard, Recorder]:
    app = Recorder()
    anything = (lambda v: True,)
    events = Events({ASK: anything, ADD: anything}, {}, frozenset({ADD}))
    return RequestGuard(app, events=events, logins=LoginLimiter(), hosts=hosts), app


def _post(guard: RequestGuard, path: str, body: bytes, headers: dict | None = None) -> httpx.Response:
    async def run():
        transport = httpx.ASGITransport(app=guard)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:7860") as client:
            return await client.post(path, content=body, headers=headers or {})

    return asyncio.run(run())


def _join(fn_index: int, data) -> bytes:
    # the page's order: data first, fn_index after it
    return json.dumps({"data": data, "event_data": None, "fn_index": fn_index, "session_hash": "s1"}).encode()


def test_deeply_nested_json_is_one_line_422_not_a_traceback():
    guard, app = _guarded()
    for body in (b"[" * 16_000, b'{"data": ' + b"[" * 16_000):
        r = _post(guard, "/gradio_api/queue/join", body)
        assert r.status_code == 422 and "\n" not in r.json()["detail"]
    assert app.paths == []


def test_a_large_body_for_a_small_event_is_refused_before_any_json_is_parsed(monkeypatch):
    guard, app = _guarded()
    parsed = []
    monkeypatch.setattr(guard_module, "_json", lambda body: parsed.append(len(body)))
    r = _post(guard, "/gradio_api/queue/join", _join(ASK, ["x" * (3 * 2**20)]))
    assert r.status_code == 413 and parsed == [] and app.paths == []


def test_the_add_event_may_still_send_a_large_body():
    guard, app = _guarded()
    r = _post(guard, "/gradio_api/queue/join", _join(ADD, ["x" * (3 * 2**20)]))
    assert r.status_code == 200 and app.paths == ["/gradio_api/queue/join"]
    r = _post(guard, "/gradio_api/queue/join", _join(ADD, ["x" * MAX_ADD_BODY_BYTES]))
    assert r.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {"host": "attacker.example:7860"},
        {"host": "127.0.0.1:7860", "origin": "http://attacker.example"},
        {"host": "localhost.attacker.example"},
    ],
)
def test_a_loopback_server_refuses_a_rebound_host_name(headers):
    guard, app = _guarded(hosts=LOOPBACK_NAMES)
    r = _post(guard, "/gradio_api/queue/join", _join(ADD, ["zh"]), headers)
    assert r.status_code == 403 and "localhost" in r.json()["detail"] and app.paths == []


@pytest.mark.parametrize(
    "headers",
    [
        {"host": "127.0.0.1:7860"},
        {"host": "localhost:7860"},
        {"host": "[::1]:7860", "origin": "http://[::1]:7860"},
        {"host": "LOCALHOST", "origin": "null"},
    ],
)
def test_a_loopback_server_answers_its_own_names(headers):
    guard, app = _guarded(hosts=LOOPBACK_NAMES)
    assert _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), headers).status_code == 200


def test_configured_names_are_answered_and_no_list_means_any_host():
    guard, _ = _guarded(hosts=LOOPBACK_NAMES | {"assistant.lan"})
    assert (
        _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), {"host": "assistant.lan:7860"}).status_code
        == 200
    )
    guard, _ = _guarded(hosts=None)
    assert (
        _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), {"host": "example.org"}).status_code == 200
    )


PASSWORD = "s3cret-Pa55-word"


@pytest.mark.slow
def test_a_request_body_over_the_limit_is_refused_with_one_line_and_a_real_question_fits(
    recording_app, client
):
    url, demo = recording_app
    r = queue_join(client, url, ask_fn_index(demo), ["星" * 100_000, None], "big")
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    # the largest question the page can send: 500 characters, each escaped as a surrogate pair
    r = queue_join(client, url, ask_fn_index(demo), ["😀" * 500, None], "fits")
    assert r.status_code == 200 and len(json.dumps("😀" * 500)) < MAX_BODY_BYTES


# ---- 9. uploads -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_uploads_outside_the_add_material_event_are_refused_even_empty_ones(recording_app, client):
    url, demo = recording_app
    for _ in range(50):  # 1,000 empty files in 0.35 s were accepted and served back
        r = client.post(f"{url}/gradio_api/upload", files={"files": ("x.txt", b"", "text/plain")})
        assert r.status_code == 403 and "upload" in r.json()["detail"]
    # An article's worth of text is refused by every other event; only Add material may carry it (a
    # .pdf: that event refuses it in turn, so nothing is written into the shared corpus).
    article = {"files": [{"name": "x.pdf", "data": "QUJD" * 100_000}]}  # 400 KB of base64
    add = next(fn._id for fn in demo.fns.values() if fn.api_name == ADD_MATERIAL)
    for fn in demo.fns.values():
        if fn._id != add:
            r = queue_join(client, url, fn._id, [None] * len(fn.inputs), "up", article)
            assert r.status_code == 413, (fn.fn.__name__, r.status_code)
    assert queue_join(client, url, add, ["zh"], "up", article).status_code == 200


# ---- 11. failed logins are rate-limited per client --------------------------------------------------------
@pytest.mark.slow
def test_repeated_wrong_logins_are_slowed_down(tiny_bot, client):
    demo = page.build_app(tiny_bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(("tester", PASSWORD),)), block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        statuses = [
            client.post(f"{url}/login", data={"username": "tester", "password": f"guess{i}"}).status_code
            for i in range(MAX_FAILED_LOGINS + 15)
        ]
        assert statuses[:MAX_FAILED_LOGINS] == [400] * MAX_FAILED_LOGINS
        assert set(statuses[MAX_FAILED_LOGINS:]) == {429}
        r = client.post(f"{url}/login", data={"username": "tester", "password": PASSWORD})
        assert (
            r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "try again" in r.json()["detail"]
        )
    finally:
        demo.close()


@pytest.mark.slow
def test_the_login_limit_forgets_failures_after_the_window():
    now = [0.0]
    limiter = LoginLimiter(clock=lambda: now[0])
    for _ in range(MAX_FAILED_LOGINS):
        assert limiter.wait("1.2.3.4") == 0
        limiter.failed("1.2.3.4")
    assert limiter.wait("1.2.3.4") > 0 and limiter.wait("5.6.7.8") == 0
    now[0] += limiter.window + 1
    assert limiter.wait("1.2.3.4") == 0
    limiter = LoginLimiter(max_clients=3, clock=lambda: now[0])
    for i in range(100):
        limiter.failed(f"10.0.0.{i}")
    assert len(limiter._failures) == 3


def test_uploads_are_refused(app, client):
    url, _ = app
    r = client.post(f"{url}/gradio_api/upload", files={"files": ("x.txt", b"hello", "text/plain")})
    assert r.status_code == 403, (r.status_code, r.text)


@pytest.mark.slow
def test_a_rebound_host_name_cannot_add_articles(writable):
    url, demo, corpus = writable
    before = sorted((corpus / "articles").rglob("*"))
    body = json.dumps(
        {
            "data": ["zh"],
            "fn_index": event_index(demo, ADD_MATERIAL),
            "session_hash": "dns",
            "event_data": {"text": "标题\n正文。"},
            "trigger_id": None,
        }
    )
    r = httpx.post(
        f"{url}/gradio_api/queue/join",
        content=body,
        headers={
            "content-type": "application/json",
            "host": "attacker.example:7860",
            "origin": "http://attacker.example:7860",
        },
    )
    assert r.status_code == 403 and sorted((corpus / "articles").rglob("*")) == before


@pytest.mark.slow
def test_deep_json_and_large_bodies_are_one_line_refusals(writable, capfd):
    url, demo, _ = writable
    r = httpx.post(
        f"{url}/gradio_api/queue/join", content=b"[" * 16_000, headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    body = json.dumps(
        {"data": ["x" * (3 * 2**20), None], "fn_index": event_index(demo, "chat"), "session_hash": "big"}
    )
    r = httpx.post(f"{url}/gradio_api/queue/join", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "Traceback" not in capfd.readouterr().err
