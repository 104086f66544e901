"""Issue 10, the corpus and index side: each attack as it was reported, on real files in a temporary
corpus — links out of the corpus, YAML bombs, a GBK file name, a 3 GB file, an index folder that is
not one, parts of an index replaced by the wrong kind of file, an endless history.

Fast: the corpus is the tiny one of tests/fakes.py, indexed with the FakeEmbedder, unless a test
says otherwise (the CLI and worker tests run the real model and are marked slow).
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import AssistantError
from assistant.corpus.ingest import ingest_corpus
from assistant.index.build import corpus_fingerprint
from assistant.settings import Settings
from assistant.text import HISTORY_TURNS, history_turns

from .fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "hunter2-correct-horse"
# Nine names, each nine of the one before: 9^9 = 387 million strings once expanded.
LAUGHS = "\n".join(
    [f'a0: &a0 "{"lol" * 3}"']
    + [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 9)]
)


def _load(corpus: Path, index: Path) -> Assistant:
    return Assistant.load(corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder())


def _everything_indexed(bot: Assistant) -> str:
    """All text the index holds: passages and document records (what answers and 'read in context' show)."""
    texts = [p.text + "\n" + getattr(p, "text_en", "") for p in bot.index.passages]
    return "\n".join(texts + [json.dumps(bot.index.documents, ensure_ascii=False)])


# ---- 1. links out of the corpus -----------------------------------------------------------------------
def test_a_link_to_etc_passwd_is_skipped_by_name_and_never_read(tiny_copy, tmp_path):
    passwd = Path("/etc/passwd")
    assert "root:x:0:0" in passwd.read_text()  # what the attack leaked; the test means nothing without it
    secret = tmp_path / "outside" / "secret.env"
    secret.parent.mkdir()
    secret.write_text(f"DB_PASSWORD={PASSWORD}\n", encoding="utf-8")
    (tiny_copy / "articles" / "x.txt").symlink_to(passwd)
    (tiny_copy / "articles" / "notes.md").symlink_to(secret)
    (tiny_copy / "articles" / "xinghe.en.txt").symlink_to(passwd)  # an article's English translation

    bot = _load(tiny_copy, tmp_path / "index")

    warnings = bot.load_report.build.warnings
    assert any("x.txt" in w and "outside the corpus folder" in w for w in warnings), warnings
    assert any("notes.md" in w and "outside the corpus folder" in w for w in warnings), warnings
    assert any("xinghe.en.txt" in w and "outside the corpus folder" in w for w in warnings), warnings
    indexed = _everything_indexed(bot)
    assert "root:x:0" not in indexed and "/bin/bash" not in indexed and PASSWORD not in indexed
    assert bot.document("x") is None and bot.document("notes") is None
    answer = bot.ask("What is the root user's shell?")
    assert "root:x" not in answer.text and "/bin/bash" not in answer.text


def test_a_linked_folder_leading_out_is_not_walked_but_links_inside_the_corpus_are_followed(tiny_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.txt").write_text(f"泄露的密码是 {PASSWORD}。\n", encoding="utf-8")
    (tiny_copy / "articles" / "mounted").symlink_to(outside, target_is_directory=True)
    archive = tiny_copy / "archive"
    archive.mkdir()
    (archive / "old.txt").write_text("星河芯片早年的一篇旧闻，讲的是它的第一款芯片。\n", encoding="utf-8")
    (tiny_copy / "articles" / "old.txt").symlink_to(Path("..") / "archive" / "old.txt")

    result = ingest_corpus(tiny_copy)

    assert any("mounted" in w and "outside the corpus folder" in w for w in result.warnings), result.warnings
    assert PASSWORD not in "".join(d.text for d in result.documents)
    assert "old" in {d.doc_id for d in result.documents}  # a link that stays inside is read


def test_named_pipes_are_skipped_instead_of_blocking_the_build(tiny_copy):
    os.mkfifo(tiny_copy / "articles" / "x.txt")
    sidecar = tiny_copy / "articles" / "xinghe.meta.yaml"
    sidecar.unlink()
    os.mkfifo(sidecar)
    done: list = []
    worker = threading.Thread(target=lambda: done.append(ingest_corpus(tiny_copy)), daemon=True)
    worker.start()
    worker.join(30)  # opening a FIFO for reading waits for a writer: forever
    assert done, "reading the corpus blocked on a named pipe"
    assert any("x.txt" in w and "not a regular file" in w for w in done[0].warnings)
    assert any("xinghe.meta.yaml" in w and "not a regular file" in w for w in done[0].warnings)


def test_metadata_profiles_and_the_glossary_are_not_read_through_links_out_of_the_corpus(tiny_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "meta.yaml").write_text(f"title: {PASSWORD}\n", encoding="utf-8")
    sidecar = tiny_copy / "articles" / "xinghe.meta.yaml"
    sidecar.unlink()
    sidecar.symlink_to(outside / "meta.yaml")
    result = ingest_corpus(tiny_copy)
    assert PASSWORD not in json.dumps([d.title for d in result.documents])
    assert any("xinghe.meta.yaml" in w and "outside the corpus folder" in w for w in result.warnings)

    profile = tiny_copy / "companies" / "yunfan.yaml"
    (outside / "yunfan.yaml").write_bytes(profile.read_bytes())  # a valid profile: only where it lives is wrong
    profile.unlink()
    profile.symlink_to(outside / "yunfan.yaml")
    with pytest.raises(AssistantError) as err:
        _load(tiny_copy, tmp_path / "index")
    assert "yunfan.yaml" in str(err.value) and "outside the corpus folder" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["glossary.yaml", "lexicon.yaml", "names.yaml"])
def test_a_curated_table_linked_from_outside_the_corpus_stops_the_load_with_one_line(tiny_copy, tmp_path, name):
    outside = tmp_path / "outside" / name
    outside.parent.mkdir()
    outside.write_bytes((ROOT / "corpus" / name).read_bytes())  # a valid table: only where it lives is wrong
    (tiny_copy / name).unlink(missing_ok=True)
    (tiny_copy / name).symlink_to(outside)
    with pytest.raises(AssistantError) as err:
        _load(tiny_copy, tmp_path / "index")
    assert name in str(err.value) and "outside the corpus folder" in str(err.value) and "\n" not in str(err.value)
    assert "Errno" not in str(err.value)


# ---- 3. YAML bombs ----------------------------------------------------------------------------------
def _in_a_small_box(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a child limited to 2 GB of address space and 60 s: a bomb that goes off fails
    the test instead of taking the machine down (it was killed at 4 GB after 37 s)."""
    prelude = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_a_billion_laughs_in_a_profile_fact_stops_the_load_with_one_line(tiny_copy):
    profile = tiny_copy / "companies" / "xinghe.yaml"
    profile.write_text(LAUGHS + "\n" + profile.read_text(encoding="utf-8").replace(
        'zh: "星河芯片成立于 2018 年"', "zh: *a8"), encoding="utf-8")
    t0 = time.monotonic()
    run = _in_a_small_box(f"""
        from assistant.corpus.companies import load_profiles
        from assistant.errors import AssistantError
        try:
            load_profiles({str(tiny_copy)!r})
        except AssistantError as exc:
            print(exc)
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    message = run.stdout.strip()
    assert "xinghe.yaml" in message and "anchors" in message and "line 1" in message and "\n" not in message
    assert time.monotonic() - t0 < 30


@pytest.mark.parametrize("where", ["sidecar title", "front matter"])
def test_a_billion_laughs_in_article_metadata_skips_the_article_with_a_warning(tiny_copy, where):
    arts = tiny_copy / "articles"
    if where == "sidecar title":
        (arts / "xinghe.meta.yaml").write_text(LAUGHS + "\ntitle: *a8\n", encoding="utf-8")
        name = "xinghe"
    else:
        (arts / "bomb.md").write_text("---\n" + LAUGHS + "\ntitle: *a8\n---\n# 标题\n\n正文第一段，讲的是星河芯片。\n",
                                      encoding="utf-8")
        name = "bomb"
    run = _in_a_small_box(f"""
        import json
        from assistant.corpus.ingest import ingest_corpus
        result = ingest_corpus({str(tiny_copy)!r})
        print(json.dumps({{"docs": [d.doc_id for d in result.documents], "warnings": result.warnings}}))
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert name not in out["docs"] and "yunfan" in out["docs"]  # the rest is still read
    assert any(name in w and "anchors" in w and "not valid YAML" in w for w in out["warnings"]), out["warnings"]


def test_a_billion_laughs_in_the_glossary_stops_the_load_with_one_line(tiny_copy):
    (tiny_copy / "glossary.yaml").write_text(LAUGHS + "\nterms:\n  - {en: [x], zh: *a8}\n", encoding="utf-8")
    run = _in_a_small_box(f"""
        from assistant.language.glossary import load_glossary
        from assistant.errors import AssistantError
        try:
            load_glossary({str(tiny_copy)!r})
        except AssistantError as exc:
            print(exc)
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "glossary.yaml" in run.stdout and "anchors" in run.stdout


def test_yaml_without_anchors_still_loads_and_other_yaml_tricks_get_one_line():
    from assistant.corpus.yamlfile import MAX_YAML_BYTES, load_yaml
    import yaml

    assert load_yaml("title: 星河\nfacts: [{a: 1}, {b: [x, y]}]\n") == {"title": "星河", "facts": [{"a": 1}, {"b": ["x", "y"]}]}
    for text, problem in (("a: *x", "aliases"), ("k: " + "[" * 500 + "]" * 500, "nested"),
                          ("n: " + "9" * 5000, "cannot be read"), ("d: 2025-13-45", "cannot be read"),
                          ("t: " + "x" * (MAX_YAML_BYTES + 1), "limit")):
        with pytest.raises(yaml.YAMLError) as err:
            load_yaml(text)
        assert problem in str(err.value) and "\n" not in str(err.value)


# ---- 5. a file name that is not UTF-8 -------------------------------------------------------------------
GBK_NAME = "报告.txt".encode("gbk")  # as unpacked from a Windows zip


def _write_gbk_file(articles: Path) -> None:
    with open(os.path.join(os.fsencode(articles), GBK_NAME), "wb") as f:
        f.write("一篇名字是 GBK 编码的文章。\n".encode("utf-8"))


def test_a_gbk_file_name_is_skipped_with_a_warning_and_the_build_goes_on(tiny_copy, tmp_path):
    _write_gbk_file(tiny_copy / "articles")
    settings = Settings(corpus_dir=tiny_copy, index_dir=tmp_path / "index")
    corpus_fingerprint(settings, "fake")  # died here with UnicodeEncodeError

    bot = _load(tiny_copy, tmp_path / "index")

    shown = "\\xb1\\xa8\\xb8\\xe6.txt"
    assert any(shown in w and "not valid UTF-8" in w for w in bot.load_report.build.warnings)
    assert {d for d in bot.index.documents} == {"xinghe", "yunfan"}
    manifest = json.loads((bot.index.path / "manifest.json").read_text(encoding="utf-8"))
    assert any(shown in w for w in manifest["warnings"])


@pytest.mark.slow
def test_build_and_ask_from_the_command_line_do_not_die_on_a_gbk_file_name(corpus_copy, tmp_path, shared_cache):
    _write_gbk_file(corpus_copy / "articles")
    index = shared_cache(tmp_path / "index")
    for args in (["build"], ["ask", "沐曦计划募资多少？"]):
        run = subprocess.run([sys.executable, "-m", "assistant", *args, "--corpus", str(corpus_copy),
                              "--index", str(index)], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
    build_log = subprocess.run([sys.executable, "-m", "assistant", "build", "--force", "--corpus", str(corpus_copy),
                                "--index", str(index)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "\\xb1\\xa8\\xb8\\xe6.txt" in build_log.stderr and "not valid UTF-8" in build_log.stderr


# ---- 6. a 3 GB file -------------------------------------------------------------------------------
def test_a_3_gb_file_is_skipped_by_its_size_without_being_read(tiny_copy, tmp_path):
    with open(tiny_copy / "articles" / "dump.txt", "wb") as f:
        f.truncate(3 * 2**30)  # sparse: 3 GB to read, nothing on disk
    with open(tiny_copy / "articles" / "yunfan.meta.yaml", "ab") as f:
        f.truncate(3 * 2**30)
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import json, resource, time
        from pathlib import Path
        from assistant.corpus.ingest import ingest_corpus
        from assistant.index.build import corpus_fingerprint
        from assistant.settings import Settings
        imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the peak so far: the imports
        def bytes_read():
            return int(dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())["rchar"])
        read_before = bytes_read()
        t0 = time.monotonic()
        corpus_fingerprint(Settings(corpus_dir=Path({str(tiny_copy)!r}), index_dir=Path({str(tmp_path / 'i')!r})), "x")
        result = ingest_corpus(Path({str(tiny_copy)!r}))
        print(json.dumps({{"seconds": time.monotonic() - t0, "warnings": result.warnings,
                          "read_mb": (bytes_read() - read_before) / 2**20,
                          "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - imported) / 1024}}))
        """)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert out["peak_mb"] < 100, out  # above the imports; 3.2 GB before: the file was hashed whole at start-up
    assert out["read_mb"] < 10 and out["seconds"] < 10, out  # not read at all, not even in blocks
    assert any("dump.txt" in w and "3072 MB, over the 20 MB limit" in w for w in out["warnings"])
    assert any("yunfan.meta.yaml" in w and "over the 256 KB limit" in w for w in out["warnings"])


def test_big_files_are_hashed_in_blocks():
    from assistant.index import filehashes

    assert filehashes.HASH_BLOCK_BYTES <= 4 * 2**20


# ---- 7. --index pointed at a folder that is not an index -------------------------------------------------
def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_index_folder_with_someone_elses_builds_keeps_them(tiny_copy, tmp_path):
    folder = tmp_path / "release"
    (folder / "builds" / "my-release-1.0").mkdir(parents=True)
    (folder / "builds" / "my-release-1.0" / "app.tar").write_bytes(b"the release")
    for rebuild in (False, True, True):  # each build prunes the builds before it
        Assistant.load(corpus_dir=tiny_copy, index_dir=folder, embedder=FakeEmbedder(), rebuild=rebuild)
    assert (folder / "builds" / "my-release-1.0" / "app.tar").read_bytes() == b"the release"
    ours = [p for p in (folder / "builds").iterdir() if p.name != "my-release-1.0"]
    assert len(ours) == 1  # the live build; the two before it were removed


def test_a_folder_that_is_not_an_index_is_refused_and_left_as_it_was(tiny_copy, tmp_path):
    folder = tmp_path / "project"
    (folder / "builds" / "my-release-1.0").mkdir(parents=True)
    (folder / "src").mkdir()
    (folder / "notes.txt").write_text("my project\n", encoding="utf-8")
    before = _tree(folder)
    with pytest.raises(AssistantError) as err:
        _load(tiny_copy, folder)
    assert "not an index folder" in str(err.value) and "notes.txt" in str(err.value)
    assert _tree(folder) == before


@pytest.mark.parametrize("part, make, expected", [
    ("builds", lambda p: p.write_text("x"), "should be the folder of builds"),
    ("cache", lambda p: p.write_text("x"), "should be the folder of cached vectors"),
    ("CURRENT", lambda p: p.mkdir(), "should be the file naming the live build"),
])
def test_parts_of_an_index_replaced_by_the_wrong_kind_of_file_are_named_and_leave_no_orphan_build(
        tiny_copy, tmp_path, part, make, expected):
    index = tmp_path / "index"
    _load(tiny_copy, index)
    target = index / part
    if target.is_dir():
        import shutil

        shutil.rmtree(target)
    elif target.exists():  # (an index built with the fake embedder has no vector cache)
        target.unlink()
    make(target)
    before = _tree(index)
    for _ in range(2):
        with pytest.raises(AssistantError) as err:
            Assistant.load(corpus_dir=tiny_copy, index_dir=index, embedder=FakeEmbedder(), rebuild=True)
        assert str(target) in str(err.value) and expected in str(err.value)
        assert "File exists" not in str(err.value)
    assert _tree(index) == before  # no orphan build per try


# ---- 16. an endless history ------------------------------------------------------------------------------
def test_an_endless_history_takes_at_most_the_limit(tiny_bot):
    t0 = time.monotonic()
    answer = tiny_bot.ask("它的估值是多少？", history=itertools.count())
    assert time.monotonic() - t0 < 10 and answer.text
    assert history_turns(itertools.repeat("星河芯片成立于哪一年"), 500) == ["星河芯片成立于哪一年"] * HISTORY_TURNS
    follow_up = tiny_bot.ask("它的估值是多少？", history=itertools.chain(["星河芯片成立于哪一年？"], itertools.count()))
    assert follow_up.companies == ["xinghe"]  # the text turn within the limit is still used


# ---- 15. embedding workers die with their build -----------------------------------------------------------
@pytest.mark.slow
def test_killing_a_build_stops_its_embedding_workers_at_once(corpus_copy, tmp_path):
    import psutil

    # An empty cache: every passage is new, so the build starts one worker per core.
    build = subprocess.Popen([sys.executable, "-m", "assistant", "build", "--corpus", str(corpus_copy),
                              "--index", str(tmp_path / "index")], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "ASSISTANT_WORKERS": "2"})
    parent = psutil.Process(build.pid)
    workers: list = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not workers and build.poll() is None:
        workers = [p for p in parent.children() if "worker_main" in " ".join(p.cmdline())]
        time.sleep(0.1)
    assert workers, "the build started no embedding workers"
    time.sleep(1.0)  # loading their model, or embedding: either way busy
    build.kill()
    build.wait()
    gone, alive = psutil.wait_procs(workers, timeout=3)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} worker(s) still running 3 s after their build was killed"


def test_the_projects_own_index_folder_with_its_readme_is_an_index(tiny_copy, tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "README.md").write_bytes((ROOT / "index" / "README.md").read_bytes())  # as a fresh clone has it
    bot = _load(tiny_copy, folder)
    assert bot.index.passages and (folder / "README.md").read_text(encoding="utf-8").startswith("# index/")
