"""Is a question about something the corpus covers (answering/coverage.py)?"""

from __future__ import annotations


def test_an_ordinary_word_is_never_called_not_covered(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子归母营收是多少？")
    assert "没有涉及" not in a.text
    assert not a.abstained and "营收分别为" in a.text  # answered from the revenue sentence
