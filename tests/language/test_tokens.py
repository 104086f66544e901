"""Words for BM25 and term overlap: Latin words whole, and the tagger that shares jieba's tag table.

No test here measures time (benchmarks/run.py --only user does); the tagger's checks what makes the
fast path allowed.
"""

from __future__ import annotations

import pytest

from assistant.language.tokens import Tokenizer


@pytest.mark.parametrize(
    "text, words",
    [
        # a dictionary word inside a Latin word split it: sector → se + cto matched CTO, 首席技术官
        ("the sector's director and a factor", ["sector", "director", "factor"]),
        ("start-ups at an early stage", ["start", "ups", "early", "stage"]),
        ("沐曦MetaX的CTO", ["沐曦", "metax", "cto"]),
        ("QH-960的FP16算力, 800G光模块", ["qh", "960", "fp16", "算力", "800g", "光", "模块"]),
    ],
)
def test_a_latin_word_is_one_token_whatever_the_dictionary_holds_inside_it(text, words):
    tokenizer = Tokenizer(["CTO", "ST", "art"])
    assert tokenizer.tokens(text) == words


def test_a_latin_word_is_tagged_whole_and_a_known_one_keeps_its_tag():
    tags = dict(Tokenizer(["CTO"]).tagged("the sector's CTO"))
    assert tags["sector"] == "eng" and "se" not in tags and tags["cto"] == "n"


@pytest.mark.slow
def test_the_tagger_sharing_jiebas_tag_table_tags_like_its_own():
    """tokens.Tokenizer.tagged copies the tag table jieba.posseg read at import instead of reading the
    dictionary file again (half a second of a shell ask); the tags must be what POSTokenizer gives."""
    import jieba.posseg

    words = ["摩尔线程", "沐曦", "燧原科技", "瀚博半导体"]
    shared, own = Tokenizer(words), Tokenizer(words)
    own._pos = jieba.posseg.POSTokenizer(own._jieba)  # the way it was: its own read of the dictionary
    for text in (
        "沐曦计划募资多少？摩尔线程的估值",
        "燧原科技的总部在哪里",
        "它2024年的营收是多少？",
        "Who backs Enflame? 瀚博半导体做什么",
    ):
        assert shared.tagged(text) == own.tagged(text), text
    assert shared.tagged("沐曦的估值")[0] == ("沐曦", "n")  # our words keep the tag they were added with
