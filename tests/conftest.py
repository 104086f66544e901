"""Shared fixtures: the real built-in corpus, indexed once per test session with the real model."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE_ID = "000_1f36a16a379a5773"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def bot(index_dir) -> Assistant:
    return Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the built-in corpus that a test may change."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture
def shared_cache(index_dir):
    """Copy the session's embedding cache into a new index folder, so a test build embeds only what is new."""
    def seed(new_index: Path) -> Path:
        src = index_dir / "cache"
        if src.exists():
            shutil.copytree(src, new_index / "cache", dirs_exist_ok=True)
        return new_index
    return seed
