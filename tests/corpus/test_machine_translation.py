"""Machine translation at build time (corpus/machine_translation.py): off by default, a fake here.

The fake renders each Chinese sentence's figures in English the way `values.py` does, so its files
pass the same check a person's translation must; a second fake gets a figure wrong.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from assistant import Assistant
from assistant.corpus.ingest import ingest_corpus
from assistant.corpus.machine_translation import (
    MACHINE_MARK,
    OpenAICompatibleTranslator,
    make_translator,
    translate_missing,
)
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.values.parsing import find_values
from assistant.values.rendering import render_en
from tests.fakes import FakeEmbedder, write_uncurated


class FigureTranslator:
    """English that states each figure of the sentence, rendered (what a faithful translation keeps)."""

    name = "fake"

    def __init__(self, wrong: bool = False) -> None:
        self.wrong = wrong
        self.calls = 0

    def translate(self, text: str) -> str:
        self.calls += 1
        figures = [render_en(v) for v in find_values(text)]
        if self.wrong and figures:
            figures[0] = "RMB 1 yuan"
        return "It reports " + ", ".join(figures) if figures else "It reports the news"


def test_articles_without_english_get_a_marked_aligned_file_the_build_uses(tmp_path):
    corpus = write_uncurated(tmp_path / "corpus")
    fake = FigureTranslator()
    said: list[str] = []
    bot = Assistant.load(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        embedder=FakeEmbedder(),
        translator=fake,
        log=said.append,
    )
    written = corpus / "articles" / "lanxin.en.txt"
    assert written.is_file() and MACHINE_MARK in written.read_text(encoding="utf-8")
    assert not any(
        "translation" in line and "not used" in line for line in said
    )  # it passed the figures check
    assert "lanxin" in {
        d for d, doc in bot.index.documents.items() if doc.get("translated_by", "").startswith(MACHINE_MARK)
    }
    a = bot.ask("What was Lanxin Microelectronics' issue price?")
    assert "(machine translation)" in a.text and "RMB 42.5" in a.text
    calls = fake.calls
    Assistant.load(corpus_dir=corpus, index_dir=tmp_path / "index", embedder=FakeEmbedder(), translator=fake)
    assert fake.calls == calls  # an article is translated once; its file is part of the corpus after that


def test_a_machine_translation_that_gets_a_figure_wrong_is_not_used(tmp_path):
    corpus = write_uncurated(tmp_path / "corpus")
    said: list[str] = []
    bot = Assistant.load(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        embedder=FakeEmbedder(),
        translator=FigureTranslator(wrong=True),
        log=said.append,
    )
    assert any("lanxin.en.txt not used" in line for line in said)
    assert not bot.index.documents["lanxin"].get("translated_by")


def test_no_translator_is_the_default_and_an_unknown_one_is_one_clear_error():
    assert Settings.from_env({}).translator == "none" and make_translator("none") is None
    with pytest.raises(AssistantError, match="ASSISTANT_TRANSLATOR='deepl'.*one of none, argos, openai"):
        Settings.from_env({"ASSISTANT_TRANSLATOR": "deepl"})
    with pytest.raises(AssistantError, match="translator_url"):
        make_translator("openai", url="")


def test_argos_without_a_chinese_package_says_what_to_install():
    try:
        make_translator("argos")
    except AssistantError as exc:
        assert "argos" in str(exc)
    else:
        pytest.skip("an Argos zh→en package is installed here")


def test_an_openai_compatible_endpoint_is_asked_one_sentence_at_a_time(tmp_path):
    asked: list[dict] = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):  # http.server's name for it
            asked.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps(
                {"choices": [{"message": {"content": "Revenue was RMB 320 million.\n"}}]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tr = OpenAICompatibleTranslator(f"http://127.0.0.1:{server.server_port}/v1", "m")
        assert tr.translate("营收3.2亿元。") == "Revenue was RMB 320 million."
        assert asked[0]["model"] == "m" and asked[0]["messages"][-1]["content"] == "营收3.2亿元。"
        bad = OpenAICompatibleTranslator("http://127.0.0.1:9/v1", "m")  # nothing listens there
        with pytest.raises(AssistantError, match="translator"):
            bad.translate("营收3.2亿元。")
    finally:
        server.shutdown()


def test_an_article_that_already_has_english_is_left_alone(tmp_path):
    corpus = write_uncurated(tmp_path / "corpus")
    (corpus / "articles" / "lanxin.en.txt").write_text("someone's own\n", encoding="utf-8")
    fake = FigureTranslator()
    translate_missing(ingest_corpus(corpus).documents, fake, log=lambda _: None)
    assert (corpus / "articles" / "lanxin.en.txt").read_text(encoding="utf-8") == "someone's own\n"
