"""The command line, run in-process as `assistant …` would run: over the built-in corpus with the real
model (slow), and over the tiny corpus with the fake embedder."""

from __future__ import annotations

import gc
import inspect
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import assistant.engine as engine
from assistant.cli import main, parser
from assistant.web.options import DEFAULT_CONCURRENCY, DEFAULT_MAX_QUEUE
from assistant.web.page import build_app
from tests.conftest import CORPUS, ROOT
from tests.fakes import FakeEmbedder


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
    assert (
        status == 0
        and not data["abstained"]
        and "云帆智算" in out
        and data["citations"][0]["passage_id"] == "yunfan#p2"
    )


def test_cli_company_lookup_by_alias(cli):
    status, out, _ = cli("company", "YFC", "--json")
    data = json.loads(out)
    assert (
        status == 0 and data[0]["name_zh"] == "云帆智算" and data[0]["score"] == 1.0 and data[0]["passages"]
    )


def test_cli_company_that_is_not_there_lists_the_known_ones(cli):
    status, out, _ = cli("company", "寒武纪")
    assert status == 1 and "星河芯片 (Xinghe Chips)" in out and "云帆智算 (Yunfan Compute)" in out


def test_cli_build_says_when_the_index_is_up_to_date(cli):
    status, out, _ = cli("build")
    assert status == 0 and "already up to date" in out
    status, out, _ = cli("build", "--force")
    assert status == 0 and "built in" in out


def test_cli_feedback_export_writes_the_verdicts_as_a_set_eval_scores(cli, built, tmp_path):
    from assistant.feedback import FeedbackRecord, FeedbackStore, Verdict
    from assistant.schema import Answer

    _, index = built
    declined = Answer("寒武纪2024年的营收是多少？", "语料库没有涉及「寒武纪」，无法回答。", True, "zh")
    FeedbackStore(index).append(FeedbackRecord.of(declined, [], Verdict.UP))
    status, out, _ = cli("feedback", "export")
    [item] = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and item["type"] == "unanswerable" and item["question"] == declined.question
    out_file = tmp_path / "fb.jsonl"
    assert cli("feedback", "export", "--out", str(out_file))[0] == 0
    status, out, _ = cli("eval", str(out_file), "--json")
    assert status == 0 and json.loads(out)["summary"]["unanswerable"]["abstention"] == 1.0
    (Path(index) / "feedback.jsonl").unlink()


def test_cli_ask_alone_turns_the_garbage_collector_off(cli):
    """A one-shot ask runs without the cyclic collector (cli._without_collector); other commands keep it."""
    assert gc.isenabled()
    assert cli("company", "XHC")[0] == 0
    assert gc.isenabled()
    assert cli("ask", "星河芯片的估值是多少？")[0] == 0
    assert not gc.isenabled()


