"""Hashes of corpus files (index/filehashes.py): in blocks, remembered, edits in place still caught."""

from __future__ import annotations

import assistant.index.manifest as manifest_mod
from assistant import Assistant
from assistant.index.folders import live_build
from assistant.index.manifest import read_manifest


def test_a_big_file_edited_in_place_is_caught_though_its_size_is_unchanged(
    corpus_copy, tmp_path, shared_cache, monkeypatch
):
    monkeypatch.setattr(manifest_mod, "FULL_HASH_MAX", 0)  # every file takes the big-file path
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    build = live_build(index)
    assert "sample_sha256" in read_manifest(build)["files"]["sentence_vectors.npy"]
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert not again.load_report.built and again.index.path == first.index.path
    path = build / "sentence_vectors.npy"
    data = bytearray(path.read_bytes())
    data[len(data) // 2 + 3] ^= 0xFF  # one byte, same size: its modification time gives it away
    path.write_bytes(bytes(data))
    damaged = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert damaged.load_report.built and "sentence_vectors.npy" in damaged.load_report.reason


def test_an_article_edited_in_place_is_noticed_though_file_hashes_are_remembered(
    corpus_copy, tmp_path, shared_cache
):
    index = shared_cache(tmp_path / "index")
    Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert (index / "cache" / "file-hashes.json").is_file()
    article = next(p for p in (corpus_copy / "articles").glob("*.txt") if not p.name.endswith(".en.txt"))
    text = article.read_text(encoding="utf-8")
    assert "沐曦" in text
    article.write_text(text.replace("沐曦", "沐熙", 1), encoding="utf-8")  # the same number of bytes
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert again.load_report.built and "stale" in again.load_report.reason


def test_big_files_are_hashed_in_blocks():
    from assistant.index import filehashes

    assert filehashes.HASH_BLOCK_BYTES <= 4 * 2**20
