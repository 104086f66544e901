"""The web app's server: closed by default, a login when one is configured, a bounded queue."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from assistant.web import server
from assistant.errors import AssistantError
from tests.ui_support import GatedAssistant, call, free_port, join, result, serve, stop

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cret-Pa55-word"


@pytest.fixture(scope="module")
def app(bot):
    with serve(bot) as served:
        yield served


@pytest.fixture(scope="module")
def client():
    with httpx.Client() as c:
        yield c


# ---- the API the page uses ------------------------------------------------------------------------
def test_ask_endpoint_returns_the_chat_with_a_cited_answer_and_its_sources(app, client):
    url, _ = app
    event, data = call(client, url, "ask", "沐曦计划募资多少？")
    assert event == "complete"
    textbox, chat, sources, lang, _session = data
    assert textbox == "" and lang == "zh"
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert 'href="#cite-0-1"' in chat[-1]["content"][0]["text"]  # [1], a link to the source
    assert 'class="src"' in sources and "<mark>" in sources


def test_a_full_queue_refuses_new_questions_with_busy_instead_of_waiting_forever(bot, client):
    gated = GatedAssistant(bot)
    with serve(gated, concurrency=1, max_queue=1) as (url, _):
        status_a, first = join(client, url, "ask", "沐曦计划募资多少？")
        assert status_a == 200 and gated.entered.wait(30)       # being answered
        status_b, second = join(client, url, "ask", "燧原的估值是多少？")
        assert status_b == 200                                  # waits in the queue (size 1)
        status_c, refusal = join(client, url, "ask", "Who backs Enflame?")
        assert status_c == 503 and "full" in refusal.lower()   # the page shows "busy, try again"
        gated.gate.set()
        assert result(client, url, "ask", first)[0] == "complete"
        assert result(client, url, "ask", second)[0] == "complete"


# ---- closed by default ----------------------------------------------------------------------------
def test_files_on_disk_are_not_served(app, client):
    url, _ = app
    for path in (ROOT / "README.md", ROOT / "ui.py", next((ROOT / "corpus" / "articles").glob("*.txt"))):
        r = client.get(f"{url}/gradio_api/file={path}")
        assert r.status_code == 403 and "not allowed" in r.text, (path, r.status_code)


def test_uploads_are_refused(app, client):
    url, _ = app
    r = client.post(f"{url}/gradio_api/upload", files={"files": ("x.txt", b"hello", "text/plain")})
    assert r.status_code == 403, (r.status_code, r.text)


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
    proc = subprocess.Popen([sys.executable, "ui.py", "--host", "0.0.0.0", "--port", str(free_port()),
                             "--index", str(index_dir)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env=_env(ASSISTANT_AUTH=""))
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
        proc = subprocess.Popen([sys.executable, "ui.py", "--port", str(port), "--index", str(index_dir)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, env=_env(ASSISTANT_AUTH=f"tester:{PASSWORD}"))
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
    listening = [c.laddr for c in psutil.Process(proc.pid).net_connections(kind="inet") if c.status == "LISTEN"]
    assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening)


def test_with_a_login_configured_nothing_is_answered_before_logging_in(started):
    _, url, _ = started
    with httpx.Client() as anonymous:
        assert call(anonymous, url, "ask", "沐曦计划募资多少？")[0] == "refused"
        assert anonymous.post(f"{url}/login", data={"username": "tester", "password": "wrong"}).status_code == 400
    with httpx.Client() as user:
        assert user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD}).status_code == 200
        assert call(user, url, "ask", "沐曦计划募资多少？")[0] == "complete"


def test_the_password_never_appears_in_the_output(started):
    _, url, log = started
    with httpx.Client() as user:
        user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD})
        user.post(f"{url}/login", data={"username": "tester", "password": PASSWORD + "x"})
    time.sleep(0.5)
    output = log.read_text()
    assert "running on http://127.0.0.1" in output and PASSWORD not in output
