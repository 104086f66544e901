"""Reading a build back (index/records.py): a damaged record, sentence table or FAISS file is detected
at load, named, and the index rebuilt; no pickles."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.index.folders import live_build
from tests.conftest import ARTICLE_ID, ROOT
from tests.index.conftest import (
    QUESTION,
    _assert_rebuilt_after,
    _load,
    _manifest,
    _write_manifest,
)


def _resign(build: Path, rel: str) -> None:
    """Update the manifest's size and checksum of one file, as a careless editor or a bug might."""
    m = _manifest(build)
    data = (build / rel).read_bytes()
    m["files"][rel] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    _write_manifest(build, m)


def _replace_record(build, name, line_index, text):
    """Put `text` in place of one line of a records file, and re-sign it so only the content check can
    object."""
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
    assert bot.load_report.built and (
        "passages" in bot.load_report.reason or "sentences" in bot.load_report.reason
    )
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


@pytest.mark.parametrize(
    "row", [(10_000, 0, 5, 0, 0), (0, 5, 2, 0, 0), (0, 0, 100_000, 0, 0), (-1, 0, 5, 0, 0)]
)
def test_sentence_offsets_outside_their_passage_are_detected(copy, row):
    corpus, index, build = copy
    _replace_sentence_row(build, 0, row)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "sentences.npy, row 1", "not a sentence of a passage")


@pytest.mark.parametrize(
    "array", [np.zeros((3, 4), np.int64), np.zeros((3, 5), np.float32), np.zeros(15, np.int64)]
)
def test_a_sentences_file_of_the_wrong_shape_or_type_is_named(copy, array):
    corpus, index, build = copy
    np.save(build / "sentences.npy", array)
    _resign(build, "sentences.npy")
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, "sentences.npy", "integer columns")


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
        for banned in (
            "import pickle",
            "from pickle",
            "allow_pickle=True",
            "torch.load(",
            "joblib",
            "cloudpickle",
            "import dill",
        ):
            assert banned not in code, f"{path.name} uses {banned}"


def test_passage_records_are_json_lines(bot):
    lines = (bot.index.path / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[1])
    assert first["passage_id"] == f"{ARTICLE_ID}#p1" and first["doc_id"] == ARTICLE_ID
    assert {"title", "section", "text", "start", "end", "published"} <= set(first)


def test_damaged_file_is_named_and_the_index_rebuilt(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    build = live_build(index)
    with open(build / "passages.jsonl", "r+b") as f:
        f.truncate(100)
    messages = []
    bot = Assistant.load(corpus_dir=corpus_copy, index_dir=index, log=messages.append)
    assert bot.load_report.built and "passages.jsonl" in bot.load_report.reason
    assert any("passages.jsonl" in m for m in messages)
    assert len(bot.index.passages) > 40
