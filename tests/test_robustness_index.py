"""A damaged, stale or foreign index is detected at load, named, and rebuilt — or a clear error.

One index of the built-in corpus is built per module; each test damages a copy of it, loads,
and checks the message that says what was wrong and that the rebuilt index answers.
"""
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.errors import AssistantError
from assistant.index.folders import live_build
from assistant.index.layout import FORMAT_VERSION, MANIFEST

from .conftest import CORPUS, ROOT

QUESTION = "沐曦计划募资多少？"


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


def _resign(build: Path, rel: str) -> None:
    """Update the manifest's size and checksum of one file, as a careless editor or a bug might."""
    m = _manifest(build)
    data = (build / rel).read_bytes()
    m["files"][rel] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    _write_manifest(build, m)



def _replace_record(build, name, line_index, text):
    """Put `text` in place of one line of a records file, and re-sign it so only the content check can object."""
    lines = (build / name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_index] = text
    (build / name).write_text("".join(lines), encoding="utf-8")
    _resign(build, name)

def test_truncated_faiss_file_is_detected_and_rebuilt(copy):
    corpus, index, build = copy
    with open(build / "dense.faiss", "r+b") as f:
        f.truncate(1000)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "dense.faiss", "truncated")


def test_faiss_file_that_faiss_cannot_read_is_detected_even_when_the_manifest_agrees(copy):
    corpus, index, build = copy
    data = (build / "dense.faiss").read_bytes()
    (build / "dense.faiss").write_bytes(data[: len(data) // 3])
    _resign(build, "dense.faiss")
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "dense.faiss", "cannot be read")


def test_manifest_from_another_model_makes_the_index_stale(copy):
    corpus, index, build = copy
    m = _manifest(build)
    m["model_id"] = "sentence-transformers/all-MiniLM-L6-v2"
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "another model", "all-MiniLM-L6-v2")


def test_manifest_with_another_dimension_is_detected(copy):
    corpus, index, build = copy
    m = _manifest(build)
    m["dimension"] = 768
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "dimension", "768")


def test_missing_passage_records_file_is_named(copy):
    corpus, index, build = copy
    (build / "passages.jsonl").unlink()
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "passages.jsonl", "missing")


def test_a_deleted_passage_record_is_detected(copy):
    corpus, index, build = copy
    lines = (build / "passages.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (build / "passages.jsonl").write_text("".join(lines[:10] + lines[11:]), encoding="utf-8")
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "passages.jsonl", "bytes")


def test_an_edited_passage_record_fails_its_checksum(copy):
    corpus, index, build = copy
    text = (build / "passages.jsonl").read_text(encoding="utf-8")
    assert "39.04" in text
    (build / "passages.jsonl").write_text(text.replace("39.04", "99.04"), encoding="utf-8")  # same size
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "passages.jsonl", "checksum")
    assert "39.04" in bot.ask(QUESTION).text


def test_deleted_passage_records_are_detected_even_when_the_manifest_agrees(copy):
    corpus, index, build = copy
    lines = (build / "passages.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (build / "passages.jsonl").write_text("".join(lines[:-3]), encoding="utf-8")
    _resign(build, "passages.jsonl")
    bot, messages = _load(corpus, index)
    assert bot.load_report.built and ("passages" in bot.load_report.reason or "sentences" in bot.load_report.reason)
    assert not bot.ask(QUESTION).abstained


def test_a_passage_record_that_is_not_json_names_the_line(copy):
    corpus, index, build = copy
    _replace_record(build, "passages.jsonl", 4, '{"passage_id": "broken\n')
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "passages.jsonl, line 5", "not a JSON record")


def test_a_passage_record_with_wrong_fields_is_named(copy):
    corpus, index, build = copy
    _replace_record(build, "passages.jsonl", 2, json.dumps({"passage_id": "x", "unexpected": 1}) + "\n")
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "passages.jsonl, line 3", "not a passage record")


