"""What the web page shows, rendered from real answers and the real profiles (no browser needed)."""
from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.web import chat, companies_view, page_text, sources_view, templating
from assistant.corpus.companies import FIELDS, CompanyMatch, CompanyProfile, Fact
from assistant.schema import Answer, Citation, Passage

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) **b** ${1+1} {{x}}'


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def docs(bot, answer: Answer) -> dict:
    return {c.doc_id: bot.document(c.doc_id) for c in answer.citations + answer.closest}


def test_typed_text_is_shown_exactly_and_never_parsed_as_html():
    shown = chat.user_message(HOSTILE)
    assert not re.search(r"[<>]", shown)   # nothing a browser would read as a tag (the chat renders no markdown)
    assert html.unescape(shown) == HOSTILE  # …and nothing lost: the user sees what they typed


def test_answer_keeps_every_citation_marker_as_a_link(bot):
    answer = bot.ask("沐曦计划募资多少？")
    message = chat.answer_message(0, answer, answer.language, {})
    markers = set(re.findall(r"\[(\d+)\]", answer.text))
    assert markers and markers == set(re.findall(r'href="#cite-0-(\d+)"', message))


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


def test_source_text_with_markup_is_escaped_in_every_view():
    passage = Passage("doc#p1", "doc", HOSTILE, HOSTILE, HOSTILE, 0, len(HOSTILE), "2025-01-01")
    cite = Citation(1, "doc#p1", "doc", HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1.0, "2025-01-01")
    fact = Fact("founded", HOSTILE, HOSTILE, "doc#p1")
    profile = CompanyProfile("x", HOSTILE, HOSTILE, (HOSTILE,), (HOSTILE,), ("doc",), (fact,))
    match = CompanyMatch("x", HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [cite])
    answer = Answer(HOSTILE, f"{HOSTILE}[1]", False, "en", [cite])
    views = {
        "sources": sources_view.sources_panel(answer, {"doc": {"source": HOSTILE}}, "en", [profile]),
        "context": sources_view.context_view("doc#p1", [passage], {"source": HOSTILE, "url": HOSTILE}, HOSTILE, "en"),
        "card": companies_view.company_card(match, "en", [match]),
        "mentions": companies_view.company_mentions(match, "en"),
        "table": companies_view.comparison_table([profile], "en"),
        "no match": companies_view.no_company(HOSTILE, [profile], "en"),
    }
    for name, markup in views.items():
        page = soup(markup)
        assert not page.find_all(["script", "img"]), name
        assert not [a for a in page.find_all("a") if a.get("href") not in ("#", None)], name
        assert "<script>alert(1)</script>" in page.get_text(), name  # shown, not dropped


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="测试公司募资亿元<>&\"' abc。,", min_size=1, max_size=20), min_size=1, max_size=5),
       st.data())
def test_highlighting_never_changes_the_text(sentences, data):
    text = "".join(s + "。" for s in sentences)
    quote = " ".join(data.draw(st.lists(st.sampled_from(sentences), max_size=3)))
    shown = templating.marked(text, templating.quote_spans(text, quote))
    assert html.unescape(re.sub(r"</?mark>", "", shown)) == text


def test_a_quote_of_several_sentences_highlights_each_of_them():
    text = "第一句讲募资。第二句讲别的。第三句讲估值。"
    spans = templating.quote_spans(text, "第一句讲募资。 第三句讲估值。")
    assert [text[s:e] for s, e in spans] == ["第一句讲募资。", "第三句讲估值。"]


def test_search_suggestions_cover_every_name_and_alias(bot):
    values = {value for _, value in companies_view.name_choices(bot.companies())}
    for p in bot.companies():
        assert set(p.names) <= values
    for label, value in companies_view.name_choices(bot.companies()):
        owner = next(p for p in bot.companies() if value in p.names)
        assert owner.name_zh in label and owner.name_en in label


def test_company_card_shows_every_fact_in_both_languages_with_its_source(bot):
    match = bot.find_company("Moore Threads")[0]
    page = soup(companies_view.company_card(match, "en"))
    facts = page.select("li.fact")
    grouped = [f for field in FIELDS for f in match.profile.facts_for(field)]  # the card groups facts by field
    assert len(facts) == len(match.profile.facts) == len(grouped)
    for li, fact in zip(facts, grouped):
        assert fact.en in li.get_text() and fact.zh in li.get_text()
        source = li.select_one("a.cite")["data-passage"]
        assert source == fact.source and bot.passage(source) is not None


def test_mentions_list_every_passage_naming_the_company(bot):
    match = bot.find_company("MetaX")[0]
    page = soup(companies_view.company_mentions(match, "zh"))
    ids = [a["data-passage"] for a in page.select("a.open-ctx")]
    assert ids == [c.passage_id for c in match.passages] and ids
    names = [n.lower() for n in match.profile.names]
    bold = [b.get_text().lower() for b in page.select(".src-text b")]
    assert bold and all(any(n in b for n in names) for b in bold)


def test_comparison_table_has_a_column_per_company_and_links_every_cell_to_a_passage_holding_it(bot):
    profiles = bot.companies()
    page = soup(companies_view.comparison_table(profiles, "zh"))
    assert [a["data-company"] for a in page.select("thead a.co")] == [p.name_zh for p in profiles]
    linked = 0
    for cell in page.select("tbody td"):
        if "none" in (cell.get("class") or []):
            continue
        links = cell.select("a.cite")
        assert links
        for a in links:
            passage = bot.passage(a["data-passage"])
            assert passage is not None and a["data-quote"].replace(" ", "") in passage.text.replace(" ", "")
            linked += 1
    assert linked >= len(profiles)


def test_comparison_shows_the_latest_year_of_a_yearly_figure(bot):
    for p in bot.companies():
        yearly = [f for f in p.facts_for("revenue") if f.year is not None]
        if yearly:
            shown = companies_view.cell(p, "revenue").facts
            assert shown and {f.year for f in shown} == {max(f.year for f in yearly)}


def test_comparison_lists_the_latest_listing_steps_in_date_order(bot):
    seen = 0
    for p in bot.companies():
        every = sorted(d for d in map(companies_view.fact_date, p.facts_for("listing")) if d)
        shown = [d for d in map(companies_view.fact_date, companies_view.cell(p, "listing").facts) if d]
        assert shown == sorted(shown) and shown == every[len(every) - len(shown):]
        seen += len(shown)
    assert seen
