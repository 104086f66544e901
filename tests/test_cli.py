"""The command line, run as a user runs it."""
import json
import os
import subprocess
import sys

from .conftest import CORPUS, ROOT


def run(*args, index_dir):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "assistant", *args, "--corpus", str(CORPUS), "--index", str(index_dir)],
                          capture_output=True, text=True, env=env, timeout=600)


def test_ask_prints_the_answer_and_its_sources(bot, index_dir):
    r = run("ask", "壁仞的估值是多少？", index_dir=index_dir)
    assert r.returncode == 0, r.stderr
    assert "140 ~ 155 亿元" in r.stdout and "Sources:" in r.stdout and "#p" in r.stdout


def test_ask_json_keeps_chinese_readable(bot, index_dir):
    r = run("ask", "Where is Biren Technology headquartered?", "--json", index_dir=index_dir)
    data = json.loads(r.stdout)
    assert data["language"] == "en" and not data["abstained"] and "上海" in r.stdout


def test_missing_corpus_is_a_clean_error(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "assistant", "ask", "x", "--corpus", str(tmp_path / "nope"),
                        "--index", str(tmp_path / "i")], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("error:") and "Traceback" not in r.stderr


def test_company_lookup_by_english_alias(bot, index_dir):
    r = run("company", "Moore Threads", "--json", index_dir=index_dir)
    data = json.loads(r.stdout)
    assert data[0]["name_zh"] == "摩尔线程" and data[0]["score"] == 1.0 and data[0]["passages"]
