"""The Milvus search store against the FAISS one: Milvus Lite in this process, and Milvus Lite's gRPC
server on 127.0.0.1 (the network path a Milvus server or cluster is reached by).

Each index is built from a copy of the built-in corpus with the session's embedding cache, so
both stores hold the same vectors and tokens; answers must be the same.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from assistant import Assistant  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.index.stores.base import store_uri  # noqa: E402
from assistant.index.stores.faiss import FaissStore  # noqa: E402
from assistant.index.stores.milvus import encode_words  # noqa: E402
from assistant.index.stores.milvus_connection import MilvusUnavailable, connect  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.ui_support import stop  # noqa: E402

pytestmark = pytest.mark.slow

QUESTIONS = [
    "沐曦计划募资多少？",
    "Who backs Enflame?",
    "摩尔线程的估值是多少？",
    "寒武纪2024年的营收是多少？",
    "哪家公司成立得最早？",
    "What is Biren's valuation?",
    "燧原科技的总部在哪里？",
]


def _gist(a):
    return a.text, a.abstained, [(c.passage_id, c.quote) for c in a.citations]


def _milvus_bot(corpus: Path, index: Path, **settings) -> Assistant:
    return Assistant.load(
        settings=Settings.from_env(corpus_dir=corpus, index_dir=index, store="milvus", **settings)
    )


def _same_searches(faiss_bot: Assistant, milvus_bot: Assistant) -> None:
    """Dense results identical (same ids, same cosines); BM25 the same ranking, Milvus's scores
    bm25s's times k1 + 1 (Milvus keeps BM25's (k1 + 1) factor; the fusion's min-max removes it)."""
    fr, mr = faiss_bot.retriever, milvus_bot.retriever
    for q in QUESTIONS:
        v = faiss_bot.embedder.query(q)
        d1, d2 = fr.dense(v, 20), mr.dense(v, 20)
        assert set(d1) == set(d2) and max(abs(d1[i] - d2[i]) for i in d1) < 1e-5, q
        terms, _ = fr.query_terms(q, [])
        k1, k2 = fr.keyword(terms, 50), mr.keyword(terms, 50)
        assert set(k1) == set(k2), q
        assert all(abs(k2[i] / k1[i] - 2.5) < 1e-4 for i in k1), q  # k1 + 1 = 2.5
        missing = sorted(d1)[:3]
        ex1, ex2 = fr._dense_exact(v, missing), mr._dense_exact(v, missing)
        assert ex1.keys() == ex2.keys() and all(abs(ex1[i] - ex2[i]) < 1e-5 for i in ex1)