def _replace_sentence_row(build, row_index, row) -> None:
    """Put `row` in place of one row of sentences.npy, and re-sign it so only the content check can object."""
    rows = np.load(build / "sentences.npy")
    rows[row_index] = row
    np.save(build / "sentences.npy", rows)
    _resign(build, "sentences.npy")


@pytest.mark.parametrize("row", [(10_000, 0, 5, 0, 0), (0, 5, 2, 0, 0), (0, 0, 100_000, 0, 0), (-1, 0, 5, 0, 0)])
def test_sentence_offsets_outside_their_passage_are_detected(copy, row):
    corpus, index, build = copy
    _replace_sentence_row(build, 0, row)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "sentences.npy, row 1", "not a sentence of a passage")


@pytest.mark.parametrize("array", [np.zeros((3, 4), np.int64), np.zeros((3, 5), np.float32), np.zeros(15, np.int64)])
def test_a_sentences_file_of_the_wrong_shape_or_type_is_named(copy, array):
    corpus, index, build = copy
    np.save(build / "sentences.npy", array)
    _resign(build, "sentences.npy")
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "sentences.npy", "integer columns")


def test_index_from_a_newer_format_version_is_named_and_rebuilt(copy):
    corpus, index, build = copy
    m = _manifest(build)
    m["format_version"] = FORMAT_VERSION + 1
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, f"format version {FORMAT_VERSION + 1}", "newer")
    assert bot.index.manifest["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("content, words", [
    (b"{not json", ("manifest.json", "not valid JSON")),
    (b"[1, 2]", ("manifest.json", "not a JSON object")),
    (b"\xff\xfe\x00garbage", ("manifest.json", "not valid JSON")),
])
def test_unreadable_manifest_is_named(copy, content, words):
    corpus, index, build = copy
    (build / MANIFEST).write_bytes(content)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, *words)


def test_manifest_that_leaves_a_file_unlisted_is_not_trusted(copy):
    corpus, index, build = copy
    m = _manifest(build)
    del m["files"]["sentence_vectors.npy"]
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "does not list", "sentence_vectors.npy")


def test_manifest_cannot_point_outside_its_build_folder(copy):
    corpus, index, build = copy
    m = _manifest(build)
    m["files"]["../../../../../etc/hostname"] = {"bytes": 1, "sha256": "0"}
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "bad file entry")


@pytest.mark.parametrize("pointer", [b"../../etc", b"\xff\xfe\xfd", b"no-such-build"])
def test_a_broken_current_pointer_is_named(copy, pointer):
    corpus, index, _ = copy
    (index / "CURRENT").write_bytes(pointer)
    bot, messages = _load(corpus, index)
    assert bot.load_report.built and bot.load_report.reason
    assert any("CURRENT" in m or "manifest.json" in m for m in messages)
    assert not bot.ask(QUESTION).abstained


def test_a_damaged_embedding_cache_is_moved_aside(copy):
    corpus, index, _ = copy
    cache = index / "cache" / "embeddings.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    bot, messages = _load(corpus, index)
    assert any("embedding cache" in m and "damaged" in m for m in messages)
    assert list(cache.parent.glob("embeddings.sqlite.damaged-*"))
    with sqlite3.connect(cache) as db:
        db.execute("SELECT count(*) FROM vectors").fetchone()
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


def test_index_holds_no_pickles(pristine):
    _, index = pristine
    build = live_build(index)
    for npy in build.rglob("*.npy"):
        np.load(npy, allow_pickle=False)  # raises on an object (pickled) array
    for path in build.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in build.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    assert {p.suffix for p in build.rglob("*") if p.is_file()} <= {".json", ".jsonl", ".npy", ".faiss"}


def test_no_code_unpickles_anything():
    sources = [*sorted((ROOT / "assistant").rglob("*.py")), ROOT / "ui.py"]
    for path in sources:
        code = path.read_text(encoding="utf-8")
        for banned in ("import pickle", "from pickle", "allow_pickle=True", "torch.load(", "joblib", "cloudpickle",
                       "import dill"):
            assert banned not in code, f"{path.name} uses {banned}"
