"""Values read back from an English rendering (values/english.py)."""

from decimal import Decimal

import pytest

from assistant.values.english import english_values
from assistant.values.rendering import Value


def en_one(text: str) -> Value:
    values = english_values(text)
    assert len(values) == 1, values
    return values[0]


@pytest.mark.parametrize(
    "en, low, high, currency",
    [
        ("RMB 3.904 billion", "3.904e9", "3.904e9", "RMB"),
        ("3.904 billion yuan", "3.904e9", "3.904e9", "RMB"),
        ("more than RMB 5 billion", "5e9", "5e9", "RMB"),
        ("RMB 14–15.5 billion", "14e9", "15.5e9", "RMB"),
        ("RMB 426,400", "426400", "426400", "RMB"),
        ("$1.2 billion", "1.2e9", "1.2e9", "USD"),
        ("US$1 billion", "1e9", "1e9", "USD"),
        ("RMB743m", "743e6", "743e6", "RMB"),
        ("eight billion yuan", "8e9", "8e9", "RMB"),
    ],
)
def test_english_amounts(en, low, high, currency):
    v = en_one(en)
    assert (v.low, v.high, v.currency) == (Decimal(low), Decimal(high), currency)


def test_english_qualifier():
    assert en_one("more than RMB 5 billion").qualifier == "more than"


@pytest.mark.parametrize(
    "en, ymd",
    [
        ("30 June 2025", (2025, 6, 30)),
        ("June 30, 2025", (2025, 6, 30)),
        ("July 2025", (2025, 7, None)),
        ("October 30", (None, 10, 30)),
        ("the 30th of June", (None, 6, 30)),
        ("July of 2025", (2025, 7, None)),
        ("Oct. 30", (None, 10, 30)),
    ],
)
def test_english_dates(en, ymd):
    assert en_one(en).ymd == ymd


def test_english_percent_and_not_percentage_points():
    assert en_one("200%").low == 200
    assert en_one("20 percent").low == 20
    assert english_values("5 percentage points") == []


@pytest.mark.parametrize("text", ["4K TVs", "64GB of memory", "version 4.0.1", "may 30 people"])
def test_english_non_values(text):
    assert english_values(text) == []


def test_english_keeps_chinese_left_in_the_text():
    kinds = [(v.kind, v.low) for v in english_values("over RMB 5 billion (50 亿元)")]
    assert kinds == [("amount", Decimal("5e9")), ("amount", Decimal("5e9"))]
