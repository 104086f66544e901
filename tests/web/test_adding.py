"""The "Add material" event's server side (assistant/web/adding.py): the form is checked, then the
assistant swapped."""

from __future__ import annotations

import base64
import threading
import time

import pytest

from assistant.corpus.new_articles import UploadError
from assistant.messages import Msg
from assistant.web.adding import (
    MAX_BASE64_CHARS,
    LiveAssistant,
    read_form,
    save_form,
    warnings_about,
)

ARTICLE = "海川微电子完成新一轮融资\n\n海川微电子成立于 2019 年，总部位于苏州。\n".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_picked_file_and_its_translation_are_decoded_and_saved(tmp_path):
    form = read_form(
        {
            "files": [{"name": "x.txt", "data": b64(ARTICLE)}, {"name": "x.en.txt", "data": b64(b"X\n")}],
            "title": "海川",
            "source": "",
            "published": "2025-12-01",
            "author": "",
        }
    )
    saved = save_form(tmp_path, form)
    assert saved.article.read_bytes() == ARTICLE and saved.translation.name == "x.en.txt"


def test_pasted_text_is_saved(tmp_path):
    saved = save_form(tmp_path, read_form({"text": ARTICLE.decode(), "title": "海川"}))
    assert saved.article.name == "海川.txt"


@pytest.mark.parametrize(
    "values, key",
    [
        ({}, Msg.UPLOAD_NO_CONTENT),
        ({"files": "x.txt"}, Msg.UPLOAD_FILES),
        ({"files": [{"name": "x.txt"}]}, Msg.UPLOAD_FILES),
        ({"files": [{"name": "x.txt", "data": 5}]}, Msg.UPLOAD_FILES),
        ({"files": [{"name": f"{i}.txt", "data": ""} for i in range(3)]}, Msg.UPLOAD_FILES),
        ({"files": [{"name": "x.txt", "data": "not base64!"}]}, Msg.UPLOAD_NOT_BASE64),
        ({"files": [{"name": "x.txt", "data": "A" * (MAX_BASE64_CHARS + 4)}]}, Msg.UPLOAD_TOO_BIG),
        ({"files": [{"name": "x.txt", "data": b64(ARTICLE)}], "text": "also pasted"}, Msg.UPLOAD_BOTH),
        ({"text": ["not", "text"]}, Msg.UPLOAD_NO_CONTENT),
        ({"text": "x", "title": {"a": 1}}, Msg.UPLOAD_FIELD_TYPE),
    ],
)
def test_an_event_that_is_not_what_the_page_sends_is_refused_with_a_message(tmp_path, values, key):
    with pytest.raises(UploadError) as err:
        save_form(tmp_path, read_form(values))
    assert err.value.msg is key
    assert not any(tmp_path.rglob("*.txt"))


class SlowBot:
    """Stands in for an Assistant: `reload` takes a while and returns the next generation."""

    def __init__(self, generation=0):
        self.generation = generation

    def reload(self, progress=None, log=None):
        time.sleep(0.05)
        if progress:
            progress(1, 1)
        log("warning: skipped /c/articles/uploads/x.txt: the file is empty")
        return SlowBot(self.generation + 1)


def test_changes_run_one_at_a_time_and_each_swaps_in_the_newer_assistant():
    live = LiveAssistant(SlowBot())
    held = live.bot
    threads = [threading.Thread(target=live.change, args=(lambda: None,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert live.bot.generation == 4 and held.generation == 0  # a request that held the old one keeps it


def test_what_the_build_said_about_the_new_files_is_kept(tmp_path):
    saved = save_form(tmp_path, read_form({"text": "x\ny", "title": "x"}))
    log = [
        f"warning: skipped {saved.article}: no article text left",
        "warning: skipped /other.txt: empty",
        "built",
    ]
    assert warnings_about(log, saved) == [f"skipped {saved.article}: no article text left"]
