"""The chat tab's handlers without a browser (web/chat_tab.py): a question with no word in it is not
asked and the page keeps its language (issue 21, 10); a question asked while an added article is being
indexed waits for the new index and is answered from it (issue 21, 14)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from assistant.messages import Msg
from assistant.web.adding import LiveAssistant
from assistant.web.chat_tab import ChatTab
from assistant.web.session import ChatSession, has_words, page_language


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
