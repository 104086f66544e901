"""A browser tab's session and what every event's inputs pass (web/session.py): through the real server
over the tiny corpus and the FakeEmbedder, by raw HTTP, as the attacks of issue 10 were reported."""

from __future__ import annotations

import json
import time

import pytest

from assistant.text import HISTORY_TURNS
from assistant.web.session import MAX_TRANSCRIPT_TURNS
from tests.ui_support import call
from tests.web.conftest import ask_fn_index, queue_completed, queue_join

pytestmark = pytest.mark.slow


QUESTION = "星河芯片的估值是多少？"


# ---- 2. limits on the server: question, history, transcript, sessions, body ------------------------------
def test_a_long_question_through_the_api_is_cut_with_the_notice_before_it_is_kept(recording_app, recording):
    from gradio_client import Client

    url, _ = recording_app
    limit = recording.settings.max_question_chars
    chat_client = Client(url, verbose=False)
    _, chat, _, _ = chat_client.predict(
        "星河芯片" * 2_000, api_name="/chat"
    )  # 8,000 characters; the box takes 500
    shown = chat[0]["content"][0]["text"] if isinstance(chat[0]["content"], list) else chat[0]["content"]
    assert len(shown) <= limit
    assert "truncated" in json.dumps(chat, ensure_ascii=False)
    chat_client.predict(QUESTION, api_name="/chat")
    assert all(len(turn) <= limit for turn in recording.histories[-1])  # what the session remembered


def test_a_long_conversation_keeps_a_bounded_transcript_and_history(recording_app, recording):
    from gradio_client import Client

    url, _ = recording_app
    chat_client = Client(url, verbose=False)
    turns = MAX_TRANSCRIPT_TURNS + 5
    for i in range(turns):
        _, chat, _, _ = chat_client.predict(f"星河芯片的估值是多少？第{i}次", api_name="/chat")
    assert len(chat) == 2 * MAX_TRANSCRIPT_TURNS
    assert f"第{turns - 1}次" in json.dumps(
        chat[-2], ensure_ascii=False
    )  # the newest kept, the oldest dropped
    assert len(recording.histories[-1]) == HISTORY_TURNS


# ---- 4. a lone surrogate does not break the session ---------------------------------------------------
def test_a_lone_surrogate_is_answered_and_the_session_keeps_working(recording_app, client):
    url, demo = recording_app
    fn = ask_fn_index(demo)
    assert (
        queue_join(client, url, fn, ["\ud83d 星河芯片的估值是多少？\ufffe", None], "surrogate").status_code
        == 200
    )
    first = queue_completed(client, url, "surrogate")
    assert first["success"], first
    assert queue_join(client, url, fn, [QUESTION, None], "surrogate").status_code == 200
    second = queue_completed(client, url, "surrogate")
    assert second["success"], second  # was unexpected_error for every later question
    chat = second["output"]["data"][1]
    assert len(chat) == 4 and "\ud83d" not in json.dumps(chat, ensure_ascii=False)


# ---- 10. inputs of every event are checked ---------------------------------------------------------------
def test_unknown_events_and_wrong_inputs_are_refused_without_a_traceback(recording_app, client, capfd):
    url, demo = recording_app
    capfd.readouterr()
    for fn_index in (999, -1, "0", True, None):
        r = queue_join(client, url, fn_index, [QUESTION, None], "bad-fn")
        assert r.status_code == 422 and "no event" in r.json()["detail"], (fn_index, r.text)  # was HTTP 500
    assert call(client, url, "company", {"name": "星河"}, "zh")[0] == "refused"
    assert call(client, url, "company", "星河", "fr")[0] == "refused"  # not one of the languages
    assert call(client, url, "nonexistent", "x")[0] == "refused"
    examples = next(fn._id for fn in demo.fns.values() if fn.fn.__name__ == "ask_example")
    for index in (99, -1, "x"):
        assert queue_join(client, url, examples, [index, None], "bad-example").status_code == 422
    assert call(client, url, "chat", QUESTION)[0] == "complete"  # and the app still answers
    time.sleep(0.5)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_odd_click_data_is_ignored(recording_app, client):
    url, demo = recording_app
    click = next(fn._id for fn in demo.fns.values() if fn.fn.__name__ == "on_click")
    for event_data in ({"passage": {"x": 1}}, {"passage": "无此段落#p9", "quote": ["a"]}, {}):
        assert queue_join(client, url, click, ["zh"], "clicks", event_data).status_code == 200
        assert queue_completed(client, url, "clicks")["success"]
    assert queue_join(client, url, click, ["zh"], "clicks", "passage").status_code == 422
