"""Issue 10, the web app: each attack through the real server, by raw HTTP or gradio_client, as reported.

Most run the real Gradio server in this process over the tiny corpus and the FakeEmbedder (the
server is what is under test, not the model); the memory check and the start-up checks run
`python ui.py` as a user does. All are marked slow: they start servers.
"""
from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.text import HISTORY_TURNS
from assistant.web import page, server
from assistant.web.options import ServeOptions
from assistant.web.session import MAX_TRANSCRIPT_TURNS
from assistant.web.guard import ADD_MATERIAL, MAX_BODY_BYTES, MAX_FAILED_LOGINS, LoginLimiter
from tests.ui_support import call, free_port, serve, stop

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "星河芯片的估值是多少？"
PASSWORD = "s3cret-Pa55-word"

pytestmark = pytest.mark.slow


class RecordingAssistant:
    """The tiny assistant, remembering the history each question came with."""

    def __init__(self, bot):
        self._bot = bot
        self.histories: list[list] = []

    def __getattr__(self, name):
        return getattr(self._bot, name)

    def ask(self, question, history=None):
        self.histories.append(list(history or []))
        return self._bot.ask(question, history=history)


@pytest.fixture(scope="module")
def recording(tiny_bot):
    return RecordingAssistant(tiny_bot)


@pytest.fixture(scope="module")
def app(recording):
    with serve(recording) as served:
        yield served


@pytest.fixture
def client():
    with httpx.Client(timeout=60) as c:
        yield c


def _join(client, url: str, fn_index, data, session: str, event_data=None) -> httpx.Response:
    """/queue/join as the page calls it (raw JSON, so lone surrogates go as \\ud83d escapes)."""
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": event_data,
                       "trigger_id": None})
    return client.post(f"{url}/gradio_api/queue/join", content=body, headers={"content-type": "application/json"})


def _completed(client, url: str, session: str) -> dict:
    """The next finished event of a session from the queue's event stream."""
    with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return msg
    raise AssertionError("the event stream ended without a result")


def _ask_fn(demo) -> int:
    return next(fn._id for fn in demo.fns.values() if fn.api_name == "ask")


# ---- 2. limits on the server: question, history, transcript, sessions, body ------------------------------
def test_a_long_question_through_the_api_is_cut_with_the_notice_before_it_is_kept(app, recording):
    from gradio_client import Client

    url, _ = app
    limit = recording.settings.max_question_chars
    chat_client = Client(url, verbose=False)
    _, chat, _, _ = chat_client.predict("星河芯片" * 2_000, api_name="/ask")  # 8,000 characters; the box takes 500
    shown = chat[0]["content"][0]["text"] if isinstance(chat[0]["content"], list) else chat[0]["content"]
    assert len(shown) <= limit
    assert "truncated" in json.dumps(chat, ensure_ascii=False)
    chat_client.predict(QUESTION, api_name="/ask")
    assert all(len(turn) <= limit for turn in recording.histories[-1])  # what the session remembered


def test_a_long_conversation_keeps_a_bounded_transcript_and_history(app, recording):
    from gradio_client import Client

    url, _ = app
    chat_client = Client(url, verbose=False)
    turns = MAX_TRANSCRIPT_TURNS + 5
    for i in range(turns):
        _, chat, _, _ = chat_client.predict(f"星河芯片的估值是多少？第{i}次", api_name="/ask")
    assert len(chat) == 2 * MAX_TRANSCRIPT_TURNS
    assert f"第{turns - 1}次" in json.dumps(chat[-2], ensure_ascii=False)  # the newest kept, the oldest dropped
    assert len(recording.histories[-1]) == HISTORY_TURNS


def test_the_number_of_sessions_is_bounded(app, client):
    url, demo = app
    for _ in range(server.MAX_SESSIONS + 20):  # each call of the REST API is a new session
        assert call(client, url, "company", "星河", "zh")[0] == "complete"
    assert len(demo.state_holder.session_data) == server.MAX_SESSIONS


