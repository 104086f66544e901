"""Hypothesis strategies the values tests share: amounts, Chinese units, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

UNITS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
AMOUNTS = st.decimals(
    min_value=Decimal("0.0001"),
    max_value=Decimal("99999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
UNIT_NAMES = st.sampled_from(sorted(UNITS))
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
