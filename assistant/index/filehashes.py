"""SHA-256 of corpus files, remembered by (size, modification time) between runs.

Every start hashes the whole corpus to know whether the index is stale. For the built-in corpus
that is nothing; for a newsroom archive (100,000 files) it was 5.5 s of every start-up. Like git
and make, a file whose size and modification time (in nanoseconds) are those seen last time is
taken to have the same content. A file modified within the last few seconds is always hashed and
never remembered: its modification time may not have ticked since it was last written.

The table is a JSON file in the index's cache folder. It only saves time: a missing, unreadable or
unwritable table means hashing everything, as before.

Files are hashed in blocks, never read whole, and a file over the size limit the build applies is
not read at all: its size and modification time stand for its content (the build skips it anyway,
and a 3 GB file read whole at start-up took 3.2 GB of memory).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path

from ..corpus.files import file_problem

RACY_SECONDS = 3.0
# Read size when hashing: big enough that the system calls do not show, small enough not to matter.
HASH_BLOCK_BYTES = 1 << 20


class FileHashes:
    def __init__(self, path: Path | None):
        self.path = path
        self._old: dict[str, list] = {}
        self._new: dict[str, list] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._old = data
            except (OSError, ValueError):
                pass

    def digest(
        self, path: str | Path, key: str, *, root: str | None = None, max_bytes: int | None = None
    ) -> bytes | None:
        """SHA-256 of the file's bytes, or None when the file does not exist or may not be read.

        root: the corpus folder's real path; when given, a file whose real path is outside it (or
        that is not a regular file) counts as absent and is not opened (callers that checked
        already, like the article scan, leave it out). max_bytes: a bigger file is not read; a
        digest of its size and modification time stands for it.
        """
        if root is not None and file_problem(path, root) is not None:
            return None
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        if max_bytes is not None and st.st_size > max_bytes:
            return hashlib.sha256(
                f"over the limit: {st.st_size} bytes, mtime {st.st_mtime_ns}".encode()
            ).digest()
        seen = self._old.get(key)
        if isinstance(seen, list) and len(seen) == 3 and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
            try:
                digest = bytes.fromhex(seen[2])
            except (TypeError, ValueError):
                digest = b""
            if len(digest) == 32:
                self._new[key] = seen
                return digest
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(HASH_BLOCK_BYTES):
                h.update(block)
        digest = h.digest()
        if time.time() - st.st_mtime_ns / 1e9 > RACY_SECONDS:
            self._new[key] = [st.st_size, st.st_mtime_ns, digest.hex()]
        return digest

    def save(self) -> None:
        """Keep what was seen this time (and only that: deleted files drop out)."""
        if self.path is None or self._new == self._old:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # ASCII escapes: a file name that is not UTF-8 (its bytes held as lone surrogates) still writes.
            tmp.write_text(json.dumps(self._new), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:  # a read-only index folder: hash again next time
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
