"""Issue 20, the request guard on its own: the attacks that need no model, each as reported.

The guard is ASGI middleware; here it stands in front of an app that records what reached it,
driven through httpx's ASGI transport (no server, no Gradio).
"""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from assistant.web import guard as guard_module
from assistant.web.guard import LOOPBACK_NAMES, MAX_ADD_BODY_BYTES, Events, LoginLimiter, RequestGuard

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


@pytest.mark.parametrize("headers", [{"host": "attacker.example:7860"},
                                     {"host": "127.0.0.1:7860", "origin": "http://attacker.example"},
                                     {"host": "localhost.attacker.example"}])
def test_a_loopback_server_refuses_a_rebound_host_name(headers):
    guard, app = _guarded(hosts=LOOPBACK_NAMES)
    r = _post(guard, "/gradio_api/queue/join", _join(ADD, ["zh"]), headers)
    assert r.status_code == 403 and "localhost" in r.json()["detail"] and app.paths == []


@pytest.mark.parametrize("headers", [{"host": "127.0.0.1:7860"}, {"host": "localhost:7860"},
                                     {"host": "[::1]:7860", "origin": "http://[::1]:7860"},
                                     {"host": "LOCALHOST", "origin": "null"}])
def test_a_loopback_server_answers_its_own_names(headers):
    guard, app = _guarded(hosts=LOOPBACK_NAMES)
    assert _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), headers).status_code == 200


def test_configured_names_are_answered_and_no_list_means_any_host():
    guard, _ = _guarded(hosts=LOOPBACK_NAMES | {"assistant.lan"})
    assert _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), {"host": "assistant.lan:7860"}).status_code == 200
    guard, _ = _guarded(hosts=None)
    assert _post(guard, "/gradio_api/queue/join", _join(ASK, ["q"]), {"host": "example.org"}).status_code == 200