def test_cli_missing_corpus_is_one_clean_line(tmp_path, capsys):
    status = main(["ask", "x", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error:") and "does not exist" in err and "Traceback" not in err


def run(capsys, *args, index_dir):
    status = main([*args, "--corpus", str(CORPUS), "--index", str(index_dir)])
    out, err = capsys.readouterr()
    return status, out, err


def test_ask_prints_the_answer_and_its_sources(bot, index_dir, capsys):
    status, out, err = run(capsys, "ask", "壁仞的估值是多少？", index_dir=index_dir)
    assert status == 0, err
    assert "140 ~ 155 亿元" in out and "Sources:" in out and "#p" in out


def test_ask_json_keeps_chinese_readable(bot, index_dir, capsys):
    status, out, _ = run(
        capsys, "ask", "Where is Biren Technology headquartered?", "--json", index_dir=index_dir
    )
    data = json.loads(out)
    assert status == 0 and data["language"] == "en" and not data["abstained"] and "上海" in out


def test_missing_corpus_is_a_clean_error(tmp_path, capsys):
    status = main(["ask", "x", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error:") and "Traceback" not in err


def test_company_lookup_by_english_alias(bot, index_dir, capsys):
    status, out, _ = run(capsys, "company", "Moore Threads", "--json", index_dir=index_dir)
    data = json.loads(out)
    assert (
        status == 0 and data[0]["name_zh"] == "摩尔线程" and data[0]["score"] == 1.0 and data[0]["passages"]
    )


def _help(capsys, run) -> str:
    try:
        run()
    except SystemExit as done:
        assert done.code == 0
    return capsys.readouterr().out


def test_serve_and_ui_py_share_one_parser_with_the_defaults_the_app_uses(capsys, monkeypatch):
    """`assistant serve --help` and `python ui.py --help` (in-process, no server started) show the same
    options and defaults, and the concurrency shown is the one the page is built with."""
    served = _help(capsys, lambda: main(["serve", "--help"]))
    monkeypatch.setattr(sys, "argv", ["ui.py", "--help"])
    by_ui = _help(capsys, lambda: runpy.run_path(str(ROOT / "ui.py"), run_name="__main__"))
    assert served == by_ui and "--concurrency" in served and "--auth-file" in served
    used = inspect.signature(build_app).parameters["concurrency"].default
    assert used == DEFAULT_CONCURRENCY == parser().parse_args(["serve"]).concurrency
    shown = " ".join(served.split())
    assert f"at the same time (default {used})" in shown and f"(default {DEFAULT_MAX_QUEUE})" in shown


# ---- 5. a file name that is not UTF-8 -------------------------------------------------------------------
GBK_NAME = "报告.txt".encode("gbk")  # as unpacked from a Windows zip


def _write_gbk_file(articles: Path) -> None:
    with open(os.path.join(os.fsencode(articles), GBK_NAME), "wb") as f:
        f.write("一篇名字是 GBK 编码的文章。\n".encode())


@pytest.mark.slow
def test_build_and_ask_from_the_command_line_do_not_die_on_a_gbk_file_name(
    corpus_copy, tmp_path, shared_cache
):
    _write_gbk_file(corpus_copy / "articles")
    index = shared_cache(tmp_path / "index")
    for args in (["build"], ["ask", "沐曦计划募资多少？"]):
        run = subprocess.run(
            [sys.executable, "-m", "assistant", *args, "--corpus", str(corpus_copy), "--index", str(index)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
    build_log = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "build",
            "--force",
            "--corpus",
            str(corpus_copy),
            "--index",
            str(index),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "\\xb1\\xa8\\xb8\\xe6.txt" in build_log.stderr and "not valid UTF-8" in build_log.stderr


def _edit_profile(corpus, change) -> None:
    path = corpus / "companies" / "enflame.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_cli_reports_a_malformed_profile_in_one_line(corpus_copy, tmp_path, capsys):
    _edit_profile(corpus_copy, lambda d: d["facts"][0].__setitem__("field", "ceo"))
    status = main(["build", "--corpus", str(corpus_copy), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: company profile") and "facts[0].field" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


HEAVY = ("torch", "transformers", "sentence_transformers", "gradio", "pymilvus", "distributed")
# Imported only where they are used (issue 20's shell ask): the build path (index/build.py and what it
# brings), the Milvus store's modules on a FAISS index, the machine translator's HTTP client, and
# pydantic (profiles' and the glossary's checks, when a build reads them; the settings need none).
DEFERRED = (
    "pydantic",
    "assistant.index.build",
    "assistant.index.build_vectors",
    "assistant.corpus.ingest",
    "assistant.corpus.chunking",
    "assistant.corpus.html_blocks",
    "assistant.corpus.article_meta",
    "assistant.index.stores.milvus",
    "assistant.index.stores.milvus_connection",
    "assistant.index.stores.milvus_writer",
    "urllib.request",
    "http.client",
)


@pytest.mark.slow
def test_a_shell_ask_imports_no_heavy_library_and_not_the_build_path(bot, index_dir):
    script = (
        "import json, sys; from assistant.cli import main; "
        "rc = main(['ask', '--corpus', sys.argv[1], '--index', sys.argv[2], "
        "'沐曦计划募资多少？', '--json']); "
        f"print(json.dumps({{'rc': rc, 'heavy': [m for m in {HEAVY!r} if m in sys.modules], "
        f"'deferred': [m for m in {DEFERRED!r} if m in sys.modules]}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(CORPUS), str(index_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "heavy": [], "deferred": []}
    answer = json.loads("\n".join(out.stdout.strip().splitlines()[:-1]))
    assert answer["citations"] and not answer["abstained"]
