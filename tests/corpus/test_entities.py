"""corpus/entities.py and corpus/resolver.py: names found in articles nobody curated, and names written
another way in questions. Articles here are made up; the word tables are the package's own."""

from __future__ import annotations

import itertools
import textwrap

import pytest

from assistant.corpus.entities import ORGANISATION, PERSON, discover
from assistant.language.tokens import Tokenizer
from tests.fakes import UNCURATED


@pytest.fixture(scope="module")
def tokenizer():
    return Tokenizer()


def test_an_organisation_with_a_stock_code_and_a_person_after_a_title_are_found(tokenizer):
    found = discover(textwrap.dedent(UNCURATED).splitlines(), tokenizer.is_common)
    orgs = {e.zh: e for e in found if e.kind == ORGANISATION}
    people = {e.zh: e for e in found if e.kind == PERSON}
    assert "澜芯微电子" in orgs and orgs["澜芯微电子"].short == "澜芯"
    assert orgs["澜芯微电子"].en == "Lanxin Microelectronics"
    assert "鹤鸣证券" in orgs and orgs["鹤鸣证券"].en == "Heming Securities"
    assert "邝明哲" in people and people["邝明哲"].en == "Kuang Mingzhe" and "CEO" in people["邝明哲"].role


def test_ordinary_phrases_ending_like_names_are_not_organisations(tokenizer):
    text = ["公司将加大自研芯片与核心技术投入，提升性能数据。", "背后的技术与资本同样重要。"]
    assert [e.zh for e in discover(text, tokenizer.is_common) if e.kind == ORGANISATION] == []


def test_a_found_company_is_searchable_by_name_pinyin_and_english(uncurated_bot):
    for name in ("澜芯微电子", "澜芯", "Lanxin", "lanxin microelectronics"):
        matches = uncurated_bot.find_company(name)
        assert matches and matches[0].name_zh == "澜芯微电子", name
    assert matches[0].passages  # its mentions


def test_every_generated_alias_resolves_back_to_its_company_or_is_reported_ambiguous(uncurated_bot):
    directory = uncurated_bot.directory
    for prof in directory.profiles:
        for alias in prof.names:
            found = directory.mentions(alias)
            assert prof.id in found or any(
                alias.lower().replace(" ", "") in k for k in directory.ambiguous
            ), alias
    for a, b in itertools.combinations(directory.profiles, 2):
        shared = {n.lower() for n in a.names} & {n.lower() for n in b.names}
        assert not shared, (a.id, b.id, shared)


def test_a_name_the_article_gives_is_an_organisation_and_a_securitys_is_its_companys(tokenizer):
    from tests.fakes import UNCURATED_NOTICE

    found = discover(textwrap.dedent(UNCURATED_NOTICE).splitlines(), tokenizer.is_common)
    orgs = {e.zh: e for e in found if e.kind == ORGANISATION}
    assert "鸿钧转债" in orgs["鸿钧电子"].aliases  # 债券简称“鸿钧转债”: the company's bond
    assert "钧石投资" in orgs and "钧石投资" not in orgs["鸿钧电子"].aliases  # 下称“钧石投资”: its own
    assert orgs["鹏睿资信评估"].en == "Pengrui Credit Rating"
    people = {e.zh: e.role for e in found if e.kind == PERSON}
    assert people.get("郑一帆") == "董事会秘书" and people.get("罗启明") == "董事长"


def test_a_person_followed_by_a_preposition_is_the_name_alone(tokenizer):
    found = discover(["北京某律师事务所合伙人卢峥向记者表示，投资者可以起诉。"], tokenizer.is_common)
    assert "卢峥" in {e.zh for e in found if e.kind == PERSON}


def test_taiwan_four_digit_codes_and_a_kind_of_maker_before_the_name(tokenizer):
    text = [
        "網通晶片廠瑞昇科技（6612）與記憶體控制晶片廠華鎧半導體（3519）今日宣布合併。",
        "依據年報（2025）與公司說明，IC設計業者澄光科技也在洽談。",
    ]
    orgs = {e.zh for e in discover(text, tokenizer.is_common) if e.kind == ORGANISATION}
    assert {"瑞升科技", "华铠半导体", "澄光科技"} <= orgs  # found in the simplified form
    assert not any("厂" in o or "业者" in o or "年报" in o for o in orgs)


