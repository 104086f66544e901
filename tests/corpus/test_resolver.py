"""Names in a question written another way, rewritten to the corpus's name (corpus/resolver.py)."""

from __future__ import annotations


def test_a_homophone_and_initials_are_rewritten_to_the_name(uncurated_bot):
    assert "星河芯片" in uncurated_bot.resolver.canonical(
        "星合芯片的估值是多少？"
    )  # 合 for 河: the same sound
    assert "澜芯" in uncurated_bot.resolver.canonical("蓝芯的发行价是多少？")
    assert (
        uncurated_bot.resolver.canonical("收入是多少？") == "收入是多少？"
    )  # a real word is never a misspelt name
