"""Companies as the page shows them (web/companies_view.py): search names, card, mentions, table."""

from __future__ import annotations

from bs4 import BeautifulSoup

from assistant.corpus.companies import FIELDS
from assistant.web import companies_view


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


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
    grouped = [
        f for field in FIELDS for f in match.profile.facts_for(field)
    ]  # the card groups facts by field
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
        assert shown == sorted(shown) and shown == every[len(every) - len(shown) :]
        seen += len(shown)
    assert seen


def test_interface_text_with_braces_in_a_value_is_not_formatted_again():
    page = BeautifulSoup(companies_view.no_company("{q} {0} {{x}}", [], "en"), "html.parser")
    assert "“{q} {0} {{x}}”" in page.get_text()
