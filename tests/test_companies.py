"""Company profiles and looking companies up by any of their names."""
import pytest

from assistant import AssistantError
from assistant.corpus.companies import FIELDS, load_profile, load_profiles
from assistant.text import squash

from .conftest import CORPUS

SIX = {"moore-threads": "摩尔线程", "metax": "沐曦", "biren": "壁仞", "enflame": "燧原", "vastai": "瀚博", "glenfly": "格兰菲"}


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


@pytest.mark.parametrize("name,company", [
    ("摩尔线程", "摩尔线程"), ("Moore Threads", "摩尔线程"), ("MTT", "摩尔线程"), ("moore thread", "摩尔线程"),
    ("ｍｅｔａｘ", "沐曦"), ("meta x", "沐曦"), ("沐曦股份", "沐曦"), ("壁仞", "壁仞"), ("biren tech", "壁仞"),
    ("Biren Technologies", "壁仞"), ("Enflme", "燧原"), ("云燧", "燧原"), ("VASTAI", "瀚博"), ("瀚博半导体", "瀚博"),
    ("Glenfly", "格兰菲"),
])
def test_a_company_is_found_by_any_of_its_names(bot, name, company):
    matches = bot.find_company(name)
    assert matches and matches[0].name_zh == company


def test_exact_names_score_one_and_partial_names_less(bot):
    assert bot.find_company("Moore Threads")[0].score == 1.0
    partial = bot.find_company("摩尔")[0]
    assert partial.name_zh == "摩尔线程" and 0.75 <= partial.score < 1.0


@pytest.mark.parametrize("name", ["华为", "Cambricon", "Nvidia", "英伟达", "AMD", "科技", "tech", "GPU", "x", ""])
def test_a_name_not_in_the_corpus_finds_nothing(bot, name):
    assert bot.find_company(name) == []


def test_matches_carry_every_passage_that_names_the_company_in_document_order(bot):
    m = bot.find_company("燧原")[0]
    ids = [c.passage_id for c in m.passages]
    numbers = [int(i.rsplit("#p", 1)[1]) for i in ids]
    assert numbers == sorted(numbers) and len(ids) >= 4
    assert all(any(n in c.text for n in ("燧原", "云燧", "邃思", "T20")) for c in m.passages)


def test_profiles_are_searchable_records_and_answers_cite_the_article(bot):
    a = bot.ask("Which company was founded in 2019 and is headquartered in Shanghai?")
    assert not a.abstained and ("Biren" in a.text or "壁仞" in a.text)
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_which_companies_questions_list_every_company_with_the_fact(bot):
    a = bot.ask("Which companies have filed a prospectus?")
    assert "MetaX" in a.text and "Moore Threads" in a.text and "Biren" not in a.text
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_a_tie_names_every_winner(bot):
    a = bot.ask("摩尔线程和沐曦哪家成立得更早？")
    assert "摩尔线程成立于 2020 年" in a.text and "沐曦股份成立于 2020 年 9 月" in a.text


def test_malformed_profile_names_the_file_and_the_field(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("id: x\nname_zh: 某公司\nname_en: X\nfacts:\n  - field: founded\n    zh: 成立\n    en: founded\n", encoding="utf-8")
    with pytest.raises(AssistantError) as err:
        load_profile(bad)
    assert "x.yaml" in str(err.value) and "facts[0].source" in str(err.value)
    bad.write_text("id: Bad Id\nname_zh: 某\nname_en: X\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="field 'id'"):
        load_profile(bad)
