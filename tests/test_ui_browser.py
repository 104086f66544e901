"""The web app in a real browser (Debian's Chromium, headless, driven by Playwright).

Each test opens a fresh page (a new session) on one app served from this process over the session's
assistant; skipped only when /usr/bin/chromium is missing (`scripts/install.sh --test` installs it).
"""
from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from assistant import Assistant
from tests.ui_support import (CHROMIUM, IMG_INJECTION, INJECTION, MARKDOWN_LINK, SCREENSHOTS, Browser, GatedAssistant,
                              join, make_screenshots, serve, write_injection_corpus)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="needs Debian's chromium at /usr/bin/chromium (scripts/install.sh --test)")]


@pytest.fixture
def page(browser, app_url):
    p = browser.page(app_url)
    yield p
    assert not p.dialogs, f"a script ran: {p.dialogs}"
    p.close()


# ---- chat -----------------------------------------------------------------------------------------
def test_chinese_question_gets_a_cited_answer_and_a_filled_sources_panel(page):
    reply = page.ask("沐曦计划募资多少？")
    assert "[1]" in reply and "39.04" in reply
    first = page.sources().locator("article.src").first
    assert "[1]" in first.inner_text() and first.locator("mark").count() >= 1
    expect(page.page.locator("#tab-chat-button")).to_have_text("对话")


def test_english_question_gets_a_cited_answer_and_an_english_interface(page):
    reply = page.ask("What is Enflame's valuation?")
    assert "[1]" in reply
    assert page.sources().locator("article.src").count() >= 1
    assert page.sources().locator("h3").inner_text().startswith("Sources")
    expect(page.page.locator("#tab-chat-button")).to_have_text("Chat")
    expect(page.page.locator("#send")).to_have_text("Ask")


def test_follow_up_question_is_answered_about_the_company_asked_before(page):
    page.ask("沐曦是哪一年成立的？")
    reply = page.ask("它2024年的营收是多少？")
    assert "[1]" in reply and "沐曦" in reply
    assert "沐曦" in page.sources().locator(".about").inner_text()


def test_a_question_the_sources_cannot_answer_shows_the_closest_material(page):
    page.ask("寒武纪2024年的营收是多少？")
    assert page.sources().locator("article.src.closest").count() >= 1
    assert "不是答案" in page.sources().locator("h3").inner_text()


def test_a_citation_opens_in_its_document_context(page):
    page.ask("燧原的估值是多少？")
    cited = page.sources().locator("article.src").first.locator(".src-text").inner_text()
    viewer = page.open_first_source()
    assert cited in viewer
    assert page.page.locator("#viewer .ctx-p").count() >= 2  # the paragraphs around it too
    assert page.page.locator("#viewer .ctx-p.cited mark").count() >= 1


def test_example_question_is_asked_with_one_click(page):
    page.page.locator("#examples-zh button").first.click()
    page.page.wait_for_selector("#sources article.src, #sources article.src.closest")
    assert "[1]" in page.last_reply()


def test_clear_empties_the_chat_and_forgets_the_conversation(page, bot):
    first, follow_up = "沐曦是哪一年成立的？", "它2024年的营收是多少？"
    alone = bot.ask(follow_up, history=[]).text
    assert bot.ask(follow_up, history=[first]).text != alone  # otherwise this test could not tell
    page.ask(first)
    page.page.locator("#clear").click()
    page.page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')")
    assert page.sources().locator("article.src").count() == 0
    reply = page.ask(follow_up)
    assert _squash(alone) in _squash(reply)  # (the page may add the answer's notice below it)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_script_typed_by_the_user_is_shown_as_text(page):
    typed = f"hello {INJECTION} {MARKDOWN_LINK} **bold**"
    page.ask(typed)
    assert page.last_question().strip() == typed
    chat = page.page.locator("#chat")
    assert chat.locator("script").count() == 0 and chat.locator("a[href*='example.com']").count() == 0
    assert chat.locator("[data-testid=user] strong").count() == 0


# ---- companies ------------------------------------------------------------------------------------
def test_company_found_by_an_english_alias_shows_its_card_and_the_passages_naming_it(page, bot):
    profile, alias = next((p, a) for p in bot.companies() for a in p.aliases
                          if a.isascii() and a.lower() not in p.name_en.lower())
    heading = page.search_company(alias)
    assert profile.name_zh in heading and profile.name_en in heading
    card = page.page.locator("#company-card")
    assert card.locator("li.fact").count() == len(profile.facts)
    mentions = page.page.locator("#company-mentions article.src")  # passages, not the headings that name it
    body = [c for c in bot.find_company(profile.name_zh)[0].passages if bot.passage(c.passage_id).kind != "heading"]
    assert mentions.count() == len(body) > 0


