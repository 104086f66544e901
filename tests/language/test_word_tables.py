"""jieba's dictionary as sorted array tables: exactly jieba's, rebuilt when damaged (issue 20)."""

from __future__ import annotations

import random
import re
import tempfile

import jieba
import pytest

from assistant.language import pos_tags, word_tables
from assistant.language.word_tables import SortedWords, sorted_arrays

pytestmark = pytest.mark.slow  # reads and parses jieba's whole dictionary


@pytest.fixture
def fresh_tables(monkeypatch, tmp_path):
    """Tables written into an empty temp folder, not the shared one."""
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    word_tables.frequency_arrays.cache_clear()
    pos_tags._tag_arrays.cache_clear()
    yield tmp_path
    word_tables.frequency_arrays.cache_clear()
    pos_tags._tag_arrays.cache_clear()


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
    with open(path, "r+b") as f:  # damage it
        f.seek(100)
        f.write(b"\0" * 64)
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
