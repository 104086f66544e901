"""The page's HTML comes from templates with autoescape (web/templating.py): hostile text in every
view is shown, never run."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus.companies import CompanyMatch, CompanyProfile, Fact
from assistant.corpus.uploads import UploadedArticle
from assistant.schema import Answer, Citation, Passage
from assistant.web import adding_view, companies_view, sources_view, templating

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> \"><i>x</i> ' onclick=alert(4) "
    "[link](javascript:alert(3)) **b** ${1+1} {{x}} {q} {% raw %}"
)


def views(lang: str) -> dict[str, str]:
    """Every HTML view, each fed the hostile text wherever text from the corpus or a user goes (passage
    ids too: they are made from file names)."""
    pid, doc_id = HOSTILE + "#p1", HOSTILE
    passage = Passage(pid, doc_id, HOSTILE, HOSTILE, HOSTILE, 0, len(HOSTILE), "2025-01-01")
    heading = Passage(HOSTILE + "#p0", doc_id, HOSTILE, HOSTILE, HOSTILE, 0, 1, "2025-01-01", kind="heading")
    neighbour = Passage(
        HOSTILE + "#p2", doc_id, HOSTILE, HOSTILE + "2", HOSTILE, 0, len(HOSTILE), "2025-01-01"
    )
    cite = Citation(1, pid, doc_id, HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1.0, HOSTILE)
    facts = (
        Fact("founded", HOSTILE, HOSTILE, pid, year=2020),
        Fact("revenue", HOSTILE, HOSTILE, pid, 1, 2024),
        Fact("revenue", HOSTILE, HOSTILE, pid, 2, 2024),
        Fact("revenue", HOSTILE, HOSTILE, pid, 3, 2024),
    )
    profile = CompanyProfile(
        HOSTILE, HOSTILE, HOSTILE + " en", (HOSTILE + " full",), (HOSTILE + " alias",), (doc_id,), facts
    )
    match = CompanyMatch(HOSTILE, HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [cite])
    nothing = CompanyMatch(HOSTILE, HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [])
    answered = Answer(HOSTILE, f"{HOSTILE}[1]", False, lang, [cite])
    declined = Answer(HOSTILE, HOSTILE, True, lang, [], [cite])
    doc = {"source": HOSTILE, "author": HOSTILE, "published": HOSTILE, "url": HOSTILE}
    # The same with English renderings (an English page shows them, the original beside them).
    english = dict(text_en=HOSTILE, section_en=HOSTILE, title_en=HOSTILE)
    cite_en = replace(cite, quote_en=HOSTILE, **english)
    passage_en, heading_en = replace(passage, **english), replace(heading, **english)
    doc_en = {
        **doc,
        "title_en": HOSTILE,
        "source_en": HOSTILE,
        "author_en": HOSTILE,
        "translated_by": HOSTILE,
    }
    translated = Answer(HOSTILE, f"{HOSTILE}[1]", False, lang, [cite_en])
    upload = UploadedArticle(HOSTILE, HOSTILE, HOSTILE, 1234, 0.0, HOSTILE)
    return {
        "sources, translated, of an earlier answer": sources_view.sources_panel(
            translated, {doc_id: doc_en}, lang, [profile], turn=3, question=HOSTILE, position=(1, 2), focus=1
        ),
        "context, translated": sources_view.context_view(
            pid, [heading_en, passage_en], doc_en, HOSTILE, lang, HOSTILE
        ),
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
    code = "".join(
        (templating.HERE / f"{name}.py").read_text(encoding="utf-8")
        for name in ("sources_view", "companies_view", "adding_view")
    )
    named = set(re.findall(r'render_template\("([^"]+)"', code))
    assert named and named <= used


def test_every_template_is_used_somewhere():
    code = "".join(p.read_text(encoding="utf-8") for p in templating.HERE.glob("*.py"))
    templates = sorted((templating.HERE / "templates").glob("*.html"))
    imported = {
        name
        for t in templates
        for name in re.findall(
            r'{%-?\s*(?:from|import|include|extends)\s+"([^"]+)"', t.read_text(encoding="utf-8")
        )
    }
    unused = [t.name for t in templates if f'"{t.name}"' not in code and t.name not in imported]
    assert not unused


def test_the_templates_escape_even_when_a_caller_forgets():
    assert templating.TEMPLATES.autoescape is True
    shown = templating.TEMPLATES.from_string("<p>{{ x }}</p>").render(x="<script>")
    assert shown == "<p>&lt;script&gt;</p>"


def test_highlighted_text_is_markup_that_escapes_its_pieces():
    out = templating.marked("a<b>c", [(1, 4)])
    assert str(out) == "a<mark>&lt;b&gt;</mark>c" and html.unescape(re.sub(r"</?mark>", "", out)) == "a<b>c"


def test_styles_and_click_handler_come_from_the_static_files():
    static = templating.HERE / "static"
    assert templating.CSS == "\n".join(
        (static / name).read_text(encoding="utf-8") for name in ("app.css", "look.css")
    )  # look.css (both colour schemes, issue 21) after app.css, whose rules it may override
    assert templating.CLICK_JS == (templating.HERE / "static" / "app.js").read_text(encoding="utf-8")
    assert ".src-panel" in templating.CSS and "trigger('click'" in templating.CLICK_JS


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def test_source_text_with_markup_is_escaped_in_every_view():
    passage = Passage("doc#p1", "doc", HOSTILE, HOSTILE, HOSTILE, 0, len(HOSTILE), "2025-01-01")
    cite = Citation(1, "doc#p1", "doc", HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1.0, "2025-01-01")
    fact = Fact("founded", HOSTILE, HOSTILE, "doc#p1")
    profile = CompanyProfile("x", HOSTILE, HOSTILE, (HOSTILE,), (HOSTILE,), ("doc",), (fact,))
    match = CompanyMatch("x", HOSTILE, HOSTILE, [HOSTILE], 1.0, profile, [cite])
    answer = Answer(HOSTILE, f"{HOSTILE}[1]", False, "en", [cite])
    views = {
        "sources": sources_view.sources_panel(answer, {"doc": {"source": HOSTILE}}, "en", [profile]),
        "context": sources_view.context_view(
            "doc#p1", [passage], {"source": HOSTILE, "url": HOSTILE}, HOSTILE, "en"
        ),
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
@given(
    st.lists(
        st.text(alphabet="测试公司募资亿元<>&\"' abc。,", min_size=1, max_size=20), min_size=1, max_size=5
    ),
    st.data(),
)
def test_highlighting_never_changes_the_text(sentences, data):
    text = "".join(s + "。" for s in sentences)
    quote = " ".join(data.draw(st.lists(st.sampled_from(sentences), max_size=3)))
    shown = templating.marked(text, templating.quote_spans(text, quote))
    assert html.unescape(re.sub(r"</?mark>", "", shown)) == text


def test_a_quote_of_several_sentences_highlights_each_of_them():
    text = "第一句讲募资。第二句讲别的。第三句讲估值。"
    spans = templating.quote_spans(text, "第一句讲募资。 第三句讲估值。")
    assert [text[s:e] for s, e in spans] == ["第一句讲募资。", "第三句讲估值。"]