def test_a_request_body_over_the_limit_is_refused_with_one_line_and_a_real_question_fits(app, client):
    url, demo = app
    r = _join(client, url, _ask_fn(demo), ["星" * 100_000, None], "big")
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    # the largest question the page can send: 500 characters, each escaped as a surrogate pair
    r = _join(client, url, _ask_fn(demo), ["😀" * 500, None], "fits")
    assert r.status_code == 200 and len(json.dumps("😀" * 500)) < MAX_BODY_BYTES


# ---- 4. a lone surrogate does not break the session ---------------------------------------------------
def test_a_lone_surrogate_is_answered_and_the_session_keeps_working(app, client):
    url, demo = app
    fn = _ask_fn(demo)
    assert _join(client, url, fn, ["\ud83d 星河芯片的估值是多少？\ufffe", None], "surrogate").status_code == 200
    first = _completed(client, url, "surrogate")
    assert first["success"], first
    assert _join(client, url, fn, [QUESTION, None], "surrogate").status_code == 200
    second = _completed(client, url, "surrogate")
    assert second["success"], second  # was unexpected_error for every later question
    chat = second["output"]["data"][1]
    assert len(chat) == 4 and "\ud83d" not in json.dumps(chat, ensure_ascii=False)


# ---- 10. inputs of every event are checked ---------------------------------------------------------------
def test_unknown_events_and_wrong_inputs_are_refused_without_a_traceback(app, client, capfd):
    url, demo = app
    capfd.readouterr()
    for fn_index in (999, -1, "0", True, None):
        r = _join(client, url, fn_index, [QUESTION, None], "bad-fn")
        assert r.status_code == 422 and "no event" in r.json()["detail"], (fn_index, r.text)  # was HTTP 500
    assert call(client, url, "company", {"name": "星河"}, "zh")[0] == "refused"
    assert call(client, url, "company", "星河", "fr")[0] == "refused"   # not one of the languages
    assert call(client, url, "nonexistent", "x")[0] == "refused"
    examples = next(fn._id for fn in demo.fns.values() if fn.fn.__name__ == "ask_example")
    for index in (99, -1, "x"):
        assert _join(client, url, examples, [index, None], "bad-example").status_code == 422
    assert call(client, url, "ask", QUESTION)[0] == "complete"  # and the app still answers
    time.sleep(0.5)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_odd_click_data_is_ignored(app, client):
    url, demo = app
    click = next(fn._id for fn in demo.fns.values() if fn.fn.__name__ == "on_click")
    for event_data in ({"passage": {"x": 1}}, {"passage": "无此段落#p9", "quote": ["a"]}, {}):
        assert _join(client, url, click, ["zh"], "clicks", event_data).status_code == 200
        assert _completed(client, url, "clicks")["success"]
    assert _join(client, url, click, ["zh"], "clicks", "passage").status_code == 422


# ---- 9. uploads -----------------------------------------------------------------------------------------
def test_uploads_outside_the_add_material_event_are_refused_even_empty_ones(app, client):
    url, demo = app
    for _ in range(50):  # 1,000 empty files in 0.35 s were accepted and served back
        r = client.post(f"{url}/gradio_api/upload", files={"files": ("x.txt", b"", "text/plain")})
        assert r.status_code == 403 and "upload" in r.json()["detail"]
    # An article's worth of text is refused by every other event; only Add material may carry it (a
    # .pdf: that event refuses it in turn, so nothing is written into the shared corpus).
    article = {"files": [{"name": "x.pdf", "data": "QUJD" * 100_000}]}  # 400 KB of base64
    add = next(fn._id for fn in demo.fns.values() if fn.api_name == ADD_MATERIAL)
    for fn in demo.fns.values():
        if fn._id != add:
            r = _join(client, url, fn._id, [None] * len(fn.inputs), "up", article)
            assert r.status_code == 413, (fn.fn.__name__, r.status_code)
    assert _join(client, url, add, ["zh"], "up", article).status_code == 200


