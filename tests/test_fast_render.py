"""The page's HTML comes from templates with autoescape: hostile text in every view is shown, never run."""
import html
import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from assistant.corpus.companies import FIELD_LABELS, CompanyMatch, CompanyProfile, Fact
from assistant.corpus.uploads import UploadedArticle
from assistant.schema import Answer, Citation, Passage
from assistant.web import adding_view, companies_view, sources_view, templating

HOSTILE = ('<script>alert(1)</script> <img src=x onerror=alert(2)> "><i>x</i> \' onclick=alert(4) '
           '[link](javascript:alert(3)) **b** ${1+1} {{x}} {q} {% raw %}')


def views(lang: str) -> dict[str, str]:
    """Every HTML view, each fed the hostile text wherever text from the corpus or a user goes (passage
    ids too: they are made from file names)."""
    pid, doc_id = HOSTILE + "#p1", HOSTILE
    passage = Passage(pid, doc_id, HOSTILE, HOSTILE, HOSTILE, 0, len(HOSTILE), "2025-01-01")
    heading = Passage(HOSTILE + "#p0", doc_id, HOSTILE, HOSTILE, HOSTILE, 0, 1, "2025-01-01", kind="heading")
    neighbour = Passage(HOSTILE + "#p2", doc_id, HOSTILE, HOSTILE + "2", HOSTILE, 0, len(HOSTILE), "2025-01-01")
    cite = Citation(1, pid, doc_id, HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1.0, HOSTILE)
    facts = (Fact("founded", HOSTILE, HOSTILE, pid, year=2020), Fact("revenue", HOSTILE, HOSTILE, pid, 1, 2024),
             Fact("revenue", HOSTILE, HOSTILE, pid, 2, 2024), Fact("revenue", HOSTILE, HOSTILE, pid, 3, 2024))
    profile = CompanyProfile(HOSTILE, HOSTILE, HOSTILE + " en", (HOSTILE + " full",), (HOSTILE + " alias",), (doc_id,),
                             facts)
    match = CompanyMatch(HOSTILE, HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [cite])
    nothing = CompanyMatch(HOSTILE, HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [])
    answered = Answer(HOSTILE, f"{HOSTILE}[1]", False, lang, [cite])
    declined = Answer(HOSTILE, HOSTILE, True, lang, [], [cite])
    doc = {"source": HOSTILE, "author": HOSTILE, "published": HOSTILE, "url": HOSTILE}
    # The same with English renderings (an English page shows them, the original beside them).
    english = dict(text_en=HOSTILE, section_en=HOSTILE, title_en=HOSTILE)
    cite_en = replace(cite, quote_en=HOSTILE, **english)
    passage_en, heading_en = replace(passage, **english), replace(heading, **english)
    doc_en = {**doc, "title_en": HOSTILE, "source_en": HOSTILE, "author_en": HOSTILE, "translated_by": HOSTILE}
    translated = Answer(HOSTILE, f"{HOSTILE}[1]", False, lang, [cite_en])
    upload = UploadedArticle(HOSTILE, HOSTILE, HOSTILE, 1234, 0.0, HOSTILE)
    return {
        "sources, translated, of an earlier answer": sources_view.sources_panel(
            translated, {doc_id: doc_en}, lang, [profile], turn=3, question=HOSTILE, position=(1, 2), focus=1),
        "context, translated": sources_view.context_view(pid, [heading_en, passage_en], doc_en, HOSTILE, lang, HOSTILE),
        "mentions, translated": companies_view.company_mentions(replace(match, passages=[cite_en]), lang),
        "counter": sources_view.counter(lang, 500),
        "add form": adding_view.add_form(True),
        "add form, closed": adding_view.add_form(False),
        "add status": adding_view.add_status(HOSTILE, "error", lang, [HOSTILE]),
        "uploads": adding_view.uploads_list([upload], lang, True),
        "header": sources_view.header(lang, {doc_id: doc}, 1),
        "sources": sources_view.sources_panel(answered, {doc_id: doc}, lang, [profile]),
        "sources, declined": sources_view.sources_panel(declined, {doc_id: doc}, lang, [profile]),
        "sources, empty": sources_view.sources_panel(None, {}, lang),
        "context": sources_view.context_view(pid, [heading, passage, neighbour], doc, HOSTILE, lang),
        "context, missing": sources_view.context_view(pid, [], None, HOSTILE, lang),
        "viewer, empty": sources_view.viewer_empty(lang),
        "card": companies_view.company_card(match, lang, [match]),
        "mentions": companies_view.company_mentions(match, lang),
        "mentions, none": companies_view.company_mentions(nothing, lang),
        "company, empty": companies_view.company_empty(lang),
        "no match": companies_view.no_company(HOSTILE, [profile], lang),
        "table": companies_view.comparison_table([profile, profile], lang),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_is_escaped_in_every_view(lang):
    for name, markup in views(lang).items():
        page = BeautifulSoup(markup, "html.parser")
        assert not page.find_all(["script", "img", "i"]), name  # no tag and no attribute left open
        assert not [a for a in page.find_all("a") if a.get("href") not in ("#", None)], name
        assert not [t for t in page.find_all(True) if any(k.startswith("on") for k in t.attrs)], name
        text = page.get_text()
        if HOSTILE.split()[0] in markup or "&lt;script&gt;" in markup:
            assert "<script>alert(1)</script>" in text, name  # shown as text, not dropped


def test_the_hostile_views_cover_every_template_of_this_module(monkeypatch):
    used = set()
    real = templating.TEMPLATES.get_template

    def spy(name, *args, **kwargs):
        used.add(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(templating.TEMPLATES, "get_template", spy)
    views("en")
    code = "".join((templating.HERE / f"{name}.py").read_text(encoding="utf-8")
                   for name in ("sources_view", "companies_view", "adding_view"))
    named = set(re.findall(r'render_template\("([^"]+)"', code))
    assert named and named <= used


def test_every_template_is_used_somewhere():
    code = "".join(p.read_text(encoding="utf-8") for p in templating.HERE.glob("*.py"))
    templates = sorted((templating.HERE / "templates").glob("*.html"))
    imported = {name for t in templates for name in
                re.findall(r'{%-?\s*(?:from|import|include|extends)\s+"([^"]+)"', t.read_text(encoding="utf-8"))}
    unused = [t.name for t in templates if f'"{t.name}"' not in code and t.name not in imported]
    assert not unused


def test_the_templates_escape_even_when_a_caller_forgets():
    assert templating.TEMPLATES.autoescape is True
    shown = templating.TEMPLATES.from_string("<p>{{ x }}</p>").render(x="<script>")
    assert shown == "<p>&lt;script&gt;</p>"


def test_interface_text_with_braces_in_a_value_is_not_formatted_again():
    page = BeautifulSoup(companies_view.no_company("{q} {0} {{x}}", [], "en"), "html.parser")
    assert "“{q} {0} {{x}}”" in page.get_text()


def test_highlighted_text_is_markup_that_escapes_its_pieces():
    out = templating.marked("a<b>c", [(1, 4)])
    assert str(out) == "a<mark>&lt;b&gt;</mark>c" and html.unescape(re.sub(r"</?mark>", "", out)) == "a<b>c"


def test_styles_and_click_handler_come_from_the_static_files():
    assert templating.CSS == (templating.HERE / "static" / "app.css").read_text(encoding="utf-8")
    assert templating.CLICK_JS == (templating.HERE / "static" / "app.js").read_text(encoding="utf-8")
    assert ".src-panel" in templating.CSS and "trigger('click'" in templating.CLICK_JS


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
    assert [a["data-passage"] for a in card.select("a.cite")] == [f.source for f in
                                                                  sorted(match.profile.facts,
                                                                         key=lambda f: list(FIELD_LABELS).index(f.field))]
    table = BeautifulSoup(companies_view.comparison_table(tiny_bot.companies(), "zh"), "html.parser")
    assert [a["data-company"] for a in table.select("thead a.co")] == ["星河芯片", "云帆智算"]
