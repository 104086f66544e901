"""A lock around building, so two builds at once cannot write over each other."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from .errors import AssistantError

LOCK_TIMEOUT_S = 3600


@contextmanager
def build_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT_S):
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".lock"))
    try:
        with lock.acquire(timeout=timeout):
            yield
    except Timeout:
        raise AssistantError(f"another build holds {index_dir / '.lock'}; try again when it has finished") from None
