"""The curated tables from a build's compiled copy (corpus/curated.py): the same records as the YAML
gives, used for a file only while its bytes and the code are those of the copy, and any damage read
as no copy."""

import json
from pathlib import Path

import pytest

from assistant import AssistantError
from assistant.corpus import curated
from assistant.corpus.companies import load_profiles
from assistant.corpus.curated import CuratedTables, usable_entries
from assistant.language.glossary import load_glossary
from assistant.language.lexicon import load_lexicon
from assistant.language.names import load_names
from tests.conftest import CORPUS


def _load_all(corpus: Path, tables: CuratedTables) -> tuple:
    return (
        load_profiles(corpus, tables),
        load_glossary(corpus, tables),
        load_lexicon(corpus, tables),
        load_names(corpus, tables),
    )


def _copy_of(corpus: Path) -> dict:
    """The compiled copy a build of `corpus` writes, through JSON as the build folder holds it."""
    tables = CuratedTables(corpus)
    _load_all(corpus, tables)
    return json.loads(json.dumps(tables.compiled(), ensure_ascii=False))


def _same(a: tuple, b: tuple) -> None:
    """Equal records, and equal in every order a caller can see (dicts, tuples); the glossary's
    metrics are a set."""
    profiles_a, glossary_a, lexicon_a, names_a = a
    profiles_b, glossary_b, lexicon_b, names_b = b
    assert repr(profiles_a) == repr(profiles_b)
    assert glossary_a == glossary_b and glossary_a.entries == glossary_b.entries
    assert repr(lexicon_a) == repr(lexicon_b)
    assert repr(names_a) == repr(names_b)


def test_the_copy_gives_the_records_the_yaml_gives():
    copy = _copy_of(CORPUS)
    assert set(copy["tables"]) == {
        *(f"companies/{p.name}" for p in (CORPUS / "companies").iterdir()),
        "glossary.yaml",
        "lexicon.yaml",
        "names.yaml",
    }
    tables = CuratedTables(CORPUS, usable_entries(copy))
    _same(_load_all(CORPUS, tables), _load_all(CORPUS, CuratedTables(CORPUS)))
    assert tables.from_copy == len(copy["tables"])  # every table, none parsed


def test_a_copy_from_a_load_that_used_a_copy_is_the_same():
    copy = _copy_of(CORPUS)
    tables = CuratedTables(CORPUS, usable_entries(copy))
    _load_all(CORPUS, tables)
    assert json.loads(json.dumps(tables.compiled(), ensure_ascii=False)) == copy


def test_a_changed_table_is_read_from_its_yaml(corpus_copy):
    copy = _copy_of(corpus_copy)
    path = corpus_copy / "glossary.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {en: [frobnication], zh: [弗罗布]}\n", encoding="utf-8"
    )
    tables = CuratedTables(corpus_copy, usable_entries(copy))
    _, glossary, _, _ = _load_all(corpus_copy, tables)
    assert ("frobnication",) in [en for en, _ in glossary.entries]
    assert tables.from_copy == len(copy["tables"]) - 1


def test_a_table_made_invalid_since_the_build_stops_the_load_as_before(corpus_copy):
    copy = _copy_of(corpus_copy)
    (corpus_copy / "companies" / "metax.yaml").write_text("id: MetaX!\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="metax.yaml: field 'id'"):
        load_profiles(corpus_copy, CuratedTables(corpus_copy, usable_entries(copy)))


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e["lexicon.yaml"].update(data={"intents": 3}),
        lambda e: e["names.yaml"].update(data=[["only two", "fields"]]),
        lambda e: e["glossary.yaml"].pop("data"),
        lambda e: e["companies/metax.yaml"]["data"].update(facts=[{"field": "x", "surplus": 1}]),
        lambda e: e.update({"lexicon.yaml": "not an entry"}),
    ],
)
def test_a_damaged_entry_is_read_from_the_yaml(damage):
    copy = _copy_of(CORPUS)
    damage(copy["tables"])
    tables = CuratedTables(CORPUS, usable_entries(copy))
    _same(_load_all(CORPUS, tables), _load_all(CORPUS, CuratedTables(CORPUS)))
    assert tables.from_copy == len(copy["tables"]) - 1


def test_a_copy_made_by_other_code_or_format_is_not_used(monkeypatch):
    copy = _copy_of(CORPUS)
    assert usable_entries(copy)
    assert usable_entries({**copy, "code": "0" * 64}) == {}
    assert usable_entries({**copy, "format": curated.TABLES_FORMAT + 1}) == {}
    for not_a_copy in (None, [], "tables", {"format": 1}, {**copy, "tables": []}):
        assert usable_entries(not_a_copy) == {}
    monkeypatch.setattr(curated, "CODE_FILES", ("corpus/no-such-module.py",))
    curated.code_stamp.cache_clear()
    try:
        assert curated.code_stamp() == "" and usable_entries(copy) == {}
    finally:
        curated.code_stamp.cache_clear()


def test_the_code_stamp_covers_every_module_it_names():
    package = Path(curated.__file__).resolve().parent.parent
    assert all((package / rel).is_file() for rel in curated.CODE_FILES)
    assert len(curated.code_stamp()) == 64
