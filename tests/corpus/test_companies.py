"""Company profiles and finding companies by any of their names (corpus/companies.py): the built-in
profiles read as YAML, malformed ones named by file and field, and look-ups on the real corpus."""

import opencc
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Assistant, AssistantError
from assistant.corpus.companies import (
    FIELDS,
    load_profile,
    load_profiles,
)
from assistant.corpus.company_directory import CompanyDirectory
from assistant.text import squash
from tests.conftest import CORPUS

SIX = {
    "moore-threads": "摩尔线程",
    "metax": "沐曦",
    "biren": "壁仞",
    "enflame": "燧原",
    "vastai": "瀚博",
    "glenfly": "格兰菲",
}


def test_the_six_companies_of_the_article_have_profiles():
    profiles = {p.id: p for p in load_profiles(CORPUS)}
    assert {k: p.name_zh for k, p in profiles.items()} == SIX
    assert profiles["biren"].name_en == "Biren Technology" and "壁仞科技" in profiles["biren"].full_names
    assert "MTT" in profiles["moore-threads"].aliases


def test_every_profile_fact_is_found_in_the_passage_it_cites(bot):
    for prof in bot.companies():
        for fact in prof.facts:
            passage = bot.passage(fact.source)
            assert passage is not None and passage.is_article, (prof.id, fact.source)
            assert squash(fact.zh) in squash(passage.text), (prof.id, fact.field, fact.zh)
            assert fact.field in FIELDS and fact.en


@pytest.mark.parametrize(
    "name,company",
    [
        ("摩尔线程", "摩尔线程"),
        ("Moore Threads", "摩尔线程"),
        ("MTT", "摩尔线程"),
        ("moore thread", "摩尔线程"),
        ("ｍｅｔａｘ", "沐曦"),
        ("meta x", "沐曦"),
        ("沐曦股份", "沐曦"),
        ("壁仞", "壁仞"),
        ("biren tech", "壁仞"),
        ("Biren Technologies", "壁仞"),
        ("Enflme", "燧原"),
        ("云燧", "燧原"),
        ("VASTAI", "瀚博"),
        ("瀚博半导体", "瀚博"),
        ("Glenfly", "格兰菲"),
    ],
)
def test_a_company_is_found_by_any_of_its_names(bot, name, company):
    matches = bot.find_company(name)
    assert matches and matches[0].name_zh == company


def test_exact_names_score_one_and_partial_names_less(bot):
    assert bot.find_company("Moore Threads")[0].score == 1.0
    partial = bot.find_company("摩尔")[0]
    assert partial.name_zh == "摩尔线程" and 0.75 <= partial.score < 1.0


@pytest.mark.parametrize(
    "name", ["华为", "Cambricon", "Nvidia", "英伟达", "AMD", "科技", "tech", "GPU", "x", ""]
)
def test_a_name_not_in_the_corpus_finds_nothing(bot, name):
    assert bot.find_company(name) == []


def test_matches_carry_every_passage_that_names_the_company_in_document_order(bot):
    m = bot.find_company("燧原")[0]
    ids = [c.passage_id for c in m.passages]
    numbers = [int(i.rsplit("#p", 1)[1]) for i in ids]
    assert numbers == sorted(numbers) and len(ids) >= 4
    assert all(any(n in c.text for n in ("燧原", "云燧", "邃思", "T20")) for c in m.passages)


