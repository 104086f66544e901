"""The embedding cache: vectors kept by (model id, text hash), so a rebuild embeds only text it has never
seen (embedding is the slow part of a build)."""
from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)  # cache trouble costs time, so it is said


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
