"""Fixtures and helpers of the web tests: apps on a free loopback port, an HTTP client, a browser."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest

from assistant import Assistant
from tests.fakes import FakeEmbedder
from tests.ui_support import serve


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
def recording_app(recording):
    with serve(recording) as served:
        yield served


@pytest.fixture
def client():
    with httpx.Client(timeout=60) as c:
        yield c


def queue_join(client, url: str, fn_index, data, session: str, event_data=None) -> httpx.Response:
    """/queue/join as the page calls it (raw JSON, so lone surrogates go as \\ud83d escapes)."""
    body = json.dumps(
        {
            "data": data,
            "fn_index": fn_index,
            "session_hash": session,
            "event_data": event_data,
            "trigger_id": None,
        }
    )
    return client.post(
        f"{url}/gradio_api/queue/join", content=body, headers={"content-type": "application/json"}
    )


def queue_completed(client, url: str, session: str) -> dict:
    """The next finished event of a session from the queue's event stream."""
    with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return msg
    raise AssertionError("the event stream ended without a result")


def ask_fn_index(demo) -> int:
    return next(fn._id for fn in demo.fns.values() if fn.api_name == "chat")


@pytest.fixture(scope="module")
def app(bot):
    with serve(bot) as served:
        yield served


# ---- the browser tier (tests/web/test_page.py) -----------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium, one per test module."""
    from tests.ui_support import Browser

    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def app_url(app):
    """The web app over the session's real index, on a free loopback port."""
    url, _ = app
    return url


@pytest.fixture(scope="module")
def writable(tiny_corpus, tmp_path_factory):
    """(url, demo, corpus) of the app over a private copy of the tiny corpus, adding allowed."""
    corpus = tmp_path_factory.mktemp("writable") / "corpus"
    shutil.copytree(tiny_corpus, corpus)
    bot = Assistant.load(corpus_dir=corpus, index_dir=corpus.parent / "index", embedder=FakeEmbedder())
    with serve(bot) as (url, demo):
        yield url, demo, corpus


def event_index(demo, api_name: str) -> int:
    """The queue's number for the event of that api_name."""
    return next(fn._id for fn in demo.fns.values() if fn.api_name == api_name)