def test_malformed_profile_names_the_file_and_the_field(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text(
        "id: x\nname_zh: 某公司\nname_en: X\nfacts:\n  - field: founded\n    zh: 成立\n    en: founded\n",
        encoding="utf-8",
    )
    with pytest.raises(AssistantError) as err:
        load_profile(bad)
    assert "x.yaml" in str(err.value) and "facts[0].source" in str(err.value)
    bad.write_text("id: Bad Id\nname_zh: 某\nname_en: X\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="field 'id'"):
        load_profile(bad)


@pytest.fixture(scope="module")
def directory() -> CompanyDirectory:
    return CompanyDirectory(load_profiles(CORPUS))


def best(directory, name):
    found = directory.find(name)
    return found[0][0].name_zh if found else None


@pytest.mark.parametrize(
    "name, company",
    [
        ("摩尔线程", "摩尔线程"),
        ("Moore Threads", "摩尔线程"),
        ("MTT", "摩尔线程"),  # names and aliases
        ("ｍｅｔａｘ", "沐曦"),
        ("ＭＴＴ", "摩尔线程"),  # full-width
        ("meta x", "沐曦"),
        ("Moore-Threads", "摩尔线程"),
        ("VASTAI", "瀚博"),  # spacing, punctuation, case
        ("壁仞", "壁仞"),
        ("摩尔", "摩尔线程"),
        ("biren tech", "壁仞"),  # a prefix of a name
        ("沐曦股份", "沐曦"),
        ("瀚博半导体", "瀚博"),
        ("Biren Technologies", "壁仞"),  # the name plus a suffix
        ("Enflme", "燧原"),
        ("Glenfyl", "格兰菲"),
        ("moore thread", "摩尔线程"),  # small typos
        ("摩爾線程", "摩尔线程"),  # traditional characters
    ],
)
def test_a_company_is_found_by_any_form_of_its_names(directory, name, company):
    assert best(directory, name) == company


@pytest.mark.parametrize(
    "name", ["华为", "Cambricon", "Nvidia", "英伟达", "AMD", "科技", "tech", "GPU", "x", "", "threads"]
)
def test_a_name_not_in_the_corpus_or_a_fragment_finds_nothing(directory, name):
    assert directory.find(name) == []


def test_an_exact_name_scores_one_and_a_partial_name_less(directory):
    assert directory.find("Moore Threads")[0][1] == 1.0
    assert 0.75 <= directory.find("摩尔")[0][1] < 1.0


def test_mentions_in_text_in_order_latin_names_as_whole_words(directory):
    assert directory.mentions("燧原和摩尔线程、MetaX 都在列") == ["enflame", "moore-threads", "metax"]
    assert directory.mentions("metaxylene is a solvent") == []  # not a word of its own
    assert directory.mentions("摩 尔 线 程的营收") == ["moore-threads"]  # stray spaces inside a name


# ---- the curated files: file, field and problem ---------------------------------------------------
def _profile(tmp_path, text: str):
    path = tmp_path / "companies" / "x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "id: x\nname_zh: 某公司\nname_en: X Corp\n"


@pytest.mark.parametrize(
    "extra, field, problem",
    [
        ("facts: [founded]\n", "facts[0]", "expected a mapping with field, zh, en, source"),
        (
            "facts:\n  - {field: founded, zh: 成立, en: founded, source: 'a#p1', value: [1]}\n",
            "facts[0].value",
            "expected a number or a date",
        ),
        ("facts:\n  - {field: founded, zh: '', en: founded, source: 'a#p1'}\n", "facts[0].zh", "missing"),
        (
            "facts:\n  - {field: founded, zh: 成立, en: founded, source: 'a#p1', year: 2020.5}\n",
            "facts[0].year",
            "expected a whole number",
        ),
        ("aliases: [a, [b]]\n", "aliases", "expected a list of text"),
        ("full_names: true\n", "full_names", "expected a list of text"),
    ],
)
def test_a_malformed_profile_names_file_field_and_problem(tmp_path, extra, field, problem):
    with pytest.raises(AssistantError) as err:
        load_profile(_profile(tmp_path, GOOD + extra))
    msg = str(err.value)
    assert msg.startswith("company profile ") and "x.yaml" in msg and f"field '{field}': {problem}" in msg, (
        msg
    )
    assert "\n" not in msg and "pydantic" not in msg.lower()


def test_a_good_profile_keeps_its_values(tmp_path):
    p = load_profile(
        _profile(
            tmp_path,
            GOOD + "aliases: XC\nfacts:\n"
            "  - {field: listing, zh: 上市, en: listed, source: 'a#p1', value: 2025-06-30}\n"
            "  - {field: founded, zh: 成立, en: founded, source: 'a#p2', value: 2019, year: 2019}\n",
        )
    )
    assert p.aliases == ("XC",) and p.facts[0].value == "2025-06-30" and p.facts[1].value == 2019
    assert p.facts[1].year == 2019 and p.names == ("某公司", "X Corp", "XC")


def test_a_profile_with_a_yaml_alias_is_refused(tmp_path):
    with pytest.raises(AssistantError, match=r"x\.yaml: not valid YAML/JSON.*(alias|anchor)"):
        load_profile(_profile(tmp_path, GOOD + "full_names: &n [A]\naliases: *n\n"))


def _edit_profile(corpus, change) -> None:
    path = corpus / "companies" / "enflame.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    "change, field, problem",
    [
        (lambda d: d.pop("name_zh"), "name_zh", "missing"),
        (lambda d: d.__setitem__("name_en", ["Enflame"]), "name_en", "expected text"),
        (lambda d: d.__setitem__("aliases", {"a": 1}), "aliases", "list of text"),
        (lambda d: d.__setitem__("id", "Enflame Tech"), "id", "lower-case"),
        (lambda d: d.__setitem__("ceo", "x"), "ceo", "unknown field"),
        (lambda d: d.__setitem__("facts", "none"), "facts", "expected a list"),
        (lambda d: d["facts"][0].__setitem__("field", "ceo"), "facts[0].field", "not one of"),
        (lambda d: d["facts"][1].pop("source"), "facts[1].source", "missing"),
        (lambda d: d["facts"][1].__setitem__("source", "p12"), "facts[1].source", "passage id"),
        (lambda d: d["facts"][2].__setitem__("zh", ["x"]), "facts[2].zh", "expected text"),
        (lambda d: d["facts"][0].__setitem__("year", "2024"), "facts[0].year", "whole number"),
        (lambda d: d["facts"][0].__setitem__("year", True), "facts[0].year", "whole number"),
        (lambda d: d["facts"][0].__setitem__("value", {"amount": 1}), "facts[0].value", "number or a date"),
        (lambda d: d["facts"][0].__setitem__("note", "x"), "facts[0].note", "unknown key"),
    ],
)
def test_a_malformed_profile_stops_the_load_naming_file_and_field(
    corpus_copy, tmp_path, change, field, problem
):
    _edit_profile(corpus_copy, change)
    with pytest.raises(AssistantError) as err:
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    msg = str(err.value)
    assert "enflame.yaml" in msg and f"field '{field}'" in msg and problem in msg


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"id: enflame\nname_zh: [unclosed\n", "not valid YAML/JSON"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"id: enflame\nname_zh: \xff\xfe\n", "not valid UTF-8"),
        (b"", "expected a mapping"),
    ],
)
def test_a_profile_that_is_not_a_yaml_mapping_is_named(corpus_copy, tmp_path, content, problem):
    (corpus_copy / "companies" / "enflame.yaml").write_bytes(content)
    with pytest.raises(AssistantError, match=problem) as err:
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    assert "enflame.yaml" in str(err.value)


