"""Dense index choices at scale, side by side on the same vectors: `python benchmarks/run.py --only dense`.

Vectors only (no text, no BM25, no cold load: scale.py does those for the chosen index), so a
million-passage comparison takes minutes instead of the scale section's quarter hour. They follow
synthetic.py's recipe — a passage is a random mix of one to three real sentence vectors plus
noise — drawn in bulk with numpy: the same distribution as synthetic.make's, not the same draws.
Queries are the dev questions' real vectors and noisy copies (synthetic.perturbed_queries).

For each candidate: build time, bytes on disk (what a loaded index maps), one-query-at-a-time
latency (p50 / p95 / max, as `ask` searches) and recall@10 against exact search. The index is
written and read back memory-mapped the way records.read_index reads it, so the latency includes
what mapping costs.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import rss_mib, stats_ms  # noqa: E402

K = 10
N_QUERIES = 200
WARM_QUERIES = 200


def synthetic_vectors(
    source_sentences: np.ndarray, source_passages: np.ndarray, n: int, seed: int = 0
) -> np.ndarray:
    """`n` passage vectors: the real ones, then mixes of 1-3 real sentence vectors plus noise."""
    from synthetic import PASSAGE_NOISE

    rng = np.random.default_rng(seed)
    dim = source_passages.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    m = min(n, len(source_passages))
    out[:m] = source_passages[:m]
    step = 100_000
    for lo in range(m, n, step):
        hi = min(n, lo + step)
        size = hi - lo
        picks = rng.integers(0, len(source_sentences), (size, 3))
        counts = rng.integers(1, 4, size)
        w = rng.dirichlet(np.ones(3), size).astype(np.float32)
        w[np.arange(3)[None, :] >= counts[:, None]] = 0
        w /= w.sum(axis=1, keepdims=True)
        mix = np.einsum("nk,nkd->nd", w, source_sentences[picks])
        mix /= np.linalg.norm(mix, axis=1, keepdims=True)
        mix += rng.standard_normal(mix.shape, dtype=np.float32) * PASSAGE_NOISE / np.sqrt(dim)
        out[lo:hi] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    return out


def candidates(n: int) -> list[tuple[str, str, dict]]:
    """(label, faiss factory string, search params): the previous choice (8-bit codes, 8 % of the
    cells), then 1-bit RaBitQ codes — 1/8 of the bytes to scan, which buy more cells in the same time
    but need a deeper exact re-rank (k_factor) to recover what 1 bit loses — re-ranked with float32
    or float16 vectors (half the memory a re-rank reads). (4-bit codes — SQ4, RaBitQ4 — were slower
    than 8-bit ones here, and RaBitQ's fast-scan layout no faster at these depths.)"""
    from assistant.index.dense import ivf_spec

    spec = ivf_spec(n, codes="sq8")
    nlist, nprobe = spec["nlist"], spec["nprobe"]
    out = [
        (
            f"IVF{nlist}-SQ8 nprobe={nprobe} re-rank x4 float32 (previous)",
            f"IVF{nlist},SQ8,RFlat",
            {"nprobe": nprobe, "k_factor": 4},
        )
    ]
    for refine, label in (("RFlat", "float32"), ("Refine(SQfp16)", "float16")):
        for np_, kf in ((nprobe * 2, 50), (nprobe * 3 // 2, 100), (nprobe * 2, 100)):
            out.append(
                (
                    f"IVF{nlist}-RaBitQ nprobe={np_} re-rank x{kf} {label}",
                    f"IVF{nlist},RaBitQ,{refine}",
                    {"nprobe": np_, "k_factor": kf, "qb": 8},
                )
            )
    return out


def run(
    n: int,
    source_sentences: np.ndarray,
    source_passages: np.ndarray,
    queries: np.ndarray,
    log=print,
    only: list[str] | None = None,
) -> dict:
    import faiss
    from scale import recall_at, time_search

    from assistant.index.dense import choose_index_type, make_dense, set_search_params

    t = time.perf_counter()
    vecs = synthetic_vectors(source_sentences, source_passages, n)
    out: dict = {"passages": n, "generate_s": time.perf_counter() - t, "chosen": choose_index_type(n)}
    flat = faiss.IndexFlatIP(vecs.shape[1])
    flat.add(vecs)
    exact, truth = time_search(flat, queries)
    out["exact"] = exact
    del flat
    gc.collect()
    log(f"  [{n:,}] exact p95 {exact['p95']:.1f} ms")
    rng = np.random.default_rng(5)
    warm = (
        queries[rng.integers(0, len(queries), WARM_QUERIES)]
        + rng.standard_normal((WARM_QUERIES, queries.shape[1]), dtype=np.float32) * 0.01
    )
    built: dict[str, object] = {}
    rows = {}
    with tempfile.TemporaryDirectory(prefix="dense-sweep-") as tmp:
        for label, factory, params in candidates(n):
            if only and not any(o in label for o in only):
                continue
            if factory == "":  # the shipped spec, made as the store makes it
                spec = choose_index_type(n)
                key = repr(spec)
            else:
                key = factory
            path = Path(tmp) / f"{abs(hash(key))}.faiss"
            build_s = None
            if key not in built:
                t = time.perf_counter()
                if factory == "":
                    index = make_dense(vecs, spec)
                else:
                    index = faiss.index_factory(vecs.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
                    cells = int(next(f for f in factory.split(",") if f.startswith("IVF"))[3:])
                    train = vecs[
                        np.sort(np.random.default_rng(0).choice(n, min(n, 40 * cells), replace=False))
                    ]
                    index.train(train)
                    index.add(vecs)
                build_s = time.perf_counter() - t
                faiss.write_index(index, str(path))
                del index
                built[key] = (path, build_s)
            path, build_s = built[key]
            try:
                index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
            except Exception:
                index = faiss.read_index(str(path))
            if factory == "":
                set_search_params(index, spec)
            else:
                ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
                ivf.nprobe = params["nprobe"]
                if "qb" in params:
                    ivf.qb = params["qb"]
                faiss.downcast_index(index).k_factor = float(params["k_factor"])
            rss0 = rss_mib()
            time_search(index, warm)
            st, ids = time_search(index, queries)
            cpu = cpu_ms(index, queries)
            rows[label] = {
                **st,
                "cpu_p50": cpu["p50"],
                "cpu_p95": cpu["p95"],
                "recall@10": recall_at(ids, truth),
                "build_s": build_s,
                "bytes": path.stat().st_size,
                "rss_growth_mib": rss_mib() - rss0,
            }
            log(
                f"  [{n:,}] {label}: p50 {st['p50']:.2f} p95 {st['p95']:.2f} max {st['max']:.2f} ms, "
                f"cpu p50 {cpu['p50']:.2f} p95 {cpu['p95']:.2f} ms, "
                f"recall {rows[label]['recall@10']:.3f}, built {build_s:.0f}s, "
                f"{path.stat().st_size / 2**20:.0f} MiB"
            )
            del index
            gc.collect()
    out["candidates"] = rows
    return out


def cpu_ms(index, queries: np.ndarray) -> dict:
    """Processor time per search (this process, every thread): what a search costs, which other
    programs on a shared machine change much less than the wall time they make it wait."""
    out = []
    for q in queries:
        t = time.process_time()
        index.search(q.reshape(1, -1), K)
        out.append((time.process_time() - t) * 1000)
    return stats_ms(out)


def source_vectors(bot) -> tuple[np.ndarray, np.ndarray]:
    """Real sentence and passage vectors of the built-in index (what synthetic.py recombines)."""
    import synthetic

    src = synthetic.load_source(bot)
    body = [
        i
        for i, s in enumerate(src.sentences)
        if src.passages[s.passage_index].kind == "body" and len(s.text) >= 8
    ]
    return np.asarray(src.sentence_vectors, dtype=np.float32)[body], src.passage_vectors


if __name__ == "__main__":  # python benchmarks/dense_sweep.py N [label filter ...]
    import json

    import synthetic
    from common import CORPUS, dev_questions, fallback_questions

    from assistant import Assistant

    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    index_dir = Path(os.environ.get("SWEEP_INDEX", tempfile.mkdtemp(prefix="sweep-index-")))
    bot = Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)
    qs = dev_questions() or fallback_questions()
    qv = np.stack([bot.embedder.query(q["question"]) for q in qs]).astype(np.float32)
    queries = synthetic.perturbed_queries(qv, N_QUERIES)
    sent, pas = source_vectors(bot)
    res = run(n, sent, pas, queries, only=sys.argv[2:] or None)
    print(json.dumps(res, indent=1, default=str))
