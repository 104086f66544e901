"""Look-ups and yes/no questions (answering/lookup.py): the sentences that hold the asked attribute of
the asked company."""

from __future__ import annotations

from assistant.text import squash


def _direct(answer) -> str:
    return next(p.text for p in answer.parts if p.role == "direct")


def test_who_is_answered_with_the_person_a_title_names(uncurated_bot):
    a = uncurated_bot.ask("Who is the CEO of Lanxin Microelectronics?")
    assert "Kuang Mingzhe" in a.text and not a.abstained


def test_a_revised_plan_answers_with_the_figure_in_force(uncurated_bot):
    assert "不超过18亿元" in _direct(uncurated_bot.ask("岚途科技定增募资多少？"))
    assert "不超过22亿元" in _direct(uncurated_bot.ask("岚途科技定增原计划募资多少？"))
    assert "22亿元" in _direct(uncurated_bot.ask("最开始那版呢？", history=["岚途科技定增募资多少？"]))


def test_an_amount_asked_with_its_growth_comes_with_the_stated_change(uncurated_bot):
    assert "9.6亿元，同比增长35.2%" in _direct(uncurated_bot.ask("岚途科技上半年营收多少？增长了多少？"))
    a = uncurated_bot.ask("What was Lantu Technology's revenue in the first half, and how fast did it grow?")
    assert "RMB 960 million, up 35.2% year on year" in _direct(a)


def test_why_is_answered_with_the_sentence_that_gives_the_reason(uncurated_bot):
    a = uncurated_bot.ask("岚途科技毛利率为啥提升了？")
    assert "得益于高端推理芯片" in a.text and not a.abstained


def _quotes_are_verbatim(answer):
    for c in answer.citations:
        for part in c.quote.split(" "):
            assert squash(part) in squash(c.text), (part, c.text)


def test_chinese_question_gets_a_quoted_cited_answer(bot):
    a = bot.ask("沐曦计划募资多少？")
    assert not a.abstained and a.language == "zh"
    assert "39.04" in a.text and "[1]" in a.text
    c = a.citations[0]
    assert c.n == 1 and c.passage_id.startswith("000_1f36a16a379a5773#p") and c.quote in c.text
    assert c.title and c.section.startswith("沐曦")
    _quotes_are_verbatim(a)


def test_article_metadata_is_answerable(bot):
    a = bot.ask("这篇文章是什么时候发布的？")
    assert not a.abstained and "2025-11-04" in a.text


def test_a_yes_no_question_is_not_answered_yes_against_its_own_sentence(bot):
    a = bot.ask("Is MetaX profitable?")
    assert not a.text.startswith("Yes") and "1.409 billion" in a.text  # the losses, quoted for the reader
    b = bot.ask("Does Biren's BR100 support CXL?")
    assert b.text.startswith("Yes.") and "CXL" in b.text


def test_a_count_asked_in_a_measure_word_is_the_figure_given_in_it(uncurated_bot):
    assert "650万张" in _direct(uncurated_bot.ask("鸿钧电子可转债一共发行多少张？"))


def test_he_in_a_follow_up_is_whoever_holds_the_role_asked_before(uncurated_bot):
    a = uncurated_bot.ask("他被罚了多少？", history=["鸿钧电子的董秘是谁？"])
    assert "60万元" in _direct(a)


def test_an_english_answer_from_an_untranslated_quote_names_the_rating_and_what_it_is(uncurated_bot):
    a = uncurated_bot.ask(
        "Which agency rated Hongjun Electronics' convertible bond, and what rating did it get?"
    )
    assert "AA" in a.text and "credit rating" in a.text.lower()


def test_a_first_question_using_it_as_its_own_subject_is_answered_not_asked_back(uncurated_bot):
    a = uncurated_bot.ask("Is it true that Luo Qiming was fined RMB 3 million?")
    assert "Which company" not in a.text and "3 million" in a.text


def test_a_question_for_a_kind_of_organisation_no_sentence_names_is_declined(uncurated_bot):
    a = uncurated_bot.ask("Which accounting firm audited Hongjun Electronics?")
    assert a.abstained
    rated = uncurated_bot.ask("鸿钧转债的信用评级是哪家机构给的？")
    assert "鹏睿资信评估" in _direct(rated)


def test_a_figure_of_a_person_named_in_its_clause_is_not_the_companys(uncurated_bot):
    assert "1,500万元" in _direct(uncurated_bot.ask("鸿钧电子被罚了多少钱？"))  # not the chairman's 300万


def test_a_figure_asked_for_a_day_no_sentence_speaks_of_is_declined(uncurated_bot):
    a = uncurated_bot.ask("What was Lanxin Microelectronics' closing price on March 20?")
    assert a.abstained
    assert "88.20" in _direct(uncurated_bot.ask("澜芯微电子3月18日收盘价多少？"))


