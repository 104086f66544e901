"""Does a sentence hold what was asked (answering/checks.py): the answer-type checks."""

from __future__ import annotations

import pytest

from assistant.answering.checks import holds
from assistant.language.names import load_names
from tests.conftest import CORPUS

NAMES = load_names(CORPUS)


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("date", "2025 年 6 月 30 日,公司向科创板提交招股书", True),
        ("date", "燧原成立于 2018 年", True),
        ("amount", "拟募资约 39.04 亿元人民币", True),
        ("amount", "配备 64GB HBM2E 显存", True),
        ("amount", "燧原的路线更单一", False),
        ("organisation", "券商为国泰君安证券", True),
        ("person", "燧原成立于 2018 年,比壁仞更早", False),
        ("person", "作者:董道力", True),
    ],
)
def test_a_sentence_holds_an_answer_only_of_the_kind_asked(kind, text, expected):
    assert holds(kind, text, NAMES) is expected


def test_how_long_is_held_by_a_term_in_years_not_by_a_year():
    from assistant.answering.checks import holds

    assert holds("count", "本期债券期限为6年。") and not holds("count", "公司于2026年上市。")