def test_a_profile_fact_opens_the_passage_it_was_taken_from(page, bot):
    page.search_company("MetaX")
    fact = bot.find_company("MetaX")[0].profile.facts[0]
    page.page.locator(f"#company-card a.cite[data-passage='{fact.source}']").first.click()
    page.page.wait_for_selector("#viewer .ctx-p.cited mark", state="visible")
    assert fact.zh.replace(" ", "") in page.page.locator("#viewer .ctx-p.cited").inner_text().replace(" ", "")


def test_comparison_table_has_every_company_and_every_cell_links_to_its_source(page, bot):
    page.tab("compare")
    table = page.page.locator("#compare table.cmp")
    names = [n.strip() for n in table.locator("thead a.co").all_inner_texts()]
    assert names == [p.name_zh for p in bot.companies()]
    cells = table.locator("tbody td:not(.none)")
    assert cells.count() > len(names)
    for i in range(cells.count()):
        assert cells.nth(i).locator("a.cite").count() >= 1
    link = table.locator("tr[data-field=founded] a.cite").first
    quote = link.get_attribute("data-quote")
    link.click()
    page.page.wait_for_selector("#viewer .ctx-p.cited mark", state="visible")
    assert quote.replace(" ", "") in page.page.locator("#viewer .ctx-p.cited").inner_text().replace(" ", "")


def test_a_company_name_in_the_table_opens_its_profile(page, bot):
    page.tab("compare")
    target = bot.companies()[-1]
    page.page.locator(f"#compare thead a.co[data-company='{target.name_zh}']").click()
    page.page.wait_for_selector("#tab-companies", state="visible")
    page.page.wait_for_function(
        f"() => (document.querySelector('#company-card h2') || {{}}).innerText?.includes('{target.name_zh}')")


# ---- offline and safe ----------------------------------------------------------------------------
def test_the_page_fetches_nothing_from_outside_the_app(page):
    page.ask("Who backs Enflame?")
    page.open_first_source()
    page.search_company("Biren")
    page.tab("compare")
    assert page.outside == []


@pytest.fixture(scope="module")
def injected_url(tmp_path_factory):
    """An app over a corpus whose article text carries markup (script, event handler, markdown link)."""
    root = tmp_path_factory.mktemp("injected")
    bot = Assistant.load(corpus_dir=write_injection_corpus(root / "corpus"), index_dir=root / "index")
    with serve(bot) as (url, _):
        yield url


def test_markup_in_a_source_passage_is_shown_as_text(browser, injected_url):
    page = browser.page(injected_url)
    try:
        page.ask("测试公司宣布募资多少？")  # answered or not, the passage is shown (cited or as closest material)
        panel = page.sources()
        assert INJECTION in panel.inner_text() and MARKDOWN_LINK in panel.inner_text()
        assert panel.locator("script, img").count() == 0
        reply = page.ask("测试公司的估值是多少？")  # the quoted sentence itself starts with an <img> tag
        assert IMG_INJECTION in reply + page.sources().inner_text()
        assert page.page.locator("#chat img[src=x], #sources img[src=x]").count() == 0
        assert not page.dialogs
    finally:
        page.close()


def test_a_full_queue_tells_the_user_the_app_is_busy(browser, bot):
    gated = GatedAssistant(bot)
    with serve(gated, concurrency=1, max_queue=1) as (url, _), httpx.Client() as client:
        page = browser.page(url)
        try:
            assert join(client, url, "ask", "沐曦计划募资多少？")[0] == 200 and gated.entered.wait(30)
            assert join(client, url, "ask", "燧原的估值是多少？")[0] == 200  # the queue is now full
            page.page.fill("#question textarea", "Who backs Enflame?")
            page.page.press("#question textarea", "Enter")
            page.page.wait_for_selector("text=/busy/i", state="visible")
        finally:
            gated.gate.set()
            page.close()


def test_readme_screenshots_are_made_by_this_driver_at_both_sizes_in_both_languages(browser, bot, tmp_path):
    shots = make_screenshots(bot, tmp_path, browser)
    assert [s.name for s in shots] == list(SCREENSHOTS)
    assert all(s.stat().st_size > 20_000 for s in shots)
