"""The web app's server (web/server.py): closed by default, a login when one is configured, a bounded
queue, bounded sessions, clean start-up errors, and memory that comes back after attacks."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from assistant.errors import AssistantError
from assistant.web import server
from assistant.web.guard import MAX_FAILED_LOGINS
from tests.conftest import ROOT
from tests.ui_support import GatedAssistant, call, free_port, join, result, serve, stop

PASSWORD = "s3cret-Pa55-word"


# ---- the API the page uses ------------------------------------------------------------------------
def test_ask_endpoint_returns_the_chat_with_a_cited_answer_and_its_sources(app, client):
    url, _ = app
    event, data = call(client, url, "chat", "沐曦计划募资多少？")
    assert event == "complete"
    textbox, chat, sources, lang, _session = data
    assert textbox == "" and lang == "zh"
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert 'href="#cite-0-1"' in chat[-1]["content"][0]["text"]  # [1], a link to the source
    assert 'class="src"' in sources and "<mark>" in sources


def test_a_full_queue_refuses_new_questions_with_busy_instead_of_waiting_forever(bot, client):
    gated = GatedAssistant(bot)
    with serve(gated, concurrency=1, max_queue=1) as (url, _):
        status_a, first = join(client, url, "chat", "沐曦计划募资多少？")
        assert status_a == 200 and gated.entered.wait(30)  # being answered
        status_b, second = join(client, url, "chat", "燧原的估值是多少？")
        assert status_b == 200  # waits in the queue (size 1)
        status_c, refusal = join(client, url, "chat", "Who backs Enflame?")
        assert status_c == 503 and "full" in refusal.lower()  # the page shows "busy, try again"
        gated.gate.set()
        assert result(client, url, "chat", first)[0] == "complete"
        assert result(client, url, "chat", second)[0] == "complete"


# ---- closed by default ----------------------------------------------------------------------------
def test_files_on_disk_are_not_served(app, client):
    url, _ = app
    for path in (ROOT / "README.md", ROOT / "ui.py", next((ROOT / "corpus" / "articles").glob("*.txt"))):
        r = client.get(f"{url}/gradio_api/file={path}")
        assert r.status_code == 403 and "not allowed" in r.text, (path, r.status_code)


def test_no_share_link_no_analytics_no_run_history(app):
    _, demo = app
    assert not demo.share and demo.share_url is None
    assert demo.analytics_enabled is False
    assert demo.run_history is False


def test_logins_come_from_the_environment_and_a_file(tmp_path):
    auth_file = tmp_path / "logins.txt"
    auth_file.write_text("# team\nalice:pa:ss\n\nbob:hunter2\n", encoding="utf-8")
    logins = server.read_auth({"ASSISTANT_AUTH": "carol:xyz"}, auth_file)
    assert logins == (("carol", "xyz"), ("alice", "pa:ss"), ("bob", "hunter2"))


def test_a_malformed_login_names_the_file_and_line_but_not_the_password(tmp_path):
    auth_file = tmp_path / "logins.txt"
    auth_file.write_text(f"alice:ok\n{PASSWORD}\n", encoding="utf-8")
    with pytest.raises(AssistantError) as err:
        server.read_auth({}, auth_file)
    assert str(auth_file) in str(err.value) and "line 2" in str(err.value) and PASSWORD not in str(err.value)
    with pytest.raises(AssistantError) as err:
        server.read_auth({"ASSISTANT_AUTH": PASSWORD}, None)
    assert "ASSISTANT_AUTH" in str(err.value) and PASSWORD not in str(err.value)


def test_exposed_address_without_login_prints_a_warning(index_dir):
    proc = subprocess.Popen(
        [sys.executable, "ui.py", "--host", "0.0.0.0", "--port", str(free_port()), "--index", str(index_dir)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(ASSISTANT_AUTH=""),
    )
    try:
        first_line = proc.stderr.readline()  # printed before anything is loaded
    finally:
        proc.kill()
        proc.wait()
    assert first_line.startswith("warning:") and "0.0.0.0" in first_line and "ASSISTANT_AUTH" in first_line


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"}
    env.update({k: v for k, v in extra.items() if v})
    return env


@pytest.fixture(scope="module")
def started(bot, index_dir, tmp_path_factory):
    """`python ui.py` as a user starts it, with a login from $ASSISTANT_AUTH; its output goes to a file."""
    port = free_port()
    log = tmp_path_factory.mktemp("ui") / "output.txt"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "ui.py", "--port", str(port), "--index", str(index_dir)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(ASSISTANT_AUTH=f"tester:{PASSWORD}"),
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url, timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.5)
    try:
        assert proc.poll() is None, log.read_text()
        yield proc, url, log
    finally:
        stop(proc)


def test_the_app_listens_on_loopback_only_by_default(started):
    proc, _, _ = started
    listening = [
        c.laddr for c in psutil.Process(proc.pid).net_connections(kind="inet") if c.status == "LISTEN"
    ]
    assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening)


def test_with_a_login_configured_nothing_is_answered_before_logging_in(started):
    _, url, _ = started
    with httpx.Client() as anonymous:
        assert call(anonymous, url, "chat", "沐曦计划募资多少？")[0] == "refused"
        assert (
            anonymous.post(f"{url}/login", data={"username": "tester", "password": "wrong"}).status_code
            == 400
        )
    with httpx.Client() as user:
        assert user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD}).status_code == 200
        assert call(user, url, "chat", "沐曦计划募资多少？")[0] == "complete"


def test_the_password_never_appears_in_the_output(started):
    _, url, log = started
    with httpx.Client() as user:
        user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD})
        user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD + "x"})
    time.sleep(0.5)
    output = log.read_text()
    assert "running on http://127.0.0.1" in output and PASSWORD not in output


@pytest.mark.slow
def test_the_number_of_sessions_is_bounded(recording_app, client):
    url, demo = recording_app
    for _ in range(server.MAX_SESSIONS + 20):  # each call of the REST API is a new session
        assert call(client, url, "company", "星河", "zh")[0] == "complete"
    assert len(demo.state_holder.session_data) == server.MAX_SESSIONS


# ---- 12. one rule for spaces around the password ---------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("line", ["bob : pw ", "bob:pw", " bob:  pw\t"])
def test_spaces_around_user_and_password_are_trimmed_in_the_file_and_the_variable_alike(tmp_path, line):
    auth_file = tmp_path / "logins.txt"
    auth_file.write_text(line + "\n", encoding="utf-8")
    assert server.read_auth({}, auth_file) == (("bob", "pw"),)
    assert server.read_auth({"ASSISTANT_AUTH": line}, None) == (("bob", "pw"),)


# ---- 13. a bad or busy port is reported before the index loads -------------------------------------------
def _start(tmp_path, *args) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    run = subprocess.run(
        [sys.executable, "ui.py", "--index", str(tmp_path / "index"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"},
    )
    return run, time.monotonic() - t0


@pytest.mark.slow
def test_an_impossible_port_is_one_line_before_anything_loads(tmp_path):
    run, seconds = _start(tmp_path, "--port", "99999")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: --port 99999")
    assert not (tmp_path / "index").exists() and seconds < 20  # the index was never touched (20 s to load)


@pytest.mark.slow
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


@pytest.mark.slow
def test_memory_is_back_to_its_baseline_after_20_questions_of_10_mb(ui_process):
    proc, url, log = ui_process
    report = _memory_attack().attack(url, proc.pid, requests=20, megabytes=10)
    assert set(report.statuses) == {413}, report  # refused before anything was read into memory or stored
    assert report.settled_after_s is not None and report.settled_after_s <= 10, report
    assert report.rss_after_mb - report.rss_baseline_mb <= 50, report
    assert report.answers_afterwards, report
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
def test_the_real_servers_log_has_no_traceback_after_the_input_attacks(ui_process):
    proc, url, log = ui_process
    with httpx.Client(timeout=60) as c:
        assert (
            c.post(
                f"{url}/gradio_api/queue/join",
                json={"data": ["x", None], "fn_index": 999, "session_hash": "a"},
            ).status_code
            == 422
        )
        assert call(c, url, "company", {"name": "x"}, "zh")[0] == "refused"
        assert call(c, url, "chat", "沐曦计划募资多少？")[0] == "complete"
    time.sleep(0.5)
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
def test_rotating_forwarded_addresses_do_not_dodge_the_login_limit(tiny_bot):
    from assistant.web import page, server
    from assistant.web.options import ServeOptions

    demo = page.build_app(tiny_bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(("tester", PASSWORD),)), block=False)
    try:
        statuses = [
            httpx.post(
                f"http://127.0.0.1:{port}/login",
                data={"username": "tester", "password": f"g{i}"},
                headers={"x-forwarded-for": f"10.0.{i}.1"},
            ).status_code
            for i in range(MAX_FAILED_LOGINS + 3)
        ]
        assert statuses[MAX_FAILED_LOGINS:] == [429] * 3
    finally:
        demo.close()