def test_a_rundown_of_a_company_without_a_profile_takes_the_news_after_an_announcements_date(uncurated_bot):
    a = uncurated_bot.ask("Summarise Lantu Technology's news.")
    assert "RMB 2.2 billion" in a.text or "RMB 1.8 billion" in a.text  # the plan's figures, not only its date


def test_a_rundown_of_a_company_without_a_profile_starts_with_its_articles_headline(uncurated_bot):
    from assistant.answering.compose import EN_GLOSSED

    a = uncurated_bot.ask("概括一下澜芯微电子的情况")
    assert a.text.startswith("澜芯微电子完成科创板上市[1]")  # the headline is the news in one line
    b = uncurated_bot.ask("Summarise Lantu Technology's news.")
    assert "岚途科技定增方案调整" in b.parts[0].text
    assert b.text.count(EN_GLOSSED) == 1 and len(b.parts) > 2  # said once, not on every line


def test_a_part_the_quotes_shown_already_answer_is_not_declined_beside_them(uncurated_bot):
    a = uncurated_bot.ask(
        "Which agency rated Hongjun's convertible bond, and what credit rating did it give?"
    )
    assert "AA" in a.text and "says nothing" not in a.text


def test_a_figure_of_a_year_named_once_in_its_sentence(uncurated_bot):
    a = uncurated_bot.ask("瑞升2025年每股纯益是多少？")
    assert a.text.startswith("9.62元")  # not the revenue right after 2025年


def test_a_day_stated_before_its_event_answers_when(uncurated_bot):
    a = uncurated_bot.ask("瑞升什么时候召开股东临时会？")
    assert a.text.startswith("7月21日")  # 于7月21日召开股东临时会, not the 11月2日 of the next clause


def test_the_other_companys_figure_asked_by_its_name_alone(uncurated_bot):
    a = uncurated_bot.ask("华铠的呢？", history=["瑞升2025年每股纯益是多少？"])
    assert a.text.startswith("2.41元")
    b = uncurated_bot.ask("And Huakai's?", history=["What was Ruisheng's 2025 EPS?"])
    assert "2.41" in b.text.splitlines()[0]


def test_why_in_traditional_script_finds_the_stated_purpose(uncurated_bot):
    a = uncurated_bot.ask("What is the strategic logic behind Ruisheng buying Huakai?")
    assert "補足" in " ".join(c.quote for c in a.citations)  # 補足 is the lexicon's 补足


def test_a_figure_named_is_answered_though_a_vaguer_word_of_the_question_is_in_no_sentence(uncurated_bot):
    a = uncurated_bot.ask("At its issue price, what P/E multiple is Lanxin Microelectronics valued at?")
    assert "times" in a.text.splitlines()[0] and not a.abstained


def test_a_share_of_a_figure_the_company_never_states_is_declined(uncurated_bot):
    """The base (营收) is stated, the figure asked (存货) is not: no revenue passes for the answer."""
    a = uncurated_bot.ask("澜芯微电子的存货占营收的比例是多少？")
    assert a.abstained and "存货" in a.text
    b = uncurated_bot.ask("岚途科技研发投入占营业收入的比例是多少？")
    assert not b.abstained and "21.9%" in b.text


def test_a_day_that_names_one_of_two_figures_asked_does_not_decline_the_other(uncurated_bot):
    a = uncurated_bot.ask("Lanxin's issue price vs the March 20 close: what was the gain?")  # (no 3-20 close)
    assert not a.abstained and "42.5" in a.text


def test_a_plan_revised_later_in_the_article_answers_with_the_revision(uncurated_bot):
    now = _direct(uncurated_bot.ask("启云算力打算在哪儿上市？"))
    assert "创业板" in now and "港交所" not in now
    assert "港交所" in _direct(uncurated_bot.ask("启云算力原计划在哪里上市？"))


def test_each_figure_asked_gets_the_clause_that_states_it_not_a_difference(uncurated_bot):
    a = uncurated_bot.ask("启云QY-80显存多大、功耗多少瓦？")
    assert "80GB" in a.text and "400W" in a.text
    assert "16GB" not in _direct(a) and "50W" not in _direct(a)


def test_an_untranslated_quote_is_glossed_for_an_english_reader(uncurated_bot):
    from assistant.answering.compose import EN_GLOSSED

    a = uncurated_bot.ask("What are the memory and power of the QY-80?")
    assert "80GB" in a.text and "400W" in a.text
    assert a.text.count(EN_GLOSSED) == 1 and "memory" in a.text.lower()


def test_a_part_of_the_year_asked_is_that_parts_figure_or_said_missing(uncurated_bot):
    assert "5.2亿元" in uncurated_bot.ask("鸿钧电子一季度营收多少？").parts[0].text
    a = uncurated_bot.ask("鸿钧电子上半年营收多少？")  # the article gives the first quarter's alone
    assert a.abstained and "上半年" in a.parts[0].text
    # the second part of a question asks of the first part's figure and its part of the year
    b = uncurated_bot.ask("鸿钧电子有没有披露上半年营收？大概多少？")
    assert "5.2亿元" not in b.text
