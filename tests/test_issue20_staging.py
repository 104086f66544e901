"""Issue 20: the attacks that need the real server, a real build or the real model, as reported.

Uploads go through the page's "Add material" event on the real server (in this process, the tiny
corpus, the FakeEmbedder); guard attacks through raw HTTP. All marked slow: they start servers or
build indexes.
"""
from __future__ import annotations

import base64
import os
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from assistant import Assistant
from assistant.corpus import ingest
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.web.guard import ADD_MATERIAL, MAX_FAILED_LOGINS

from .fakes import FakeEmbedder
from .ui_support import free_port, serve

pytestmark = pytest.mark.slow
PASSWORD = "s3cret-Pa55-word"


# ---- through the real server ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def writable(tiny_corpus, tmp_path_factory):
    """(url, demo, corpus) of the app over a private copy of the tiny corpus, adding allowed."""
    corpus = tmp_path_factory.mktemp("issue20") / "corpus"
    shutil.copytree(tiny_corpus, corpus)
    bot = Assistant.load(corpus_dir=corpus, index_dir=corpus.parent / "index", embedder=FakeEmbedder())
    with serve(bot) as (url, demo):
        yield url, demo, corpus


def _fn(demo, name: str) -> int:
    return next(fn._id for fn in demo.fns.values() if fn.api_name == name)