# ---- 11. failed logins are rate-limited per client --------------------------------------------------------
def test_repeated_wrong_logins_are_slowed_down(tiny_bot, client):
    demo = page.build_app(tiny_bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(("tester", PASSWORD),)), block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        statuses = [client.post(f"{url}/login", data={"username": "tester", "password": f"guess{i}"}).status_code
                    for i in range(MAX_FAILED_LOGINS + 15)]
        assert statuses[:MAX_FAILED_LOGINS] == [400] * MAX_FAILED_LOGINS
        assert set(statuses[MAX_FAILED_LOGINS:]) == {429}
        r = client.post(f"{url}/login", data={"username": "tester", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "try again" in r.json()["detail"]
    finally:
        demo.close()


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


# ---- 12. one rule for spaces around the password ---------------------------------------------------------
@pytest.mark.parametrize("line", ["bob : pw ", "bob:pw", " bob:  pw\t"])
def test_spaces_around_user_and_password_are_trimmed_in_the_file_and_the_variable_alike(tmp_path, line):
    auth_file = tmp_path / "logins.txt"
    auth_file.write_text(line + "\n", encoding="utf-8")
    assert server.read_auth({}, auth_file) == (("bob", "pw"),)
    assert server.read_auth({"ASSISTANT_AUTH": line}, None) == (("bob", "pw"),)


# ---- 13. a bad or busy port is reported before the index loads -------------------------------------------
def _start(tmp_path, *args) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    run = subprocess.run([sys.executable, "ui.py", "--index", str(tmp_path / "index"), *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"})
    return run, time.monotonic() - t0


def test_an_impossible_port_is_one_line_before_anything_loads(tmp_path):
    run, seconds = _start(tmp_path, "--port", "99999")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: --port 99999")
    assert not (tmp_path / "index").exists() and seconds < 20  # the index was never touched (20 s to load)


def test_a_port_in_use_is_one_line_before_anything_loads(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run, seconds = _start(tmp_path, "--port", str(port))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr
    assert not (tmp_path / "index").exists() and seconds < 20


# ---- 2. memory returns to its baseline after the attack ----------------------------------------------------
def _memory_attack():
    spec = importlib.util.spec_from_file_location("memory_attack", ROOT / "benchmarks" / "memory_attack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("memory_attack", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ui_process(index_dir, bot, tmp_path_factory):
    """`python ui.py` as a user starts it, over the session's index; its output goes to a file."""
    memory_attack = _memory_attack()
    log = tmp_path_factory.mktemp("ui-attack") / "output.txt"
    proc, url = memory_attack.start_server(str(index_dir), log, max_queue=64)
    try:
        yield proc, url, log
    finally:
        stop(proc)


def test_memory_is_back_to_its_baseline_after_20_questions_of_10_mb(ui_process):
    proc, url, log = ui_process
    report = _memory_attack().attack(url, proc.pid, requests=20, megabytes=10)
    assert set(report.statuses) == {413}, report  # refused before anything was read into memory or stored
    assert report.settled_after_s is not None and report.settled_after_s <= 10, report
    assert report.rss_after_mb - report.rss_baseline_mb <= 50, report
    assert report.answers_afterwards, report
    assert "Traceback" not in log.read_text()


def test_the_real_servers_log_has_no_traceback_after_the_input_attacks(ui_process):
    proc, url, log = ui_process
    with httpx.Client(timeout=60) as c:
        assert c.post(f"{url}/gradio_api/queue/join", json={"data": ["x", None], "fn_index": 999,
                                                             "session_hash": "a"}).status_code == 422
        assert call(c, url, "company", {"name": "x"}, "zh")[0] == "refused"
        assert call(c, url, "ask", "沐曦计划募资多少？")[0] == "complete"
    time.sleep(0.5)
    assert "Traceback" not in log.read_text()
