"""Where a Milvus store is, reached in one line (issue 20): a copied project, a damaged Lite folder, a
file in its place. Each step runs the command line in its own process, as a user does: Milvus Lite
serves one process and keeps what it has read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


def _cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in its own process: Milvus Lite serves one process, and keeps what it read."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


@pytest.fixture
def milvus_project(tmp_path, shared_cache):
    pytest.importorskip("milvus_lite")
    corpus = tmp_path / "project" / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = shared_cache(tmp_path / "project" / "index")
    built = _cli("build", "--store", "milvus", "--corpus", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    return tmp_path / "project"


def test_a_copied_project_searches_its_own_milvus_lite_folder(milvus_project, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(milvus_project, copy)
    shutil.rmtree(milvus_project)
    asked = _cli(
        "ask", "沐曦计划募资多少？", "--corpus", str(copy / "corpus"), "--index", str(copy / "index")
    )
    assert asked.returncode == 0 and "39.04" in asked.stdout, asked.stderr


def test_a_damaged_milvus_lite_folder_is_one_line_and_the_next_build_replaces_it(milvus_project):
    for manifest in (milvus_project / "index" / "milvus.db" / "collections").rglob("manifest.json*"):
        manifest.write_text("garbage{", encoding="utf-8")
    args = ["--corpus", str(milvus_project / "corpus"), "--index", str(milvus_project / "index")]
    asked = _cli("ask", "沐曦计划募资多少？", *args)
    assert asked.returncode == 2 and "Traceback" not in asked.stderr and "build --force" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1, asked.stderr
    built = _cli("build", "--force", *args)
    assert built.returncode == 0 and "moved it to milvus.db.damaged-" in built.stderr, built.stderr
    assert _cli("ask", "沐曦计划募资多少？", *args).returncode == 0


def test_a_file_in_place_of_the_milvus_lite_folder_is_one_line(milvus_project):
    shutil.rmtree(milvus_project / "index" / "milvus.db")
    (milvus_project / "index" / "milvus.db").write_text("x", encoding="utf-8")
    asked = _cli(
        "ask",
        "沐曦计划募资多少？",
        "--corpus",
        str(milvus_project / "corpus"),
        "--index",
        str(milvus_project / "index"),
    )
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert "is a file, not a Milvus Lite folder" in asked.stderr
