"""The command line on the built-in corpus with the real model, run in-process as `assistant …` would run.

(tests/test_fast_engine.py runs the same commands over the tiny corpus without the model.)
"""
import inspect
import json
import runpy
import sys

from assistant.cli import main, parser
from assistant.web.options import DEFAULT_CONCURRENCY, DEFAULT_MAX_QUEUE
from assistant.web.page import build_app

from .conftest import CORPUS, ROOT


def run(capsys, *args, index_dir):
    status = main([*args, "--corpus", str(CORPUS), "--index", str(index_dir)])
    out, err = capsys.readouterr()
    return status, out, err


def test_ask_prints_the_answer_and_its_sources(bot, index_dir, capsys):
    status, out, err = run(capsys, "ask", "壁仞的估值是多少？", index_dir=index_dir)
    assert status == 0, err
    assert "140 ~ 155 亿元" in out and "Sources:" in out and "#p" in out


def test_ask_json_keeps_chinese_readable(bot, index_dir, capsys):
    status, out, _ = run(capsys, "ask", "Where is Biren Technology headquartered?", "--json", index_dir=index_dir)
    data = json.loads(out)
    assert status == 0 and data["language"] == "en" and not data["abstained"] and "上海" in out


def test_missing_corpus_is_a_clean_error(tmp_path, capsys):
    status = main(["ask", "x", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error:") and "Traceback" not in err


def test_company_lookup_by_english_alias(bot, index_dir, capsys):
    status, out, _ = run(capsys, "company", "Moore Threads", "--json", index_dir=index_dir)
    data = json.loads(out)
    assert status == 0 and data[0]["name_zh"] == "摩尔线程" and data[0]["score"] == 1.0 and data[0]["passages"]


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
