"""The embedding cache (index/embedding/cache.py): damage is logged and moved aside, never swallowed."""

import logging
import shutil
import sqlite3

import numpy as np
import pytest

from assistant import Assistant
from assistant.index.embedding import cache as embedding_cache
from assistant.index.embedding.cache import EmbeddingCache
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.index.conftest import QUESTION, _load


def test_a_damaged_embedding_cache_is_logged_not_swallowed(tmp_path, caplog):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.put_many("m", {"k": np.ones(4, dtype=np.float32)})
    assert set(cache.get_many("m", {"k"})) == {"k"}
    (tmp_path / "cache.sqlite").write_bytes(b"this is not a database" * 200)
    with caplog.at_level(logging.WARNING, logger=embedding_cache.__name__):
        assert cache.get_many("m", {"k"}) == {}
        cache.put_many("m", {"k": np.ones(4, dtype=np.float32)})
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "cannot be read" in said and "cannot be written" in said and "cache.sqlite" in said


def test_a_damaged_embedding_cache_is_moved_aside(copy):
    corpus, index, _ = copy
    cache = index / "cache" / "embeddings.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    bot, messages = _load(corpus, index)
    assert any("embedding cache" in m and "damaged" in m for m in messages)
    assert list(cache.parent.glob("embeddings.sqlite.damaged-*"))
    with sqlite3.connect(cache) as db:
        db.execute("SELECT count(*) FROM vectors").fetchone()
    assert not bot.ask(QUESTION).abstained


@pytest.mark.slow
def test_the_embedding_cache_forgets_articles_no_recent_build_used(tmp_path, shared_cache, index_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = shared_cache(tmp_path / "index")

    def rows() -> int:
        return (
            sqlite3.connect(index / "cache" / "embeddings.sqlite")
            .execute("SELECT count(*) FROM vectors")
            .fetchone()[0]
        )

    Assistant.load(corpus_dir=corpus, index_dir=index)
    base = rows()
    (corpus / "articles" / "extra.txt").write_text(
        "额外文章\n这是一篇额外的测试文章，讲一家虚构的芯片公司。\n", encoding="utf-8"
    )
    Assistant.load(corpus_dir=corpus, index_dir=index)
    with_extra = rows()
    assert with_extra > base
    (corpus / "articles" / "extra.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    assert rows() == with_extra  # the build before still used them: kept
    (corpus / "articles" / "other.txt").write_text("另一篇\n这是另一篇虚构的文章。\n", encoding="utf-8")
    Assistant.load(corpus_dir=corpus, index_dir=index)
    assert rows() < with_extra + 3 and rows() > base  # extra's texts dropped, other's added
    (corpus / "articles" / "other.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    (corpus / "articles" / "one more.txt").write_text("再一篇\n这是又一篇文章。\n", encoding="utf-8")
    Assistant.load(corpus_dir=corpus, index_dir=index)
    (corpus / "articles" / "one more.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    Assistant.load(settings=Settings.from_env({}, corpus_dir=corpus, index_dir=index), rebuild=True)
    assert rows() == base  # two builds of the corpus as it was: nothing else is kept
