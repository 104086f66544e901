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


# Builds whose texts the cache keeps: this one and the one before (taking out an article and adding
# it back embeds nothing again); older texts are dropped after each build, so the cache stays about
# two corpora's size instead of growing with every addition and removal (issue 20).
KEEP_BUILDS = 2
# Dropped rows after which the file is compacted (VACUUM rewrites it: worth it only for many rows).
VACUUM_ROWS = 1_000


class EmbeddingCache:
    """Vectors keyed by (model id, text hash) in SQLite: safe for two processes, nothing pickled.

    Each row remembers the last build that used it (`used`, a build number kept in `meta`): a build
    calls `start_build`, every text it reads or writes is marked with its number, and `prune` then
    drops the rows no recent build used."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.build = 0  # the build in progress (0: none; reads do not mark rows)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors "
                "(model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
            )
            columns = {row[1] for row in db.execute("PRAGMA table_info(vectors)")}
            if "used" not in columns:  # a cache from before pruning: its rows count as unused
                db.execute("ALTER TABLE vectors ADD COLUMN used INTEGER NOT NULL DEFAULT 0")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER)")

    def start_build(self) -> None:
        """Number a new build; the texts it reads and writes are marked with it."""
        try:
            with self._connect() as db:
                row = db.execute("SELECT value FROM meta WHERE name='build'").fetchone()
                self.build = (row[0] if row else 0) + 1
                db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (self.build,))
        except sqlite3.DatabaseError as exc:
            log.warning("the embedding cache %s cannot be written (%s): it is not pruned", self.path, exc)
            self.build = 0

    def prune(self, keep: int = KEEP_BUILDS) -> int:
        """Drop the vectors no build of the last `keep` used; returns how many."""
        if not self.build:
            return 0
        try:
            with self._connect() as db:
                dropped = db.execute("DELETE FROM vectors WHERE used <= ?", (self.build - keep,)).rowcount
            if dropped >= VACUUM_ROWS:
                with self._connect() as db:
                    db.execute("VACUUM")
        except sqlite3.DatabaseError as exc:
            log.warning("the embedding cache %s cannot be pruned (%s)", self.path, exc)
            return 0
        return dropped

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
                    if self.build:
                        db.execute(
                            "UPDATE vectors SET used=? WHERE model=? "
                            f"AND key IN ({','.join('?' * len(part))})",
                            [self.build, model, *part],
                        )
        except sqlite3.DatabaseError as exc:  # a damaged cache only costs time: everything is embedded again
            log.warning(
                "the embedding cache %s cannot be read (%s): its texts are embedded again", self.path, exc
            )
            return {}
        return out

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        try:
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors (model, key, vec, used) VALUES (?, ?, ?, ?)",
                    [
                        (model, k, np.asarray(v, dtype=np.float32).tobytes(), self.build)
                        for k, v in vectors.items()
                    ],
                )
        except sqlite3.DatabaseError as exc:  # the vectors are still used, only not kept for the next build
            log.warning(
                "the embedding cache %s cannot be written (%s): %d vectors not cached",
                self.path,
                exc,
                len(vectors),
            )
