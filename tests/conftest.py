"""Shared fixtures.

Two tiers. `bot` is the real built-in corpus, indexed once per test session with the real model:
every test that uses it is marked `slow` here, whether it asks for it directly or through another
fixture, so `pytest -m "not slow"` never loads the model. `tiny_bot` is the ten-passage corpus of
tests/fakes.py indexed with the deterministic FakeEmbedder: a build in well under a second, for the
fast tests of the logic after the vectors.
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from assistant import Assistant

from .fakes import FakeEmbedder, write_tiny_corpus, write_uncurated

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE_ID = "000_1f36a16a379a5773"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"

# Fixtures that load the real model or build the real corpus's index.
REAL_MODEL_FIXTURES = {"bot", "index_dir", "shared_cache", "uncurated_bot"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _collector_on():
    """`assistant ask` turns Python's garbage collector off for the rest of its one-shot process
    (cli.py); the tests run it in this one, which must go on collecting after each."""
    yield
    gc.enable()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def bot(index_dir) -> Assistant:
    return Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)


def _private_copy(corpus: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(corpus, dst)
    return dst


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the built-in corpus that a test may change."""
    return _private_copy(CORPUS, tmp_path)


@pytest.fixture
def shared_cache(index_dir):
    """Copy the session's embedding cache into a new index folder, so a test build embeds only what is new."""

    def seed(new_index: Path) -> Path:
        src = index_dir / "cache"
        if src.exists():
            shutil.copytree(src, new_index / "cache", dirs_exist_ok=True)
        return new_index

    return seed


# ---- the fast tier --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory) -> Path:
    """The ten-passage corpus of tests/fakes.py (read only: copy it to change it)."""
    return write_tiny_corpus(tmp_path_factory.mktemp("tiny") / "corpus")


@pytest.fixture(scope="session")
def tiny_bot(tiny_corpus, tmp_path_factory) -> Assistant:
    """The tiny corpus indexed with the FakeEmbedder."""
    return Assistant.load(
        corpus_dir=tiny_corpus, index_dir=tmp_path_factory.mktemp("tiny-index"), embedder=FakeEmbedder()
    )


@pytest.fixture(scope="session")
def uncurated_bot(tmp_path_factory) -> Assistant:
    """The tiny corpus plus an article nobody prepared (tests/fakes.py UNCURATED), with the real model:
    answering end to end, similarity thresholds included (a few seconds to build)."""
    root = write_uncurated(tmp_path_factory.mktemp("uncurated") / "corpus")
    return Assistant.load(corpus_dir=root, index_dir=tmp_path_factory.mktemp("uncurated-index"))


@pytest.fixture
def tiny_copy(tiny_corpus, tmp_path) -> Path:
    """A private copy of the tiny corpus that a test may change."""
    return _private_copy(tiny_corpus, tmp_path)


@pytest.fixture
def built(tiny_bot, tmp_path):
    """(corpus, index) copies of the tiny bot's corpus and built index, for a test to damage."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(tiny_bot.settings.corpus_dir, corpus)
    shutil.copytree(tiny_bot.settings.index_dir, index)
    return corpus, index
