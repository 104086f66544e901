"""Libraries' word tables as sorted arrays: exactly jieba's dictionary, the English word list, CC-CEDICT
and pypinyin's readings, made once, rebuilt when damaged (issue 20)."""

from __future__ import annotations

import os
import random
import re
import tempfile

import jieba
import pytest

from assistant.language import pos_tags, word_tables
from assistant.language.word_tables import SortedWords, sorted_arrays, text_table

pytestmark = pytest.mark.slow  # reads and parses jieba's whole dictionary


@pytest.fixture
def fresh_tables(monkeypatch, tmp_path):
    """Tables written into an empty temp folder, not the shared one."""
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    cached = (
        word_tables.frequency_arrays,
        pos_tags._tag_arrays,
        word_tables.common_english_words,
        word_tables.pinyin_readings,
    )
    for table in cached:
        table.cache_clear()
    yield tmp_path
    for table in cached:
        table.cache_clear()


def test_the_frequency_table_is_jiebas_and_a_damaged_one_is_rebuilt(fresh_tables):
    reference = jieba.Tokenizer()
    reference.initialize()
    table, total = word_tables.frequencies()
    assert total == reference.total
    sample = random.Random(7).sample(sorted(reference.FREQ), 3000)
    assert all(table.get(w) == reference.FREQ[w] for w in sample) and "不是词语的串xyz" not in table
    table._materialise()  # what a build's table becomes: the whole dict
    assert table._all == reference.FREQ
    path = word_tables.cache_path("freq")
    assert path.startswith(str(fresh_tables))
    with open(os.path.join(path, "offsets.npy"), "r+b") as f:  # damage it: cut its data short
        f.truncate(1000)
    word_tables.frequency_arrays.cache_clear()
    again, _ = word_tables.frequencies()
    assert all(again.get(w) == reference.FREQ[w] for w in sample[:200])


def test_the_tag_table_is_jiebas_dictionary_file(fresh_tables):
    with open(jieba.dt.get_dict_file().name, "rb") as f:
        expected = dict(re.findall(r"^(\S+) \d+ (\S+)\s*$", f.read().decode("utf-8"), re.M))
    table = pos_tags.tag_table()
    sample = random.Random(11).sample(sorted(expected), 3000)
    assert all(table.get(w) == expected[w] for w in sample) and table.get("不是词语的串xyz", "x") == "x"


def test_words_added_later_stay_in_their_own_table():
    blob, offsets, values = sorted_arrays([("芯片", 5), ("算力", 7)])
    first, second = SortedWords(blob, offsets, values), SortedWords(blob, offsets, values)
    first["沐曦"] = 2_000_000
    assert first["沐曦"] == 2_000_000 and "沐曦" not in second and second["算力"] == 7
    with pytest.raises(KeyError):
        second["沐曦"]


def test_a_text_table_is_made_once_per_version_of_its_source_and_again_when_damaged(fresh_tables):
    source = fresh_tables / "source.txt"
    source.write_text("v1", encoding="utf-8")
    made = []

    def make():
        made.append(1)
        return {"court": "法院 球场", "patent": "专利", "plaintiff": "原告"}

    table = text_table("sample", (str(source),), make, str.split)
    assert table["court"] == ["法院", "球场"] and table.get("lawyer") is None and len(made) == 1
    again = text_table("sample", (str(source),), make, str.split)
    assert again["patent"] == ["专利"] and len(made) == 1  # read back, not made
    path = word_tables.table_path("sample", (str(source),))
    with open(os.path.join(path, "texts.npy"), "r+b") as f:
        f.truncate(20)  # damaged: made again
    assert text_table("sample", (str(source),), make, str.split)["plaintiff"] == ["原告"] and len(made) == 2
    source.write_text("version 2", encoding="utf-8")  # a new version of the source: a new table
    assert (
        text_table("sample", (str(source),), make, str.split)["court"] == ["法院", "球场"] and len(made) == 3
    )


def test_the_english_word_table_is_the_word_list(fresh_tables):
    from english_words import get_english_words_set

    words = get_english_words_set(["web2"], lower=True)
    table = word_tables.common_english_words()
    sample = random.Random(3).sample(sorted(words), 3000)
    assert all(w in table for w in sample)
    assert all(w not in table for w in ("mt", "br", "enflame", "moore threads", ""))


def test_every_reading_pypinyin_gives_a_character_is_in_the_readings_table(fresh_tables):
    """What lets the resolver and the company directory skip pypinyin: for every character pypinyin
    reads, alone or in any of its phrases, the reading is in the table."""
    from pypinyin import Style, lazy_pinyin, pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    table = word_tables.pinyin_readings()
    for code in PINYIN_DICT:
        char = chr(code)
        assert set(pinyin(char, style=Style.NORMAL, heteronym=True)[0]) <= set(table[char]), char
    for phrase in PHRASES_DICT:
        heard = lazy_pinyin(phrase, style=Style.NORMAL)
        assert all(s in table[ch] for ch, s in zip(phrase, heard, strict=True)), phrase
    assert word_tables.pinyin_reading("乐") == ["lao", "le", "yue"]  # 乐亭: lao
    assert word_tables.pinyin_reading("A") is None