def test_milvus_lite_answers_like_faiss(bot, corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    m = _milvus_bot(corpus_copy, index)
    store = m.index.manifest["store"]
    assert (
        # recorded relative to the index folder: a copied project searches its own copy
        store["type"] == "milvus"
        and store["lite"]
        and store["uri"] == "milvus.db"
        and store_uri(m.index.manifest, index) == str((index / "milvus.db").resolve())
    )
    assert store["rows"] == len(m.index.passages) and type(m.index.store).__name__ == "MilvusStore"
    assert isinstance(bot.index.store, FaissStore) and bot.index.manifest["store"] == {"type": "faiss"}
    _same_searches(bot, m)
    for q in QUESTIONS:
        assert _gist(m.ask(q)) == _gist(bot.ask(q)), q
    # the collection holds the passage records and their sentence spans too
    rec = m.index.store.record_of([0])[0]
    assert rec["passage_id"] == m.index.passages[0].passage_id
    assert [tuple(s) for s in rec["sentences"]] == [
        (s.start, s.end) for s in m.index.sentences if s.passage_index == 0
    ]


def test_words_with_punctuation_are_matched_whole(bot, corpus_copy, tmp_path, shared_cache):
    """39.04 is one jieba word; Milvus Lite's standard analyzer alone would make it 39 and 04."""
    m = _milvus_bot(corpus_copy, shared_cache(tmp_path / "index"))
    for word in ("39.04", "沐曦", "ipo"):
        assert word in m.retriever.vocab, word  # words of the built-in article (沐曦 plans to raise 39.04 亿)
        found = m.retriever.keyword([word], 20)
        assert found and found.keys() == bot.retriever.keyword([word], 20).keys(), word
    assert encode_words(["39.04", "沐曦"]) == "33392e3034 e6b290e69ba6"


def test_a_plain_load_keeps_the_store_the_index_was_built_with(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    built = _milvus_bot(corpus_copy, index)
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)  # store="" : whatever the live index uses
    assert not again.load_report.built and again.index.manifest["store"]["type"] == "milvus"
    assert again.index.path == built.index.path
    to_faiss = Assistant.load(
        settings=Settings.from_env(corpus_dir=corpus_copy, index_dir=index, store="faiss")
    )
    assert to_faiss.load_report.built and "stale" in to_faiss.load_report.reason
    assert to_faiss.index.manifest["store"] == {"type": "faiss"}


def test_a_dropped_collection_is_rebuilt_and_old_collections_pruned(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    first = _milvus_bot(corpus_copy, index)
    name = first.index.manifest["store"]["collection"]
    client = connect(store_uri(first.index.manifest, index))
    client.drop_collection(name)
    second = _milvus_bot(corpus_copy, index)
    assert second.load_report.built and name in second.load_report.reason
    for _ in range(2):  # two more builds: only the live collection and the one before it stay
        Assistant.load(
            settings=Settings.from_env(corpus_dir=corpus_copy, index_dir=index, store="milvus"), rebuild=True
        )
    live = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    prefix = live.index.manifest["store"]["collection"].rsplit("_", 3)[0]
    mine = [c for c in client.list_collections() if c.startswith(prefix)]
    assert len(mine) == 2 and live.index.manifest["store"]["collection"] in mine
    client.close()


def test_a_lite_folder_held_by_another_process_is_a_clear_error(tmp_path):
    folder = tmp_path / "held.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pymilvus import MilvusClient; MilvusClient(sys.argv[1]); "
            "print('open', flush=True); time.sleep(60)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(MilvusUnavailable, match="in use by another process"):
            connect(str(folder))
    finally:
        holder.kill()
        holder.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def milvus_server(tmp_path):
    """`milvus-lite server` on a free 127.0.0.1 port (it binds 0.0.0.0 unless told)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("milvus-lite")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "milvus_lite"]
    proc = subprocess.Popen(
        cmd
        + ["server", "--data-dir", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            pytest.fail("milvus-lite server stopped while starting")
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    stop(proc, 10)


def test_milvus_over_grpc_answers_like_faiss(bot, corpus_copy, tmp_path, shared_cache, milvus_server):
    index = shared_cache(tmp_path / "index")
    m = _milvus_bot(corpus_copy, index, milvus_uri=milvus_server)
    store = m.index.manifest["store"]
    assert store["uri"] == milvus_server and not store["lite"] and not (index / "milvus.db").exists()
    _same_searches(bot, m)
    for q in QUESTIONS:
        assert _gist(m.ask(q)) == _gist(bot.ask(q)), q
    # a second process (a shell `assistant ask`) shares the server, which Milvus Lite in-process cannot do
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus_copy), "ASSISTANT_INDEX_DIR": str(index)}
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", QUESTIONS[0], "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["text"] == m.ask(QUESTIONS[0]).text


def test_an_unreachable_server_is_one_clear_error(corpus_copy, tmp_path):
    settings = Settings.from_env(
        corpus_dir=corpus_copy,
        index_dir=tmp_path / "index",
        store="milvus",
        milvus_uri=f"http://127.0.0.1:{_free_port()}",
    )
    with pytest.raises(AssistantError, match="cannot reach Milvus at http://127.0.0.1"):
        Assistant.load(settings=settings)
