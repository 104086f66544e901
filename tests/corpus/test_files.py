"""Which files of a corpus folder may be read at all (corpus/files.py): links out of the corpus, pipes,
undecodable names, huge files (issues 10 and 20, each attack as reported).

Fast: the corpus is the tiny one of tests/fakes.py, indexed with the FakeEmbedder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.corpus.files import file_problem, real_root
from assistant.corpus.ingest import ingest_corpus
from assistant.errors import AssistantError
from assistant.index.fingerprint import corpus_fingerprint
from assistant.settings import Settings
from tests.conftest import ROOT
from tests.fakes import FakeEmbedder

PASSWORD = "hunter2-correct-horse"


def _load_tiny(corpus: Path, index: Path) -> Assistant:
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

    bot = _load_tiny(tiny_copy, tmp_path / "index")

    warnings = bot.load_report.build.warnings
    assert any("x.txt" in w and "outside the corpus folder" in w for w in warnings), warnings
    assert any("notes.md" in w and "outside the corpus folder" in w for w in warnings), warnings
    assert any("xinghe.en.txt" in w and "outside the corpus folder" in w for w in warnings), warnings
    indexed = _everything_indexed(bot)
    assert "root:x:0" not in indexed and "/bin/bash" not in indexed and PASSWORD not in indexed
    assert bot.document("x") is None and bot.document("notes") is None
    answer = bot.ask("What is the root user's shell?")
    assert "root:x" not in answer.text and "/bin/bash" not in answer.text


def test_a_linked_folder_leading_out_is_not_walked_but_links_inside_the_corpus_are_followed(
    tiny_copy, tmp_path
):
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
    (outside / "yunfan.yaml").write_bytes(
        profile.read_bytes()
    )  # a valid profile: only where it lives is wrong
    profile.unlink()
    profile.symlink_to(outside / "yunfan.yaml")
    with pytest.raises(AssistantError) as err:
        _load_tiny(tiny_copy, tmp_path / "index")
    assert "yunfan.yaml" in str(err.value) and "outside the corpus folder" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["glossary.yaml", "lexicon.yaml", "names.yaml"])
def test_a_curated_table_linked_from_outside_the_corpus_stops_the_load_with_one_line(
    tiny_copy, tmp_path, name
):
    outside = tmp_path / "outside" / name
    outside.parent.mkdir()
    outside.write_bytes((ROOT / "corpus" / name).read_bytes())  # a valid table: only where it lives is wrong
    (tiny_copy / name).unlink(missing_ok=True)
    (tiny_copy / name).symlink_to(outside)
    with pytest.raises(AssistantError) as err:
        _load_tiny(tiny_copy, tmp_path / "index")
    assert (
        name in str(err.value)
        and "outside the corpus folder" in str(err.value)
        and "\n" not in str(err.value)
    )
    assert "Errno" not in str(err.value)


# ---- 5. a file name that is not UTF-8 -------------------------------------------------------------------
GBK_NAME = "报告.txt".encode("gbk")  # as unpacked from a Windows zip


def _write_gbk_file(articles: Path) -> None:
    with open(os.path.join(os.fsencode(articles), GBK_NAME), "wb") as f:
        f.write("一篇名字是 GBK 编码的文章。\n".encode())


def test_a_gbk_file_name_is_skipped_with_a_warning_and_the_build_goes_on(tiny_copy, tmp_path):
    _write_gbk_file(tiny_copy / "articles")
    settings = Settings(corpus_dir=tiny_copy, index_dir=tmp_path / "index")
    corpus_fingerprint(settings, "fake")  # died here with UnicodeEncodeError

    bot = _load_tiny(tiny_copy, tmp_path / "index")

    shown = "\\xb1\\xa8\\xb8\\xe6.txt"
    assert any(shown in w and "not valid UTF-8" in w for w in bot.load_report.build.warnings)
    assert {d for d in bot.index.documents} == {"xinghe", "yunfan"}
    manifest = json.loads((bot.index.path / "manifest.json").read_text(encoding="utf-8"))
    assert any(shown in w for w in manifest["warnings"])


# ---- 6. a 3 GB file -------------------------------------------------------------------------------
def test_a_3_gb_file_is_skipped_by_its_size_without_being_read(tiny_copy, tmp_path):
    with open(tiny_copy / "articles" / "dump.txt", "wb") as f:
        f.truncate(3 * 2**30)  # sparse: 3 GB to read, nothing on disk
    with open(tiny_copy / "articles" / "yunfan.meta.yaml", "ab") as f:
        f.truncate(3 * 2**30)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import json, resource, time
        from pathlib import Path
        from assistant.corpus.ingest import ingest_corpus
        from assistant.index.fingerprint import corpus_fingerprint
        from assistant.settings import Settings
        imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the peak so far: the imports
        def bytes_read():
            return int(dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())["rchar"])
        read_before = bytes_read()
        t0 = time.monotonic()
        corpus_fingerprint(Settings(corpus_dir=Path({str(tiny_copy)!r}),
                                    index_dir=Path({str(tmp_path / "i")!r})), "x")
        result = ingest_corpus(Path({str(tiny_copy)!r}))
        print(json.dumps({{"seconds": time.monotonic() - t0, "warnings": result.warnings,
                          "read_mb": (bytes_read() - read_before) / 2**20,
                          "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - imported)
                                     / 1024}}))
        """),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert out["peak_mb"] < 100, (
        out
    )  # above the imports; 3.2 GB before: the file was hashed whole at start-up
    assert out["read_mb"] < 10 and out["seconds"] < 10, out  # not read at all, not even in blocks
    assert any("dump.txt" in w and "3072 MB, over the 20 MB limit" in w for w in out["warnings"])
    assert any("yunfan.meta.yaml" in w and "over the 256 KB limit" in w for w in out["warnings"])


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another owner needs root")
def test_a_hard_link_to_another_owners_file_is_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    os.chown(outside, 65534, 65534)  # like /etc/passwd: someone else's file
    os.link(outside, corpus / "articles" / "h.txt")
    problem = file_problem(corpus / "articles" / "h.txt", real_root(corpus))
    assert problem and "hard link" in problem
    mine = corpus / "articles" / "mine.txt"
    mine.write_text("一篇文章", encoding="utf-8")
    os.link(mine, corpus / "articles" / "again.txt")  # the owner's own second name is fine
    assert file_problem(corpus / "articles" / "again.txt", real_root(corpus)) is None
