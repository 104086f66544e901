"""The dense index of a build (index/dense.py): its type and search breadth by size, answers unchanged."""

import pytest

import assistant.index.folders as folders_mod
from assistant import Assistant
from assistant.index.dense import choose_index_type

QUESTIONS = [
    "沐曦计划募资多少？",
    "Who backs Enflame?",
    "摩尔线程的估值是多少？",
    "寒武纪2024年的营收是多少？",
]


def test_index_type_and_search_breadth_grow_with_the_corpus():
    small, large, huge = choose_index_type(1_000), choose_index_type(200_000), choose_index_type(2_000_000)
    assert small["type"] == "flat_ip"
    assert large["type"] == huge["type"] == "ivf_rabitq_refine"
    assert large["nlist"] < huge["nlist"] and large["nprobe"] < huge["nprobe"] <= huge["nlist"]


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "ivf_sq8_refine", "nlist": 4, "nprobe": 4, "k_factor": 4, "train_points": 40},
        {
            "type": "ivf_rabitq_refine",
            "nlist": 4,
            "nprobe": 4,
            "k_factor": 100,
            "query_bits": 8,
            "train_points": 40,
        },
        {"type": "hnsw", "M": 16, "ef_construction": 64, "ef_search": 64},
    ],
    ids=["ivf-sq8", "ivf-rabitq", "hnsw"],
)
def test_approximate_indexes_searching_everything_answer_like_exact_search(
    spec, corpus_copy, tmp_path, shared_cache, bot, monkeypatch
):
    monkeypatch.setattr(folders_mod, "choose_index_type", lambda n: dict(spec))
    approx = Assistant.load(corpus_dir=corpus_copy, index_dir=shared_cache(tmp_path / "index"))
    assert (
        approx.index.manifest["dense_index"] == spec
        and bot.index.manifest["dense_index"]["type"] == "flat_ip"
    )
    for q in QUESTIONS:
        a, b = approx.ask(q), bot.ask(q)
        assert (a.text, [c.passage_id for c in a.citations]) == (b.text, [c.passage_id for c in b.citations])
