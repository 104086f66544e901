"""Fixtures of the corpus tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    (root / "articles").mkdir(parents=True)
    return root
