"""Build folders under the index folder (index/folders.py): a folder that is not an index is refused,
the live build is switched atomically, a killed or failed build leaves the previous one usable."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import AssistantError
from assistant.index.folders import live_build
from tests.conftest import ROOT
from tests.fakes import FakeEmbedder
from tests.index.conftest import QUESTION, Child, _assert_usable, _load


def _load_tiny(corpus: Path, index: Path) -> Assistant:
    return Assistant.load(corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder())


# ---- 7. --index pointed at a folder that is not an index -------------------------------------------------
def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_index_folder_with_someone_elses_builds_keeps_them(tiny_copy, tmp_path):
    folder = tmp_path / "release"
    (folder / "builds" / "my-release-1.0").mkdir(parents=True)
    (folder / "builds" / "my-release-1.0" / "app.tar").write_bytes(b"the release")
    for rebuild in (False, True, True):  # each build prunes the builds before it
        Assistant.load(corpus_dir=tiny_copy, index_dir=folder, embedder=FakeEmbedder(), rebuild=rebuild)
    assert (folder / "builds" / "my-release-1.0" / "app.tar").read_bytes() == b"the release"
    ours = [p for p in (folder / "builds").iterdir() if p.name != "my-release-1.0"]
    assert len(ours) == 1  # the live build; the two before it were removed


def test_a_folder_that_is_not_an_index_is_refused_and_left_as_it_was(tiny_copy, tmp_path):
    folder = tmp_path / "project"
    (folder / "builds" / "my-release-1.0").mkdir(parents=True)
    (folder / "src").mkdir()
    (folder / "notes.txt").write_text("my project\n", encoding="utf-8")
    before = _tree(folder)
    with pytest.raises(AssistantError) as err:
        _load_tiny(tiny_copy, folder)
    assert "not an index folder" in str(err.value) and "notes.txt" in str(err.value)
    assert _tree(folder) == before


@pytest.mark.parametrize(
    "part, make, expected",
    [
        ("builds", lambda p: p.write_text("x"), "should be the folder of builds"),
        ("cache", lambda p: p.write_text("x"), "should be the folder of cached vectors"),
        ("CURRENT", lambda p: p.mkdir(), "should be the file naming the live build"),
    ],
)
def test_parts_of_an_index_replaced_by_the_wrong_kind_of_file_are_named_and_leave_no_orphan_build(
    tiny_copy, tmp_path, part, make, expected
):
    index = tmp_path / "index"
    _load_tiny(tiny_copy, index)
    target = index / part
    if target.is_dir():
        import shutil

        shutil.rmtree(target)
    elif target.exists():  # (an index built with the fake embedder has no vector cache)
        target.unlink()
    make(target)
    before = _tree(index)
    for _ in range(2):
        with pytest.raises(AssistantError) as err:
            Assistant.load(corpus_dir=tiny_copy, index_dir=index, embedder=FakeEmbedder(), rebuild=True)
        assert str(target) in str(err.value) and expected in str(err.value)
        assert "File exists" not in str(err.value)
    assert _tree(index) == before  # no orphan build per try


def test_the_projects_own_index_folder_with_its_readme_is_an_index(tiny_copy, tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "README.md").write_bytes((ROOT / "index" / "README.md").read_bytes())  # as a fresh clone has it
    bot = _load_tiny(tiny_copy, folder)
    assert bot.index.passages and (folder / "README.md").read_text(encoding="utf-8").startswith("# index/")


@pytest.mark.parametrize("pointer", [b"../../etc", b"\xff\xfe\xfd", b"no-such-build"])
def test_a_broken_current_pointer_is_named(copy, pointer):
    corpus, index, _ = copy
    (index / "CURRENT").write_bytes(pointer)
    bot, messages = _load(corpus, index)
    assert bot.load_report.built and bot.load_report.reason
    assert any("CURRENT" in m or "manifest.json" in m for m in messages)
    assert not bot.ask(QUESTION).abstained


def test_an_index_that_cannot_be_rebuilt_gives_one_clear_error_and_stays(copy, tmp_path):
    corpus, index, build = copy
    emptied = tmp_path / "corpus"  # the corpus folder lost its files (an unmounted share, a bad sync)
    (emptied / "articles").mkdir(parents=True)
    (emptied / "articles" / "blob.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(AssistantError) as err:
        Assistant.load(corpus_dir=emptied, index_dir=index)
    msg = str(err.value)
    assert "cannot build the index" in msg and "nothing to index" in msg  # what failed
    assert "stale" in msg  # and why a build was needed
    assert live_build(index) == build  # the failed build changed nothing
    bot, _ = _load(corpus, index)
    assert not bot.load_report.built and not bot.ask(QUESTION).abstained


def test_an_index_folder_that_cannot_be_created_is_a_clear_error(tmp_path, pristine):
    corpus, _ = pristine
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AssistantError, match="index folder"):
        Assistant.load(corpus_dir=corpus, index_dir=blocker / "index")


def test_an_interrupted_build_leaves_the_previous_index_in_place(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    leftover = index / "builds" / ".tmp-killed"
    shutil.copytree(first.index.path, leftover)
    (leftover / "dense.faiss").write_bytes(b"half written")
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert not again.load_report.built and again.index.path == first.index.path


def _new_in(folder: Path, pattern: str, before: set[Path]) -> Callable[[], bool]:
    return lambda: bool(set(folder.glob(pattern)) - before)


@pytest.mark.slow
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
        run(
            f"{delay}s into the build",
            lambda c, d=delay: (
                lambda: c.build_started is not None and time.monotonic() - c.build_started >= d
            ),
        )
    # at each stage the index writer reaches on disk
    for stage, pattern in (
        ("temporary folder made", ".tmp-*"),
        ("FAISS file written", ".tmp-*/dense.faiss"),
        ("BM25 written", ".tmp-*/bm25/*"),
        ("manifest written", ".tmp-*/manifest.json"),
    ):
        before = set(builds.glob(pattern))
        run(stage, lambda c, p=pattern, b=before: _new_in(builds, p, b))
    before = {p for p in builds.iterdir() if not p.name.startswith(".")}
    run(
        "build folder renamed, CURRENT not yet switched",
        lambda c: lambda: bool({p for p in builds.iterdir() if not p.name.startswith(".")} - before),
    )

    killed = [o for o in outcomes if o[1]]
    assert len(killed) >= 5, outcomes  # most kills landed mid-build (a fast build may finish before one)
    # a later build cleans up whatever the killed ones left behind
    bot = Assistant.load(corpus_dir=new, index_dir=index, rebuild=True)
    assert bot.load_report.built and any(p.doc_id == "extra" for p in bot.index.passages)
    assert [p.name for p in builds.iterdir()] == [bot.index.path.name]
    assert not list(index.glob(".CURRENT.*"))
