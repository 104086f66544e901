"""FAISS files against Milvus, on the same index and the same questions: `run.py --only stores`.

Three stores hold the built-in corpus's index, built from the same embedding cache (so the same
vectors and the same BM25 tokens): FAISS (the default), Milvus Lite inside the process, and
Milvus Lite's gRPC server on 127.0.0.1 — the network path a Milvus server or cluster is reached
by. For each dev question:
- answers: identical text and citations to the FAISS store's;
- dense and BM25: recall@10 of the FAISS store's top 10 in the Milvus store's top 10;
- fusion: retrieval fuses the two lists itself (weighted min-max by default, or RRF). Milvus can
  fuse them too (`hybrid_search` with its RRF or weighted ranker); the top 5 of each is compared
  with ours on the same candidate lists, which says whether Milvus-side fusion could replace ours;
- latency of each search and of a whole warm `ask`, per store.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, dev_questions, fallback_questions, stats_ms, stop_process  # noqa: E402

TOP_FUSED = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lite_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`milvus-lite server` on a free loopback port (it binds 0.0.0.0 unless told otherwise)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("milvus-lite")
    proc = subprocess.Popen(
        [str(exe), "server", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}"
        if proc.poll() is not None:
            raise RuntimeError("milvus-lite server stopped while starting")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("milvus-lite server did not start")


def _gist(a) -> tuple:
    return a.text, a.abstained, tuple((c.passage_id, c.quote) for c in a.citations)


def _overlap(a: dict, b: dict, k: int) -> float:
    top = lambda d: set(sorted(d, key=lambda i: -d[i])[:k])  # noqa: E731
    ta, tb = top(a), top(b)
    return len(ta & tb) / max(1, min(k, len(ta)))


def _timed(fn, *args) -> tuple[object, float]:
    t = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - t) * 1000


def compare(reference, other, qs: list[dict], label: str, log=print) -> dict:
    from assistant.search.retrieval import _rrf, _weighted

    settings = reference.settings
    same, dense_rec, kw_rec, fused = 0, [], [], {"rrf": [], "weighted": []}
    t_dense, t_kw, t_ask, t_ref_ask = [], [], [], []
    for q in qs:
        history = q.get("history") or []
        v = reference.embedder.query(q["question"])
        terms, _ = reference.retriever.query_terms(q["question"], [])
        d_ref, d_oth = reference.retriever.dense(v, 10), None
        d_oth, ms = _timed(other.retriever.dense, v, 10)
        t_dense.append(ms)
        dense_rec.append(_overlap(d_ref, d_oth, 10))
        k_ref = reference.retriever.keyword(terms, 10)
        k_oth, ms = _timed(other.retriever.keyword, terms, 10)
        t_kw.append(ms)
        if k_ref:
            kw_rec.append(_overlap(k_ref, k_oth, 10))
        store = other.index.store
        if hasattr(store, "hybrid"):
            d50, k50 = (
                other.retriever.dense(v, settings.candidates),
                other.retriever.keyword(terms, settings.candidates),
            )
            known = [t for t in terms if t in other.retriever.vocab]
            ours = {"rrf": _rrf(d50, k50), "weighted": _weighted(d50, k50, settings.dense_weight)}
            for ranker in ("rrf", "weighted"):
                theirs = store.hybrid(
                    v,
                    known,
                    TOP_FUSED,
                    ranker=ranker,
                    dense_weight=settings.dense_weight,
                    candidates=settings.candidates,
                )
                fused[ranker].append(_overlap(ours[ranker], theirs, TOP_FUSED))
        a_ref, ms_ref = _timed(reference.ask, q["question"], history)
        a_oth, ms = _timed(other.ask, q["question"], history)
        t_ask.append(ms)
        t_ref_ask.append(ms_ref)
        same += _gist(a_ref) == _gist(a_oth)
    out = {
        "questions": len(qs),
        "same_answers": same,
        "dense_recall@10": float(np.mean(dense_rec)),
        "bm25_recall@10": float(np.mean(kw_rec)) if kw_rec else float("nan"),
        "dense_ms": stats_ms(t_dense),
        "bm25_ms": stats_ms(t_kw),
        "ask_ms": stats_ms(t_ask),
        "faiss_ask_ms": stats_ms(t_ref_ask),
    }
    for ranker, vals in fused.items():
        if vals:
            out[f"milvus_{ranker}_top{TOP_FUSED}_agreement"] = float(np.mean(vals))
    log(
        f"  {label}: {same}/{len(qs)} identical answers, dense recall@10 {out['dense_recall@10']:.3f}, "
        f"BM25 recall@10 {out['bm25_recall@10']:.3f}, ask p50 {out['ask_ms']['p50']:.0f} ms"
    )
    return out


def run(work: Path, builtin_index: Path, log=print) -> dict:
    from assistant import Assistant
    from assistant.settings import Settings

    qs = dev_questions() or fallback_questions()
    reference = Assistant.load(corpus_dir=CORPUS, index_dir=builtin_index)
    for q in qs[:3]:
        reference.ask(q["question"])
    out: dict = {"faiss": {"dense_ms": None}}

    def seeded(name: str) -> Path:
        index = work / name
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(builtin_index / "cache", index / "cache")
        return index

    t = time.perf_counter()
    lite = Assistant.load(
        settings=Settings.from_env(corpus_dir=CORPUS, index_dir=seeded("milvus-lite-index"), store="milvus")
    )
    out["lite_build_s"] = time.perf_counter() - t
    for q in qs[:3]:
        lite.ask(q["question"])
    out["milvus_lite"] = compare(reference, lite, qs, "Milvus Lite (in-process)", log)
    lite.index.store.close()
    proc, uri = start_lite_server(work / "milvus-server-data")
    try:
        t = time.perf_counter()
        grpc = Assistant.load(
            settings=Settings.from_env(
                corpus_dir=CORPUS, index_dir=seeded("milvus-grpc-index"), store="milvus", milvus_uri=uri
            )
        )
        out["grpc_build_s"] = time.perf_counter() - t
        for q in qs[:3]:
            grpc.ask(q["question"])
        out["milvus_grpc"] = compare(reference, grpc, qs, f"Milvus Lite server over gRPC ({uri})", log)
        grpc.index.store.close()
    finally:
        stop_process(proc, grace=10)
    # the FAISS store's own search times, for the table
    fr = reference.retriever
    d_ms, k_ms = [], []
    for q in qs:
        v = reference.embedder.query(q["question"])
        terms, _ = fr.query_terms(q["question"], [])
        d_ms.append(_timed(fr.dense, v, 10)[1])
        k_ms.append(_timed(fr.keyword, terms, 10)[1])
    out["faiss"] = {"dense_ms": stats_ms(d_ms), "bm25_ms": stats_ms(k_ms)}
    out["pid"] = os.getpid()
    return out
