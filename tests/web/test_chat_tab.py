"""The chat tab's handlers without a browser (web/chat_tab.py): a question with no word in it is not
asked and the page keeps its language (issue 21, 10); a question asked while an added article is being
indexed waits for the new index and is answered from it (issue 21, 14)."""

from __future__ import annotations

import shutil
import threading
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from assistant import Assistant
from assistant.messages import Msg
from assistant.web.adding import LiveAssistant
from assistant.web.chat_tab import ChatTab
from assistant.web.session import ChatSession, has_words, page_language
from tests.fakes import FakeEmbedder
from tests.ui_support import BOT, CHROMIUM, DESKTOP, serve


def tab(bot) -> ChatTab:
    state = SimpleNamespace(live=LiveAssistant(bot), limit=500)
    ui = SimpleNamespace(msg="msg", chatbot="chatbot", sources="sources")
    return ChatTab(state, SimpleNamespace(session="session", lang="lang"), ui)


def test_words_are_letters_ideographs_or_digits_not_punctuation_or_emoji():
    assert [has_words(q) for q in ("？？？", "👍🎉", "...!", "沐曦", "GPU?", "2024")] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]


def test_a_wordless_question_is_not_asked_and_the_page_keeps_its_language(tiny_bot):
    chat = tab(tiny_bot)
    asked = chat.respond("星河芯片的估值是多少？", ChatSession())["session"]
    for question in ("？？？", "👍🎉"):
        out = chat.respond(question, asked)
        assert "lang" not in out  # the page is not switched
        turn = out["session"].turns[-1]
        assert turn.answer is None and turn.error == Msg.NO_WORDS.say("zh")
        assert out["session"].asked == asked.asked  # not history for the next question
    english = chat.respond("What is Xinghe Chips' valuation?", ChatSession())["session"]
    assert page_language(english) == "en"
    assert chat.respond("？", english)["session"].turns[-1].error == Msg.NO_WORDS.say("en")


def test_a_question_during_indexing_waits_and_is_answered_by_the_new_index(tiny_bot):
    chat = tab(tiny_bot)
    new_bot = SimpleNamespace(name="new")
    said = []
    started = threading.Event()

    def index():  # what LiveAssistant.change does: the lock held while the corpus is indexed again
        with chat.state.live.lock:
            started.set()
            time.sleep(0.5)
            chat.state.live.bot = new_bot

    worker = threading.Thread(target=index)
    worker.start()
    started.wait(5)
    got = chat.live_bot(lambda value, desc="": said.append(desc), "zh")
    worker.join()
    assert got is new_bot and said and "索引" in said[0]
    assert chat.live_bot(lambda *a, **k: said.append("again"), "zh") is new_bot and said[-1] != "again"


class GatedReload:
    """The assistant, except that re-indexing waits at a gate the test opens (and the new one does too)."""

    def __init__(self, bot, entered=None, gate=None):
        self._bot = bot
        self.entered, self.gate = entered or threading.Event(), gate or threading.Event()

    def __getattr__(self, name):
        return getattr(self._bot, name)

    def reload(self, progress=None, log=None):
        self.entered.set()
        self.gate.wait(60)
        return GatedReload(self._bot.reload(progress=progress, log=log), self.entered, self.gate)


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_in_the_browser_a_question_during_indexing_says_so_and_is_answered_from_the_new_article(
    browser, tiny_corpus, tmp_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(tiny_corpus, corpus)
    gated = GatedReload(
        Assistant.load(corpus_dir=corpus, index_dir=tmp_path / "index", embedder=FakeEmbedder())
    )
    article = tmp_path / "xinghan.txt"
    article.write_text("星汉芯片发布新品\n星汉芯片今天发布了一款名为银河一号的推理芯片。\n", encoding="utf-8")
    with serve(gated) as (url, _):
        p = browser.page(url, *DESKTOP)
        p.tab("add")
        p.add_material(files=[article])
        assert gated.entered.wait(30)
        p.tab("chat")
        p.page.fill("#question textarea", "星汉芯片发布了什么芯片？")
        p.page.press("#question textarea", "Enter")
        expect(p.page.get_by_text("正在为新添加的文章建立索引").first).to_be_visible()
        assert p.page.locator(BOT).count() == 0  # it waits: not answered from the old index
        gated.gate.set()
        expect(p.page.locator(BOT)).to_have_count(1, timeout=60_000)
        assert "银河一号" in p.last_reply() and "uploads/xinghan" in p.sources().inner_html()
        p.close()