def test_a_longer_name_the_article_gives_is_also_written_in_english():
    from assistant.corpus.entities import Entity, as_profile

    e = Entity(ORGANISATION, "澜擎微", "Lanqing Micro", "澜擎", aliases=("澜擎微电子",))
    assert {"Lanqing Micro", "Lanqing Microelectronics"} <= set(as_profile(e).aliases)


def test_a_stem_that_is_also_a_persons_given_name_is_no_short_name(tokenizer):
    text = ["北京岚曜会计师事务所出具了审计报告。", "公司实际控制人为董事长周岚曜。"]
    found = {e.zh: e for e in discover(text, tokenizer.is_common)}
    assert found["北京岚曜会计师事务所"].short == ""  # 岚曜 alone would name 周岚曜 too
    assert "周岚曜" in found


def test_a_phrase_starting_with_suo_is_no_company(tokenizer):
    text = ["控股股东所持股份自上市之日起锁定36个月。", "其他股东所持股份锁定12个月。"]
    assert not [e.zh for e in discover(text, tokenizer.is_common) if e.kind == ORGANISATION]


def test_a_hong_kong_five_digit_code_marks_a_company(tokenizer):
    found = discover(["晶耀科技（02891）今日公佈中期業績。"], tokenizer.is_common)
    assert "晶耀科技" in {e.zh for e in found if e.kind == ORGANISATION}


def test_a_kind_of_maker_written_before_a_coded_name_is_not_part_of_it(tokenizer):
    found = discover(["晶片設計商晶耀智算科技（02891）今日公佈中期業績。"], tokenizer.is_common)
    assert [e.zh for e in found if e.kind == ORGANISATION] == ["晶耀智算科技"]


def test_hong_kong_titles_find_their_person(tokenizer):
    found = discover(
        ["主席兼行政總裁區志明在業績會上表示。", "富瀚證券研究部主管鄭家朗認為。"], tokenizer.is_common
    )
    people = {e.zh: e for e in found if e.kind == PERSON}
    assert people["区志明"].en == "Ou Zhiming" and "郑家朗" in people


def test_a_stock_code_after_a_name_is_one_of_its_names(tokenizer):
    found = discover(["晶拓股份（688729.SH）发布公告。晶拓股份表示，订单饱满。"], tokenizer.is_common)
    company = next(e for e in found if e.zh == "晶拓股份")
    assert {"688729.SH", "688729"} <= set(company.aliases)


def test_an_ordinary_word_before_a_weak_suffix_makes_a_phrase_not_a_company(tokenizer):
    text = ["公司供应等离子体刻蚀设备。刻蚀设备的国产化率仍低。晶拓设备签下大单，晶拓设备股价上涨。"]
    found = {e.zh for e in discover(text, tokenizer.is_common, ordinary=lambda stem: stem == "刻蚀")}
    assert "刻蚀设备" not in found and "晶拓设备" in found
    coded = ["刻蚀设备（688001）发布公告。刻蚀设备表示，订单饱满。"]  # a stock code vouches for the name
    assert "刻蚀设备" in {e.zh for e in discover(coded, tokenizer.is_common, ordinary=lambda s: s == "刻蚀")}


def test_two_companies_with_one_stem_stay_two(tokenizer):
    text = [
        "成都澜曜光电科技股份有限公司（下称“澜曜光电”，301596.SZ）发布业绩预告。澜曜光电表示，订单饱满。",
        "车规级芯片厂商杭州澜曜微电子股份有限公司（以下简称“澜曜微”）发布季报。澜曜微表示，需求回暖。",
        "杭州启衡微电子发布新品。启衡微表示，产品将于6月供货。",
    ]
    found = {e.zh: e for e in discover(text, tokenizer.is_common) if e.kind == ORGANISATION}
    lanyao = [e for e in found.values() if "澜曜" in e.zh or any("澜曜" in a for a in e.aliases)]
    assert len(lanyao) == 2 and not any(e.short == "澜曜" for e in lanyao)  # a stem both share names neither
    assert len([e for e in found.values() if "启衡" in e.zh]) == 1  # 启衡微 is 启衡微电子
