"""The embedding cache (index/embedding/cache.py): damage is logged and moved aside, never swallowed."""

import logging
import sqlite3

import numpy as np

from assistant.index.embedding import cache as embedding_cache
from assistant.index.embedding.cache import EmbeddingCache

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
