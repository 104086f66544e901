"""Builds that die or overlap: a killed build leaves the previous index usable, two at once do not collide.

These start real `Assistant.load` processes and SIGKILL them: at times after the build starts
(while the model loads and embeds) and at the moments the index writer reaches each stage on
disk (temporary folder made, FAISS file written, manifest written, build folder renamed). After
every kill the index folder must open, verify and answer, as the old index or the new one,
never as something in between.
"""

import os
import signal
import subprocess
import sys

import pytest

from assistant.errors import AssistantError
from assistant.index.folders import live_build
from assistant.index.locking import build_lock
from tests.conftest import ROOT
from tests.index.conftest import Child, _assert_usable

pytestmark = pytest.mark.slow  # real builds in other processes, SIGKILLed


LOCK_HOLDER = r"""
import sys, time
from assistant.index.locking import build_lock
with build_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_two_builds_at_once_build_once_and_share_the_result(two_corpora):
    _, new, index, fingerprints = two_corpora
    children = [Child(new, index, rebuild=False) for _ in range(2)]
    results = [c.finish() for c in children]
    assert all(c.proc.returncode == 0 for c in children), ["".join(c.output)[-2000:] for c in children]
    assert sorted(r["built"] for r in results) == [False, True]  # the second found the first one's index
    assert results[0]["path"] == results[1]["path"] == str(live_build(index))
    assert _assert_usable(index, fingerprints) == new.name


def test_two_forced_rebuilds_at_once_take_turns(two_corpora):
    _, new, index, fingerprints = two_corpora
    children = [Child(new, index, rebuild=True) for _ in range(2)]
    results = [c.finish() for c in children]
    assert all(c.proc.returncode == 0 for c in children), ["".join(c.output)[-2000:] for c in children]
    assert all(r["built"] for r in results) and results[0]["path"] != results[1]["path"]
    assert _assert_usable(index, fingerprints) == new.name
    assert len(list((index / "builds").iterdir())) == 1


def test_a_held_lock_makes_a_build_wait_then_fail_clearly(tmp_path):
    heard: list[str] = []
    with build_lock(tmp_path):
        with pytest.raises(AssistantError, match=r"\.lock.*try again"):
            with build_lock(tmp_path, timeout=0.2, on_wait=heard.append):
                pass
    assert heard and "another process is building" in heard[0]
    with build_lock(tmp_path, timeout=0.2):  # free again once released
        pass


def test_a_killed_lock_holder_does_not_leave_a_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AssistantError):
            with build_lock(tmp_path, timeout=0.2):
                pass
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    with build_lock(tmp_path, timeout=10):
        pass
