"""The sources panel beside the chat (web/sources_view.py), from real answers."""

from __future__ import annotations

from bs4 import BeautifulSoup

from assistant.corpus.companies import FIELD_LABELS
from assistant.schema import Answer
from assistant.web import companies_view, page_text, sources_view


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def docs(bot, answer: Answer) -> dict:
    return {c.doc_id: bot.document(c.doc_id) for c in answer.citations + answer.closest}


def test_sources_panel_shows_each_citation_with_title_date_section_and_the_quote_highlighted(bot):
    answer = bot.ask("What is Enflame's valuation?")
    page = soup(sources_view.sources_panel(answer, docs(bot, answer), answer.language))
    cards = page.select("article.src")
    assert len(cards) == len(answer.citations)
    for card, c in zip(cards, answer.citations):
        text = card.get_text(" ")
        assert f"[{c.n}]" in text and c.title in text and c.section in text and c.published[:10] in text
        marks = [m.get_text() for m in card.select("mark")]  # the English quote, and the original's
        assert marks and all(m in c.quote_en or m in c.quote for m in marks)
        assert card.select_one("a.open-ctx")["data-passage"] == c.passage_id


def test_abstention_shows_the_closest_material_marked_as_not_an_answer(bot):
    answer = bot.ask("寒武纪2024年的营收是多少？")
    assert answer.abstained and answer.closest
    page = soup(sources_view.sources_panel(answer, docs(bot, answer), answer.language))
    assert page_text.t("closest", "zh") in page.get_text()
    assert len(page.select("article.src.closest")) == len(answer.closest)


def test_panel_language_follows_the_question(bot):
    zh, en = bot.ask("燧原的估值是多少？"), bot.ask("What is Enflame's valuation?")
    assert page_text.t("read_context", "zh") in sources_view.sources_panel(zh, docs(bot, zh), zh.language)
    assert page_text.t("read_context", "en") in sources_view.sources_panel(en, docs(bot, en), en.language)


def test_views_of_a_real_answer_and_company(tiny_bot):
    a = tiny_bot.ask("星河芯片的估值是多少？")
    docs = {c.doc_id: tiny_bot.document(c.doc_id) for c in a.citations}
    page = BeautifulSoup(sources_view.sources_panel(a, docs, a.language), "html.parser")
    card = page.select_one("article.src")
    assert card.select_one("mark").get_text() in a.citations[0].quote
    assert card.select_one("a.open-ctx")["data-passage"] == a.citations[0].passage_id
    assert "测试日报 · 2025-05-01" in card.select_one(".src-meta").get_text()
    match = tiny_bot.find_company("XHC")[0]
    card = BeautifulSoup(companies_view.company_card(match, "en"), "html.parser")
    assert len(card.select("li.fact")) == len(match.profile.facts)
    assert [a["data-passage"] for a in card.select("a.cite")] == [
        f.source for f in sorted(match.profile.facts, key=lambda f: list(FIELD_LABELS).index(f.field))
    ]
    table = BeautifulSoup(companies_view.comparison_table(tiny_bot.companies(), "zh"), "html.parser")
    assert [a["data-company"] for a in table.select("thead a.co")] == ["星河芯片", "云帆智算"]


def test_the_header_names_the_outlets_as_the_cards_do_and_counts_in_good_english():
    from assistant.web.sources_view import header

    documents = {"a": {"source": "硅星人", "source_en": "PingWest"}}
    assert "Sources: 1 article (PingWest), 6 company profiles." in header("en", documents, 6)
    assert "资料：1 篇文章（硅星人），6 家公司档案。" in header("zh", documents, 6)
    two = {"a": {"source": "财联社"}, "b": {"source": "证券时报"}}
    assert "Sources: 2 articles (证券时报, 财联社), 1 company profile." in header("en", two, 1)
