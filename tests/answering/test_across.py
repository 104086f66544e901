"""Answers across companies (answering/across.py): comparisons, "which companies …" lists, rankings said."""


def test_profiles_are_searchable_records_and_answers_cite_the_article(bot):
    a = bot.ask("Which company was founded in 2019 and is headquartered in Shanghai?")
    assert not a.abstained and ("Biren" in a.text or "壁仞" in a.text)
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_which_companies_questions_list_every_company_with_the_fact(bot):
    a = bot.ask("Which companies have filed a prospectus?")
    assert "MetaX" in a.text and "Moore Threads" in a.text and "Biren" not in a.text
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_comparison_across_companies_comes_from_cited_profile_facts(bot):
    a = bot.ask("哪家公司成立得最早？")
    assert not a.abstained and a.text.count("燧原") >= 1
    assert "燧原成立于 2018 年" in a.citations[0].quote
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_an_english_ranking_question_is_answered_in_english_from_the_facts(tiny_bot):
    a = tiny_bot.ask("Which company was founded earliest?")
    assert a.language == "en" and a.text.startswith("Xinghe Chips") and "2018" in a.text


def test_two_products_compared_each_get_their_own_specifications(uncurated_bot):
    a = uncurated_bot.ask("对比一下QY-80和QX-70这两款卡。")
    assert "400 TFLOPS" in a.text and "320 TFLOPS" in a.text


def test_a_set_named_by_how_many_compares_the_principal_companies_of_its_article(uncurated_bot):
    a = uncurated_bot.ask("对比一下这三家初创企业的融资轮次和投后估值")
    names = [uncurated_bot.directory.by_id[c].name_zh for c in a.companies]
    # the investor named twice and the listed company named once are not among the three
    assert names == ["北辰半导体", "岳川微电子", "霁光智能"], names
    quoted = " ".join(p.text for p in a.parts)
    assert all(v in quoted for v in ("投后估值30亿元", "投后估值52亿元", "投后估值9亿元")), quoted
