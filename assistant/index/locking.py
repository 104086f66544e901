"""A lock around building, so two builds at once cannot write over each other.

It is an OS file lock (flock on Linux) on `<index>/.lock`: the kernel drops it when the holder
exits, however it exits, so a killed build never leaves a stale lock behind. A second process
that wants to build waits for the first, then finds the index the first one built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import AssistantError

LOCK_TIMEOUT_S = 3600
LOCK_NAME = ".lock"


@contextmanager
def build_lock(
    index_dir: Path, timeout: float = LOCK_TIMEOUT_S, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the build lock of an index folder; `on_wait` hears once that another build holds it."""
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    path = index_dir / LOCK_NAME
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssistantError(f"cannot create the index folder {index_dir}: {exc.strerror or exc}") from None
    lock = FileLock(str(path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait:
                on_wait(f"another process is building the index in {index_dir}; waiting for it to finish")
            lock.acquire(timeout=timeout)
    except Timeout:
        raise AssistantError(
            f"another build has held {path} for over {timeout:g} s; try again when it has finished"
        ) from None
    except OSError as exc:
        raise AssistantError(f"cannot lock {path}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()