def _add(url: str, demo, session: str, **form) -> str:
    """Run the Add material event as the page does; the status it shows, as text."""
    body = json.dumps({"data": ["zh"], "fn_index": _fn(demo, ADD_MATERIAL), "session_hash": session,
                       "event_data": form, "trigger_id": None})
    with httpx.Client(timeout=300) as client:
        r = client.post(f"{url}/gradio_api/queue/join", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                    return json.dumps(json.loads(line[5:]), ensure_ascii=False)
    raise AssertionError("no result")


def _file(name: str, text: str) -> dict:
    return {"name": name, "data": base64.b64encode(text.encode("utf-8")).decode()}


def test_a_translation_of_24000_initials_is_added_in_seconds_not_minutes(writable):
    url, demo, corpus = writable
    article = "星汉芯片发布新品\n星汉芯片今天发布了一款推理芯片。\n"
    start = time.perf_counter()
    said = _add(url, demo, "tr", files=[_file("xinghan.txt", article), _file("xinghan.en.txt", "A. " * 24000)])
    assert time.perf_counter() - start < 60  # 127 s before, and 70 s at every later build
    assert "process_completed" in said and (corpus / "articles" / "uploads" / "xinghan.txt").exists()


def test_nested_html_lists_are_answered_in_seconds(writable):
    url, demo, corpus = writable
    items = "".join(f"<li>第{i}项是星汉芯片的一款产品。" for i in range(16000))
    html = "<html><head><title>星汉列表</title></head><body><ul>" + items
    start = time.perf_counter()
    said = _add(url, demo, "html", files=[_file("lists.html", html + "</ul></body></html>")])
    assert time.perf_counter() - start < 60  # 16 s of parsing before, and again at every build
    assert "16,000 paragraphs" in said  # one per item (the parser nests unclosed <li>): over the cap
    assert not (corpus / "articles" / "uploads" / "lists.html").exists()


def test_one_sentence_lines_past_the_cap_are_refused_with_the_reason(writable):
    url, demo, corpus = writable
    text = "\n".join(f"第{i}句。" for i in range(ingest.MAX_ARTICLE_PARAGRAPHS + 10))
    said = _add(url, demo, "cap", text=text, title="很多行")
    assert "5,000" in said and "split it into several articles" in said
    assert not (corpus / "articles" / "uploads" / "很多行.txt").exists()


@pytest.mark.parametrize("form, words", [
    ({"files": [_file("a" * 130 + ".txt", "标题\n正文内容在这里。")]}, "已添加"),
    ({"files": [_file("b" * 256 + ".txt", "标题\n正文。")]}, "太长"),
    ({"text": "标题\n正文。", "published": "2025-02-31"}, "2025-02-31"),
    ({"files": [{"name": "c.txt", "data": base64.b64encode("标题\n正文。".encode()).decode()[:8] + " "
                 + base64.b64encode("标题\n正文。".encode()).decode()[8:]}]}, "已添加"),
    ({"text": "标题\n正文。", "title": ["a", "list"]}, "标题必须是文字"),
])
def test_upload_messages_say_what_is_wrong(writable, form, words):
    url, demo, _ = writable
    assert words in _add(url, demo, f"msg{hash(json.dumps(form)) % 10**6}", **form)


def test_a_rebound_host_name_cannot_add_articles(writable):
    url, demo, corpus = writable
    before = sorted((corpus / "articles").rglob("*"))
    body = json.dumps({"data": ["zh"], "fn_index": _fn(demo, ADD_MATERIAL), "session_hash": "dns",
                       "event_data": {"text": "标题\n正文。"}, "trigger_id": None})
    r = httpx.post(f"{url}/gradio_api/queue/join", content=body,
                   headers={"content-type": "application/json", "host": "attacker.example:7860",
                            "origin": "http://attacker.example:7860"})
    assert r.status_code == 403 and sorted((corpus / "articles").rglob("*")) == before


def test_deep_json_and_large_bodies_are_one_line_refusals(writable, capfd):
    url, demo, _ = writable
    r = httpx.post(f"{url}/gradio_api/queue/join", content=b"[" * 16_000,
                   headers={"content-type": "application/json"})
    assert r.status_code == 422
    body = json.dumps({"data": ["x" * (3 * 2**20), None], "fn_index": _fn(demo, "ask"), "session_hash": "big"})
    r = httpx.post(f"{url}/gradio_api/queue/join", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "Traceback" not in capfd.readouterr().err


def test_rotating_forwarded_addresses_do_not_dodge_the_login_limit(tiny_bot):
    from assistant.web import page, server
    from assistant.web.options import ServeOptions

    demo = page.build_app(tiny_bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(("tester", PASSWORD),)), block=False)
    try:
        statuses = [httpx.post(f"http://127.0.0.1:{port}/login", data={"username": "tester", "password": f"g{i}"},
                               headers={"x-forwarded-for": f"10.0.{i}.1"}).status_code
                    for i in range(MAX_FAILED_LOGINS + 3)]
        assert statuses[MAX_FAILED_LOGINS:] == [429] * 3
    finally:
        demo.close()


# ---- Dask ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["bogus://x", "127.0.0.1", "five"])
def test_a_dask_value_that_is_no_address_is_one_line(value):
    with pytest.raises(AssistantError, match="dask must be"):
        Settings.from_env({"ASSISTANT_DASK": value})


def test_an_http_port_as_dask_scheduler_is_one_line_after_the_connect_timeout(monkeypatch):
    from assistant.index import dask_build

    class Quiet(BaseHTTPRequestHandler):
        timeout = 1  # Dask's handshake never ends a line: the handler gives up instead of waiting

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setattr(dask_build, "CONNECT_TIMEOUT_S", 2)
    start = time.perf_counter()
    try:
        with pytest.raises(AssistantError, match="cannot reach the Dask scheduler"):
            dask_build.DaskEmbedding(f"tcp://127.0.0.1:{httpd.server_port}").start()
    finally:
        httpd.shutdown()
    assert time.perf_counter() - start < 30  # it hung for 400 s


def test_the_local_cluster_serves_nothing_on_8787_and_speaks_tls():
    pytest.importorskip("distributed")
    from assistant.index.dask_build import DaskEmbedding

    dask = DaskEmbedding("local").start()
    try:
        assert dask._cluster.scheduler_address.startswith("tls://")
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", 8787)) != 0
    finally:
        dask.close()


# ---- the embedding cache --------------------------------------------------------------------------------
def test_the_embedding_cache_forgets_articles_no_recent_build_used(tmp_path, shared_cache, index_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", corpus)
    index = shared_cache(tmp_path / "index")

    def rows() -> int:
        return sqlite3.connect(index / "cache" / "embeddings.sqlite").execute("SELECT count(*) FROM vectors").fetchone()[0]

    Assistant.load(corpus_dir=corpus, index_dir=index)
    base = rows()
    (corpus / "articles" / "extra.txt").write_text("额外文章\n这是一篇额外的测试文章，讲一家虚构的芯片公司。\n", encoding="utf-8")
    Assistant.load(corpus_dir=corpus, index_dir=index)
    with_extra = rows()
    assert with_extra > base
    (corpus / "articles" / "extra.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    assert rows() == with_extra  # the build before still used them: kept
    (corpus / "articles" / "other.txt").write_text("另一篇\n这是另一篇虚构的文章。\n", encoding="utf-8")
    Assistant.load(corpus_dir=corpus, index_dir=index)
    assert rows() < with_extra + 3 and rows() > base  # extra's texts dropped, other's added
    (corpus / "articles" / "other.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    (corpus / "articles" / "one more.txt").write_text("再一篇\n这是又一篇文章。\n", encoding="utf-8")
    Assistant.load(corpus_dir=corpus, index_dir=index)
    (corpus / "articles" / "one more.txt").unlink()
    Assistant.load(corpus_dir=corpus, index_dir=index)
    Assistant.load(settings=Settings.from_env({}, corpus_dir=corpus, index_dir=index), rebuild=True)
    assert rows() == base  # two builds of the corpus as it was: nothing else is kept


# ---- Milvus Lite -----------------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in its own process: Milvus Lite serves one process, and keeps what it read."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.fixture
def milvus_project(tmp_path, shared_cache):
    pytest.importorskip("milvus_lite")
    corpus = tmp_path / "project" / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", corpus)
    index = shared_cache(tmp_path / "project" / "index")
    built = _cli("build", "--store", "milvus", "--corpus", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    return tmp_path / "project"


def test_a_copied_project_searches_its_own_milvus_lite_folder(milvus_project, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(milvus_project, copy)
    shutil.rmtree(milvus_project)
    asked = _cli("ask", "沐曦计划募资多少？", "--corpus", str(copy / "corpus"), "--index", str(copy / "index"))
    assert asked.returncode == 0 and "39.04" in asked.stdout, asked.stderr


def test_a_damaged_milvus_lite_folder_is_one_line_and_the_next_build_replaces_it(milvus_project):
    for manifest in (milvus_project / "index" / "milvus.db" / "collections").rglob("manifest.json*"):
        manifest.write_text("garbage{", encoding="utf-8")
    args = ["--corpus", str(milvus_project / "corpus"), "--index", str(milvus_project / "index")]
    asked = _cli("ask", "沐曦计划募资多少？", *args)
    assert asked.returncode == 2 and "Traceback" not in asked.stderr and "build --force" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1, asked.stderr
    built = _cli("build", "--force", *args)
    assert built.returncode == 0 and "moved it to milvus.db.damaged-" in built.stderr, built.stderr
    assert _cli("ask", "沐曦计划募资多少？", *args).returncode == 0


def test_a_file_in_place_of_the_milvus_lite_folder_is_one_line(milvus_project):
    shutil.rmtree(milvus_project / "index" / "milvus.db")
    (milvus_project / "index" / "milvus.db").write_text("x", encoding="utf-8")
    asked = _cli("ask", "沐曦计划募资多少？", "--corpus", str(milvus_project / "corpus"),
                 "--index", str(milvus_project / "index"))
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert "is a file, not a Milvus Lite folder" in asked.stderr


# ---- ingest ------------------------------------------------------------------------------------------------
def test_a_file_over_the_reading_budget_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("标题\n正文在这里。\n", encoding="utf-8")
    result = ingest.ingest_corpus(tmp_path, budget=0.0)
    assert result.documents == [] and "to read, over the" in result.warnings[0]
    assert len(ingest.ingest_corpus(tmp_path).documents) == 1


def test_nested_lists_keep_each_items_own_text():
    from assistant.corpus.html_blocks import html_blocks

    _, blocks = html_blocks("<ul><li>item A<ul><li>sub 1</li><li>sub <b>2</b></li></ul></li></ul><p>para</p>")
    assert [b for b, _ in blocks] == ["item A", "sub 1", "sub 2", "para"]


def test_html_blocks_take_linear_time_in_nested_items():
    from assistant.corpus.html_blocks import html_blocks

    def seconds(n: int) -> float:
        start = time.perf_counter()
        _, blocks = html_blocks("<html><body>" + "<ul><li>x" * n + "</body></html>")
        assert len(blocks) == n
        return time.perf_counter() - start

    small, large = seconds(2000), seconds(16000)
    assert large < max(20 * small, 2.0)  # quadratic would be 64 times


