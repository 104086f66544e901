"""The build's compiled copy of the curated tables (index/tables.py, corpus/curated.py): written with
the build and listed in its manifest, used by the next load, and anything wrong with it read as no
copy — the tables then come from the YAML, with no traceback and the same answers."""

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.corpus import companies
from assistant.corpus.curated import TABLES_FILE
from assistant.index.folders import live_build
from assistant.index.tables import compiled_tables
from assistant.language import glossary, lexicon
from tests.fakes import FakeEmbedder
from tests.index.conftest import _manifest, _write_manifest

QUESTION = "星河芯片的估值是多少？"


def _load(corpus: Path, index: Path) -> Assistant:
    return Assistant.load(corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validations(monkeypatch) -> list[str]:
    """The tables validated from their YAML during the test, by loader."""
    seen: list[str] = []
    for module, name in ((companies, "_validated"), (glossary, "_validated"), (lexicon, "_checked")):
        real, label = getattr(module, name), module.__name__.rsplit(".", 1)[1]

        def spy(*args, real=real, label=label):
            seen.append(label)
            return real(*args)

        monkeypatch.setattr(module, name, spy)
    return seen


def test_a_build_keeps_the_tables_it_validated_listed_in_its_manifest(built):
    corpus, index = built
    build = live_build(index)
    assert TABLES_FILE in _manifest(build)["files"]
    entries = compiled_tables(index)
    assert set(entries) == {"companies/xinghe.yaml", "companies/yunfan.yaml", "glossary.yaml", "lexicon.yaml"}
    for rel, entry in entries.items():
        assert entry["sha256"] == _sha256(corpus / rel)


def test_a_load_takes_the_tables_from_the_copy_and_answers_the_same(built, tiny_bot, monkeypatch):
    corpus, index = built
    seen = _validations(monkeypatch)
    bot = _load(corpus, index)
    assert seen == [] and not bot.load_report.built
    assert bot.ask(QUESTION).text == tiny_bot.ask(QUESTION).text
    assert [replace(p, path="") for p in bot.profiles] == [replace(p, path="") for p in tiny_bot.profiles]
    assert bot.lexicon == tiny_bot.lexicon and bot.glossary == tiny_bot.glossary


def test_a_table_edited_since_the_build_is_validated_again_and_the_copy_renewed(built, monkeypatch):
    corpus, index = built
    path = corpus / "glossary.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {en: [frobnication], zh: [弗罗布]}\n", encoding="utf-8"
    )
    seen = _validations(monkeypatch)
    bot = _load(corpus, index)
    assert seen == ["glossary"]  # the profiles and the lexicon still from the copy
    assert ("frobnication",) in [en for en, _ in bot.glossary.entries]
    assert bot.load_report.built  # the glossary shapes the index: it is stale
    assert compiled_tables(index)["glossary.yaml"]["sha256"] == _sha256(path)


def _resign(build: Path) -> None:
    m = _manifest(build)
    data = (build / TABLES_FILE).read_bytes()
    m["files"][TABLES_FILE] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    _write_manifest(build, m)


def _unlist(build: Path) -> None:
    m = _manifest(build)
    del m["files"][TABLES_FILE]
    _write_manifest(build, m)


DAMAGE = {
    "edited": lambda b: (b / TABLES_FILE).write_text('{"format": 1}', encoding="utf-8"),
    "truncated, re-signed": lambda b: (
        (b / TABLES_FILE).write_bytes((b / TABLES_FILE).read_bytes()[:100]),
        _resign(b),
    ),
    "not UTF-8, re-signed": lambda b: ((b / TABLES_FILE).write_bytes(b"\xff\xfe{}"), _resign(b)),
    "another shape, re-signed": lambda b: (
        (b / TABLES_FILE).write_text("[1, 2]", encoding="utf-8"),
        _resign(b),
    ),
    "deep, re-signed": lambda b: ((b / TABLES_FILE).write_text("[" * 100_000, encoding="utf-8"), _resign(b)),
    "missing": lambda b: (b / TABLES_FILE).unlink(),
    "a folder": lambda b: ((b / TABLES_FILE).unlink(), (b / TABLES_FILE).mkdir()),
    "a link, re-signed": lambda b: (
        (b / "elsewhere.json").write_bytes((b / TABLES_FILE).read_bytes()),
        (b / TABLES_FILE).unlink(),
        (b / TABLES_FILE).symlink_to(b / "elsewhere.json"),
    ),
    "not listed (a build from before the copy)": lambda b: ((b / TABLES_FILE).unlink(), _unlist(b)),
    "manifest lists no files": lambda b: _write_manifest(b, {**_manifest(b), "files": "none"}),
}


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_or_missing_copy_is_no_copy(built, tiny_bot, how, monkeypatch):
    corpus, index = built
    DAMAGE[how](live_build(index))
    assert compiled_tables(index) == {}
    seen = _validations(monkeypatch)
    bot = _load(corpus, index)  # no traceback: the tables from the YAML (and the index rebuilt if damaged)
    assert sorted(set(seen)) == ["companies", "glossary", "lexicon"]
    assert bot.ask(QUESTION).text == tiny_bot.ask(QUESTION).text
    if how.startswith("not listed"):
        assert not bot.load_report.built  # an index built before the copy existed is still used


def test_no_live_build_is_no_copy(tmp_path):
    assert compiled_tables(tmp_path / "nothing") == {}
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text("../escape\n", encoding="utf-8")
    assert compiled_tables(tmp_path / "index") == {}


def test_the_copy_is_plain_json(built):
    _, index = built
    document = json.loads((live_build(index) / TABLES_FILE).read_text(encoding="utf-8"))
    assert document["format"] == 1 and len(document["code"]) == 64
