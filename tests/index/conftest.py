"""Fixtures and helpers of the index tests: a built index to damage, two corpora to build in turn."""

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
from assistant.index.embedding.model import model_id
from assistant.index.fingerprint import corpus_fingerprint
from assistant.index.folders import live_build
from assistant.index.layout import MANIFEST
from assistant.index.locking import build_lock
from assistant.index.manifest import read_manifest
from assistant.index.records import read_index
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT

QUESTION = "沐曦计划募资多少？"

CHILD = r"""
import json, sys, time
from assistant import Assistant
corpus, index, rebuild = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
log = lambda m: print(json.dumps({"t": time.time(), "log": m}), flush=True)
bot = Assistant.load(corpus_dir=corpus, index_dir=index, rebuild=rebuild, log=log)
print(json.dumps({"built": bot.load_report.built, "path": str(bot.index.path)}), flush=True)
"""


class Child:
    """A build in another process (group); its output lines are collected as they come."""

    def __init__(self, corpus: Path, index: Path, rebuild: bool):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(corpus), str(index), "1" if rebuild else "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
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
    paragraphs = [
        f"第{i}节\n某芯片公司在{2000 + i}年发布了第{i}款加速卡,其算力为{i * 3} TFLOPS,功耗{i + 40}瓦。"
        for i in range(1, 40)
    ]
    (new / "articles" / "extra.txt").write_text(
        "加速卡年表\n" + "\n".join(paragraphs) + "\n", encoding="utf-8"
    )
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


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, bot, index_dir) -> tuple[Path, Path]:
    """(corpus, index) built once; tests work on copies of the index."""
    corpus = tmp_path_factory.mktemp("robust_corpus") / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path_factory.mktemp("robust_index") / "index"
    shutil.copytree(index_dir / "cache", index / "cache")  # the session's vectors: nothing is embedded again
    Assistant.load(corpus_dir=corpus, index_dir=index)
    return corpus, index


@pytest.fixture
def copy(pristine, tmp_path) -> tuple[Path, Path, Path]:
    """(corpus, index, live build folder) of a private copy of the built index."""
    corpus, index = pristine
    mine = tmp_path / "index"
    shutil.copytree(index, mine)
    return corpus, mine, live_build(mine)


def _load(corpus: Path, index: Path, **kw):
    messages: list[str] = []
    bot = Assistant.load(corpus_dir=corpus, index_dir=index, log=messages.append, **kw)
    return bot, messages


def _assert_rebuilt_after(bot, messages, *words) -> None:
    assert bot.load_report.built
    for w in words:
        assert w in bot.load_report.reason, bot.load_report.reason
    assert any(all(w in m for w in words) for m in messages)  # the user was told why
    a = bot.ask(QUESTION)
    assert not a.abstained and a.companies == ["metax"]


def _manifest(build: Path) -> dict:
    return json.loads((build / MANIFEST).read_text(encoding="utf-8"))


def _write_manifest(build: Path, manifest: dict) -> None:
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
