"""Which files of a corpus folder may be read at all, decided before a byte of them is read.

A corpus is a folder a user fills by hand or from an archive, so it may hold a link to
`/etc/passwd`, a named pipe called `x.txt` (reading it would wait forever), a 3 GB file, or a file
name in GBK from a Windows zip that is not text in this system's encoding. Only regular files
whose real path (links followed) lies inside the corpus folder are read; links that stay inside it
are followed. Everything else is skipped with a warning that names it, in a form that can always be
printed and written to the manifest.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import AssistantError
from ..text import clip


def real_root(corpus_dir: str | Path) -> str:
    """The corpus folder's real path, the boundary every file read must stay inside."""
    return os.path.realpath(corpus_dir)


def is_inside(real_path: str, root: str) -> bool:
    """True when `real_path` (already resolved) is `root` or lies below it."""
    return real_path == root or real_path.startswith(root.rstrip(os.sep) + os.sep)


def shown(path: str | Path) -> str:
    """A path as text that can always be printed or encoded as UTF-8.

    A name that is not valid UTF-8 (GBK bytes from a Windows zip) reaches Python with its bytes
    smuggled in as lone surrogates, which `print` to a UTF-8 pipe and `json` writing both refuse;
    here its bytes are shown as \\xNN escapes instead.
    """
    return clip(os.fsencode(path).decode("utf-8", "backslashreplace"))


def bad_name(path: str | Path) -> bool:
    """True when the path is not valid UTF-8 text (see `shown`)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def file_problem(path: str | Path, root: str, max_bytes: int | None = None) -> str | None:
    """Why `path` must not be read as a corpus file, or None when it may be.

    `root` is the corpus folder's real path (`real_root`). Checked, in order: the name is text, the
    file exists (following links), its real path is inside `root`, it is a regular file, it is not
    a hard link to a file someone other than the corpus folder's owner owns, and it is no bigger
    than `max_bytes`. Nothing is opened.
    """
    if bad_name(path):
        return (
            "its name is not valid UTF-8 (rename it, e.g. after unpacking the archive with the right "
            "encoding)"
        )
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "it does not exist (a link to nothing?)"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    real = os.path.realpath(path)
    if not is_inside(real, root):
        return f"its real path is {shown(real)}, outside the corpus folder (links out of it are not followed)"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if st.st_nlink > 1 and st.st_uid != _owner(root):
        # `ln /etc/passwd corpus/articles/h.txt`: a hard link has no outside path to catch, but
        # its owner is not the corpus folder's (issue 20)
        return (
            "it is a hard link to a file of another owner than the corpus folder's "
            "(copy the file in instead of linking it)"
        )
    if max_bytes is not None and st.st_size > max_bytes:
        return f"the file is {_size(st.st_size)}, over the {_size(max_bytes)} limit"
    return None


def _owner(root: str) -> int | None:
    try:
        return os.stat(root).st_uid
    except OSError:
        return None


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB" if n >= 2**10 else f"{n} bytes"


def check_corpus_folder(corpus: Path) -> None:
    """One line when the corpus folder is missing, not a folder, or a name the system refuses
    (a 5,000-character --corpus raised OSError 'File name too long' as a traceback)."""
    try:
        if corpus.is_dir():
            return
        why = "is not a folder" if corpus.exists() else "does not exist"
    except OSError as exc:
        why = f"cannot be read ({exc.strerror or exc})"
    raise AssistantError(f"corpus folder {shown(corpus)} {why}")
