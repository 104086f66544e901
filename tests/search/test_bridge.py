"""The general English→Chinese dictionary (language/dictionary.py) and the question bridge over it
(search/bridge.py): a tiny CC-CEDICT file here; the real one is read by the last test."""

from __future__ import annotations


def test_an_english_question_reaches_chinese_words_no_table_has(tiny_bot):
    bridge = tiny_bot.answering.bridge
    assert bridge("What is Xinghe's cumulative funding?") == [
        "累计"
    ]  # "funding" is the glossary's, Xinghe a name
    assert "基金" in bridge("Which local industrial funds back Yunfan?")
    assert bridge("星河芯片的估值") == []  # Chinese questions need no bridge
