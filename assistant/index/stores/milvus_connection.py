"""Where a Milvus store is and how it is reached: the address from the settings, the Lite folder
recorded relative to the index folder, and a client whose every failure is one line saying what to do.

Milvus Lite keeps its data folder locked by the process that opened it: a second process (a shell
`assistant ask` while the web app runs) gets a clear error saying to use a server for sharing.
"""

from __future__ import annotations

import fcntl
import logging
import re
import time
from pathlib import Path

from ...errors import AssistantError
from ...text import clip

LITE_SUFFIX = ".db"
DEFAULT_LITE_NAME = "milvus.db"  # under the index folder when milvus_uri is empty
LITE_TRIES = 3  # Milvus Lite starts tried, 1 s and 2 s apart
TIMEOUT_S = 30.0  # per call: a server that does not answer becomes an error, not a hung question


class MilvusUnavailable(AssistantError):
    """The Milvus server or Lite folder cannot be used (unreachable, locked, not installed)."""


def resolve_uri(uri: str, index_dir: Path) -> str:
    """`milvus_uri` as pymilvus takes it: empty means `<index_dir>/milvus.db`; a local path is made
    absolute (the manifest records it, and a relative path would depend on the working folder)."""
    uri = (uri or "").strip()
    if not uri:
        return str((Path(index_dir) / DEFAULT_LITE_NAME).resolve())
    if is_lite(uri):
        return str(Path(uri).expanduser().resolve())
    return uri.rstrip("/")


def recorded_uri(uri: str, index_dir: Path) -> str:
    """`uri` as the manifest records it: a Lite folder inside the index folder relative to it."""
    if is_lite(uri):
        try:
            return Path(uri).resolve().relative_to(Path(index_dir).resolve()).as_posix()
        except ValueError:  # elsewhere: the path as given
            pass
    return uri


def inside(uri: str, index_dir: Path) -> bool:
    """Whether a Lite folder lies inside the index folder (recorded relative to it)."""
    return not Path(recorded_uri(uri, index_dir)).is_absolute()


def is_lite(uri: str) -> bool:
    return not re.match(r"^(https?|tcp|unix)://", uri or "") and uri.endswith(LITE_SUFFIX)


def connect(uri: str):
    """A MilvusClient for `uri`; every way of failing becomes one MilvusUnavailable saying what to do."""
    try:
        from pymilvus import MilvusClient  # optional and heavy: only a Milvus store loads it
    except ImportError as exc:
        raise MilvusUnavailable(f"store=milvus needs pymilvus (pip install -e '.[scale]'): {exc}") from None
    # pymilvus logs each failed call with a traceback before raising it, and Milvus Lite's server
    # (in this process) logs its own; the error is said once, in one line, by us.
    for name in ("pymilvus", "milvus_lite"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if is_lite(uri):
        return _open_lite(MilvusClient, uri)
    try:
        return MilvusClient(uri=uri, timeout=TIMEOUT_S)
    except Exception as exc:  # connection refused, timeout, bad address: many types
        raise MilvusUnavailable(f"cannot reach Milvus at {uri}: {said(exc)}") from None


def _open_lite(client_class, uri: str):
    """Milvus Lite's folder, opened; a start that fails for a passing reason (its gRPC server said
    "too many pings" under load, 1 build in 3) is tried again before the real cause is reported."""
    try:
        import milvus_lite  # noqa: F401
    except ImportError as exc:
        raise MilvusUnavailable(
            f"milvus_uri {uri} is a Milvus Lite folder, which needs the milvus-lite "
            f"package (pip install -e '.[scale]'): {exc}"
        ) from None
    folder = Path(uri)
    if folder.exists() and not folder.is_dir():
        raise MilvusUnavailable(
            f"{uri} is a file, not a Milvus Lite folder: move it away (a build makes a new folder there)"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(LITE_TRIES):
        try:
            return client_class(uri=uri, timeout=TIMEOUT_S)
        except Exception as exc:  # pymilvus says only "Open local milvus failed"
            if _held_elsewhere(folder / "LOCK"):
                raise MilvusUnavailable(
                    f"cannot open the Milvus Lite folder {uri}: it is in use by another process (Milvus Lite "
                    "serves one process at a time): run `milvus-lite server "
                    f"--data-dir {uri} --host 127.0.0.1 --port 19530` and set "
                    "milvus_uri=http://127.0.0.1:19530 to share it."
                ) from None
            if attempt + 1 == LITE_TRIES:
                raise MilvusUnavailable(f"cannot open the Milvus Lite folder {uri}: {said(exc)}") from None
            time.sleep(2**attempt)
    raise AssertionError("unreachable")


def _held_elsewhere(lock: Path) -> bool:
    """Whether a process holds Milvus Lite's lock on its folder (its server takes a flock)."""
    try:
        with open(lock, "a+") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(f, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def said(exc: BaseException) -> str:
    """An exception in one short line (pymilvus's messages run to several hundred characters)."""
    return clip(f"{type(exc).__name__}: {' '.join(str(exc).split())}", 300)


def damaged_lite_error(uri: str, exc: BaseException) -> MilvusUnavailable:
    return MilvusUnavailable(
        f"the Milvus Lite folder {uri} cannot be read ({said(exc)}): it may be damaged; "
        f"`assistant build --force` moves it aside and builds a new one"
    )