def test_two_profiles_with_one_id_are_refused(corpus_copy, tmp_path):
    src = corpus_copy / "companies" / "enflame.yaml"
    (corpus_copy / "companies" / "enflame-copy.yaml").write_bytes(src.read_bytes())
    with pytest.raises(AssistantError, match=r"field 'id'.*already used"):
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")


FAST = settings(max_examples=150, deadline=None)

# Text that looks like the corpus as well as anything at all: Chinese, Latin, digits, punctuation.
CORPUS_CHARS = st.sampled_from(
    list("沐曦燧原摩尔线程壁仞估值营收募资的是多少亿元年月。，！？；:：、“”() \n")
    + list("MetaXEnflame2024GPU.?!,;'\"-")
)
ANY_TEXT = st.text(max_size=300)
CORPUS_LIKE = st.text(CORPUS_CHARS, max_size=300)
# Controls, lone surrogates, invisible format characters, combining marks, symbols (emoji), CJK.
ODD_TEXT = st.text(st.characters(categories=["Cc", "Cs", "Cf", "Mn", "So", "Lo", "Zs"]), max_size=60)


@FAST
@given(name=st.one_of(ANY_TEXT, CORPUS_LIKE, ODD_TEXT))
def test_find_company_never_raises_and_ranks_best_first(bot, name):
    matches = bot.find_company(name)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert len({m.company_id for m in matches}) == len(matches)
    for m in matches:
        assert m.profile.id == m.company_id and all(bot.passage(c.passage_id) for c in m.passages)


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_name_of_a_company_in_any_width_case_or_script_finds_it(bot, data):
    profile = data.draw(st.sampled_from(bot.companies()))
    name = data.draw(st.sampled_from(profile.names))
    variant = data.draw(
        st.sampled_from(
            [
                str.upper,
                str.lower,
                _full_width,
                opencc.OpenCC("s2t").convert,
                lambda s: f"  {s}\t",
            ]
        )
    )(name)
    matches = bot.find_company(variant)
    assert matches and profile.id in [m.company_id for m in matches if m.score == matches[0].score]
