"""Builds that die or overlap: a killed build leaves the previous index usable, two at once do not collide.

These start real `Assistant.load` processes and SIGKILL them: at times after the build starts
(while the model loads and embeds) and at the moments the index writer reaches each stage on
disk (temporary folder made, FAISS file written, manifest written, build folder renamed). After
every kill the index folder must open, verify and answer, as the old index or the new one,
never as something in between.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.index.build import corpus_fingerprint
from assistant.index.embedding.model import model_id
from assistant.errors import AssistantError
from assistant.index.folders import live_build
from assistant.index.manifest import read_manifest
from assistant.index.records import read_index
from assistant.index.locking import build_lock
from assistant.settings import Settings

from .conftest import ROOT

pytestmark = pytest.mark.slow  # real builds in other processes, SIGKILLed

QUESTION = "沐曦计划募资多少？"

CHILD = r"""
import json, sys, time
from assistant import Assistant
corpus, index, rebuild = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
log = lambda m: print(json.dumps({"t": time.time(), "log": m}), flush=True)
bot = Assistant.load(corpus_dir=corpus, index_dir=index, rebuild=rebuild, log=log)
print(json.dumps({"built": bot.load_report.built, "path": str(bot.index.path)}), flush=True)
"""

LOCK_HOLDER = r"""
import sys, time
from assistant.index.locking import build_lock
with build_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(120)
"""


class Child:
    """A build in another process (group); its output lines are collected as they come."""

    def __init__(self, corpus: Path, index: Path, rebuild: bool):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(corpus), str(index), "1" if rebuild else "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # its own process group: the build and any embedding workers it starts
        )
        self.lines: list[dict] = []
        self.output: list[str] = []  # everything it printed, warnings and tracebacks included
        self.build_started: float | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(row, dict):
                continue
            if "building the index" in row.get("log", ""):
                self.build_started = time.monotonic()
            self.lines.append(row)

    def kill_when(self, ready: Callable[[], bool], timeout: float = 180) -> bool:
        """SIGKILL as soon as `ready()`; True when it died mid-run, False when it finished first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.finish()
                return False
            if ready():
                self._kill()
                self.finish()
                return self.proc.returncode == -signal.SIGKILL
            time.sleep(0.0005)
        self._kill()
        self.finish()
        raise AssertionError("the build never reached the moment to kill it")

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished just now
            pass

    def finish(self, timeout: float = 300) -> dict:
        self.proc.wait(timeout)
        self._reader.join(10)
        self.proc.stdout.close()
        return self.lines[-1] if self.lines else {}


@pytest.fixture
def two_corpora(bot, corpus_copy, tmp_path, shared_cache):
    """(old corpus, new corpus with one more article, index of the old corpus, {fingerprint: corpus})."""
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    new = tmp_path / "corpus-new"
    shutil.copytree(corpus_copy, new)
    paragraphs = [f"第{i}节\n某芯片公司在{2000 + i}年发布了第{i}款加速卡,其算力为{i * 3} TFLOPS,功耗{i + 40}瓦。"
                  for i in range(1, 40)]
    (new / "articles" / "extra.txt").write_text("加速卡年表\n" + "\n".join(paragraphs) + "\n", encoding="utf-8")
    mid = model_id(first.settings.model)
    fingerprints = {
        first.index.manifest["corpus_fingerprint"]: corpus_copy,
        corpus_fingerprint(Settings.from_env(corpus_dir=new, index_dir=index), mid): new,
    }
    assert len(fingerprints) == 2
    return corpus_copy, new, index, fingerprints


def _assert_usable(index: Path, fingerprints: dict[str, Path]) -> str:
    """The live build verifies completely and is the old or the new corpus's index; returns which."""
    build = live_build(index)
    manifest = read_manifest(build)
    read_index(build, manifest)  # every file present, sized and checksummed as the manifest says
    corpus = fingerprints[manifest["corpus_fingerprint"]]
    bot = Assistant.load(corpus_dir=corpus, index_dir=index)
    assert not bot.load_report.built and bot.index.path == build
    assert not bot.ask(QUESTION).abstained
    with build_lock(index, timeout=10):  # the kernel released the dead build's lock
        pass
    return corpus.name


def _new_in(folder: Path, pattern: str, before: set[Path]) -> Callable[[], bool]:
    return lambda: bool(set(folder.glob(pattern)) - before)


def test_a_build_killed_at_any_moment_leaves_a_usable_index(two_corpora):
    _, new, index, fingerprints = two_corpora
    builds = index / "builds"
    outcomes = []

    def run(describe: str, make_ready: Callable[[Child], Callable[[], bool]]) -> None:
        child = Child(new, index, rebuild=True)
        killed = child.kill_when(make_ready(child))
        assert killed or child.proc.returncode == 0, "".join(child.output)[-3000:]  # finished first: cleanly
        outcomes.append((describe, killed, _assert_usable(index, fingerprints)))

    # while the model loads and embeds the new article, at three delays after the build starts
    for delay in (0.0, 0.4, 1.5):
        run(f"{delay}s into the build",
            lambda c, d=delay: lambda: c.build_started is not None and time.monotonic() - c.build_started >= d)
    # at each stage the index writer reaches on disk
    for stage, pattern in (("temporary folder made", ".tmp-*"), ("FAISS file written", ".tmp-*/dense.faiss"),
                           ("BM25 written", ".tmp-*/bm25/*"), ("manifest written", ".tmp-*/manifest.json")):
        before = set(builds.glob(pattern))
        run(stage, lambda c, p=pattern, b=before: _new_in(builds, p, b))
    before = {p for p in builds.iterdir() if not p.name.startswith(".")}
    run("build folder renamed, CURRENT not yet switched",
        lambda c: lambda: bool({p for p in builds.iterdir() if not p.name.startswith(".")} - before))

    killed = [o for o in outcomes if o[1]]
    assert len(killed) >= 5, outcomes  # most kills landed mid-build (a fast build may finish before one)
    # a later build cleans up whatever the killed ones left behind
    bot = Assistant.load(corpus_dir=new, index_dir=index, rebuild=True)
    assert bot.load_report.built and any(p.doc_id == "extra" for p in bot.index.passages)
    assert [p.name for p in builds.iterdir()] == [bot.index.path.name]
    assert not list(index.glob(".CURRENT.*"))


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
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
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
