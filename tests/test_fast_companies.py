"""Company names and the curated files, without the model: the built-in profiles read as YAML only."""
import pytest

from assistant.corpus.companies import CompanyDirectory, load_profile, load_profiles
from assistant.language.glossary import load_glossary
from assistant.errors import AssistantError
from assistant.text import squash

from .conftest import CORPUS


@pytest.fixture(scope="module")
def directory() -> CompanyDirectory:
    return CompanyDirectory(load_profiles(CORPUS))


def best(directory, name):
    found = directory.find(name)
    return found[0][0].name_zh if found else None


@pytest.mark.parametrize("name, company", [
    ("摩尔线程", "摩尔线程"), ("Moore Threads", "摩尔线程"), ("MTT", "摩尔线程"),        # names and aliases
    ("ｍｅｔａｘ", "沐曦"), ("ＭＴＴ", "摩尔线程"),                                     # full-width
    ("meta x", "沐曦"), ("Moore-Threads", "摩尔线程"), ("VASTAI", "瀚博"),             # spacing, punctuation, case
    ("壁仞", "壁仞"), ("摩尔", "摩尔线程"), ("biren tech", "壁仞"),                     # a prefix of a name
    ("沐曦股份", "沐曦"), ("瀚博半导体", "瀚博"), ("Biren Technologies", "壁仞"),        # the name plus a suffix
    ("Enflme", "燧原"), ("Glenfyl", "格兰菲"), ("moore thread", "摩尔线程"),           # small typos
    ("摩爾線程", "摩尔线程"),                                                          # traditional characters
])
def test_a_company_is_found_by_any_form_of_its_names(directory, name, company):
    assert best(directory, name) == company


@pytest.mark.parametrize("name", ["华为", "Cambricon", "Nvidia", "英伟达", "AMD", "科技", "tech", "GPU", "x", "", "threads"])
def test_a_name_not_in_the_corpus_or_a_fragment_finds_nothing(directory, name):
    assert directory.find(name) == []


def test_an_exact_name_scores_one_and_a_partial_name_less(directory):
    assert directory.find("Moore Threads")[0][1] == 1.0
    assert 0.75 <= directory.find("摩尔")[0][1] < 1.0


def test_mentions_in_text_in_order_latin_names_as_whole_words(directory):
    assert directory.mentions("燧原和摩尔线程、MetaX 都在列") == ["enflame", "moore-threads", "metax"]
    assert directory.mentions("metaxylene is a solvent") == []  # not a word of its own
    assert directory.mentions("摩 尔 线 程的营收") == ["moore-threads"]  # stray spaces inside a name


def test_one_squash_for_quotes_and_names():
    assert squash("星河 芯片\t的估值") == "星河芯片的估值"
    assert squash("Moore-Threads ＭＴＴ", punctuation=True) == "moorethreadsmtt"
    assert squash("估值：150 亿元。") == "估值:150亿元。"  # punctuation kept for quotes (NFKC folds the colon)


# ---- the curated files: file, field and problem ---------------------------------------------------
def _profile(tmp_path, text: str):
    path = tmp_path / "companies" / "x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "id: x\nname_zh: 某公司\nname_en: X Corp\n"


@pytest.mark.parametrize("extra, field, problem", [
    ("facts: [founded]\n", "facts[0]", "expected a mapping with field, zh, en, source"),
    ("facts:\n  - {field: founded, zh: 成立, en: founded, source: 'a#p1', value: [1]}\n", "facts[0].value",
     "expected a number or a date"),
    ("facts:\n  - {field: founded, zh: '', en: founded, source: 'a#p1'}\n", "facts[0].zh", "missing"),
    ("facts:\n  - {field: founded, zh: 成立, en: founded, source: 'a#p1', year: 2020.5}\n", "facts[0].year",
     "expected a whole number"),
    ("aliases: [a, [b]]\n", "aliases", "expected a list of text"),
    ("full_names: true\n", "full_names", "expected a list of text"),
])
def test_a_malformed_profile_names_file_field_and_problem(tmp_path, extra, field, problem):
    with pytest.raises(AssistantError) as err:
        load_profile(_profile(tmp_path, GOOD + extra))
    msg = str(err.value)
    assert msg.startswith("company profile ") and "x.yaml" in msg and f"field '{field}': {problem}" in msg, msg
    assert "\n" not in msg and "pydantic" not in msg.lower()


def test_a_good_profile_keeps_its_values(tmp_path):
    p = load_profile(_profile(tmp_path, GOOD + "aliases: XC\nfacts:\n"
                              "  - {field: listing, zh: 上市, en: listed, source: 'a#p1', value: 2025-06-30}\n"
                              "  - {field: founded, zh: 成立, en: founded, source: 'a#p2', value: 2019, year: 2019}\n"))
    assert p.aliases == ("XC",) and p.facts[0].value == "2025-06-30" and p.facts[1].value == 2019
    assert p.facts[1].year == 2019 and p.names == ("某公司", "X Corp", "XC")


def test_a_profile_with_a_yaml_alias_is_refused(tmp_path):
    with pytest.raises(AssistantError, match=r"x\.yaml: not valid YAML/JSON.*(alias|anchor)"):
        load_profile(_profile(tmp_path, GOOD + "full_names: &n [A]\naliases: *n\n"))


@pytest.mark.parametrize("text, field, problem", [
    ("", "terms", "expected a list"),
    ("terms: [x]\n", "terms[0]", "expected a mapping with en and zh"),
    ("terms:\n  - {en: valuation}\n", "terms[0].zh", "missing"),
    ("terms:\n  - {en: ['valuation', ''], zh: 估值}\n", "terms[0].en", "expected text or a list of text, none of it blank"),
    ("terms:\n  - {en: {a: 1}, zh: 估值}\n", "terms[0].en", "expected text or a list of text"),
])
def test_a_malformed_glossary_names_file_field_and_problem(tmp_path, text, field, problem):
    (tmp_path / "glossary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AssistantError) as err:
        load_glossary(tmp_path)
    msg = str(err.value)
    assert "glossary.yaml" in msg and f"field '{field}': {problem}" in msg, msg


def test_the_built_in_glossary_loads(tmp_path):
    g = load_glossary(CORPUS)
    assert "估值" in g.expand("What is the valuation?")
