"""The page in a real browser (Debian's Chromium, headless, driven by Playwright), at 1400×900 and
390×844 (issue 13): citations, sources, layouts, language, long questions, adding articles.

Each test opens a fresh page (a new session) on an app served from this process over the session's
assistant; skipped only when /usr/bin/chromium is missing (`scripts/install.sh --test` installs it)."""

from __future__ import annotations

import base64
import json
import shutil

import httpx
import pytest
from playwright.sync_api import expect

from assistant import Assistant
from assistant.web.guard import ADD_MATERIAL
from tests.conftest import CORPUS
from tests.ui_support import (
    BOT,
    CHROMIUM,
    DESKTOP,
    IMG_INJECTION,
    INJECTION,
    MARKDOWN_LINK,
    PHONE,
    SCREENSHOTS,
    GatedAssistant,
    boxes_overlap,
    join,
    make_screenshots,
    serve,
    write_injection_corpus,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (scripts/install.sh --test)",
    ),
]


SIZES = {"desktop": DESKTOP, "phone": PHONE}
# An addition or removal indexes the corpus again (only the new texts are embedded): seconds on 2 cores.
INDEXING_MS = 90_000


def queue_call(url: str, fn_index: int, data: list, event_data: dict) -> dict:
    """One event through Gradio's queue as the page sends it; its completed message."""
    with httpx.Client(timeout=120) as client:
        r = client.post(
            f"{url}/gradio_api/queue/join",
            json={"data": data, "fn_index": fn_index, "session_hash": "probe", "event_data": event_data},
        )
        assert r.status_code == 200, r.text
        with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": "probe"}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                    return json.loads(line[5:])
    raise AssertionError("the event never completed")


@pytest.fixture
def open_page(browser, app_url):
    """A fresh page (a new session) at a size; checked afterwards: no script ran, nothing fetched outside."""
    pages = []

    def make(size: str = "desktop", url: str | None = None):
        width, height = SIZES[size]
        p = browser.page(url or app_url, width, height)
        pages.append(p)
        return p

    yield make
    for p in pages:
        assert not p.dialogs, f"a script ran: {p.dialogs}"
        assert p.outside == [], f"requests outside the app: {p.outside}"
        p.close()


# ---- 1. citations that work in the chat -------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_each_marker_in_the_chat_is_a_link_named_after_its_source(open_page, bot, size):
    page = open_page(size)
    page.ask("沐曦计划募资多少？")
    answer = bot.ask("沐曦计划募资多少？")
    link = page.page.get_by_role("link", name=f"[1] {answer.citations[0].title}")
    expect(link.first).to_be_visible()  # the value first and the quote under it both cite [1]
    assert link.count() == answer.text.count("[1]")
    expect(link.first).to_have_css("cursor", "pointer")


def test_clicking_a_marker_scrolls_the_panel_to_its_source_and_highlights_the_quote(open_page):
    page = open_page("desktop")
    page.ask("介绍一下摩尔线程")  # five sources: the last is below the panel's fold
    links = page.cite_links()
    last = links.count()
    assert last >= 4
    links.nth(last - 1).click()
    card = page.page.locator("#sources article.src.focus")
    expect(card).to_have_count(1)
    assert card.get_attribute("data-n") == str(last)
    assert card.locator("mark").count() >= 1
    expect(card).to_be_in_viewport()
    expect(card).to_be_focused()


def test_a_marker_is_reached_and_followed_with_the_keyboard(open_page):
    page = open_page("desktop")
    page.ask("壁仞和燧原有什么区别？")
    page.page.locator("#question textarea").focus()
    for _ in range(60):  # Shift+Tab back from the question box into the chat
        page.page.keyboard.press("Shift+Tab")
        if page.page.evaluate("() => document.activeElement.matches('#chat a.cite-n')"):
            break
    focused = page.page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("#cite-")
    page.page.keyboard.press("Enter")
    n = focused.rsplit("-", 1)[1]
    expect(page.page.locator(f"#sources article.src.focus[data-n='{n}']")).to_have_count(1)


def test_on_a_phone_a_marker_opens_its_source_in_context(open_page):
    page = open_page("phone")
    page.ask("燧原的估值是多少？")
    page.cite_links().first.click()
    cited = page.page.locator("#viewer .ctx-p.cited")
    expect(cited).to_be_visible()
    expect(cited).to_be_in_viewport()  # the panel opens on the cited paragraph, not above it
    assert cited.locator("mark").count() >= 1


# ---- 2. sources belong to their answer --------------------------------------------------------------------
def test_an_earlier_answers_marker_shows_that_answers_sources_and_names_its_question(open_page, bot):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    page.ask("燧原的估值是多少？")
    expect(page.sources().locator(".src-for")).to_contain_text("燧原的估值是多少？")
    page.cite_links(0).first.click()
    expect(page.sources().locator(".src-for")).to_contain_text("沐曦计划募资多少？")
    first = bot.ask("沐曦计划募资多少？")
    assert page.sources().locator("article.src").count() == len(first.citations)
    expect(page.sources().locator("article.src").first).to_have_attribute(
        "title", first.citations[0].passage_id
    )


def test_clicking_an_earlier_answer_shows_its_sources(open_page):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    page.ask("What is Enflame's valuation?")
    page.page.locator(BOT).first.locator(".part").first.click(position={"x": 5, "y": 5})
    expect(page.sources().locator(".src-for")).to_contain_text("沐曦计划募资多少？")


def test_moving_the_focus_onto_an_earlier_marker_shows_its_answers_sources(open_page):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    page.ask("燧原的估值是多少？")
    page.cite_links(0).first.focus()
    expect(page.sources().locator(".src-for")).to_contain_text("沐曦计划募资多少？")


def test_passage_ids_are_tooltips_not_text_on_the_cards(open_page, bot):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    pid = bot.ask("沐曦计划募资多少？").citations[0].passage_id
    assert pid not in page.sources().inner_text()
    expect(page.sources().locator("article.src").first).to_have_attribute("title", pid)


# ---- 3. structured answers --------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["壁仞和燧原有什么区别？", "Compare Biren and Enflame"])
@pytest.mark.parametrize("size", SIZES)
def test_a_comparison_is_a_small_table_with_a_cited_cell_per_company(open_page, question, size):
    page = open_page(size)
    page.ask(question)
    rows = page.page.locator(BOT).last.locator("table.cmp-chat tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        assert rows.nth(i).locator("td a.cite-n").count() >= 1
    assert page.page.evaluate("() => document.documentElement.scrollWidth") <= SIZES[size][0]


def test_the_direct_answer_comes_first_and_visibly_so(open_page):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    first = page.page.locator(BOT).last.locator(".part").first
    expect(first).to_have_class("part direct")
    assert int(first.evaluate("e => getComputedStyle(e).fontWeight")) >= 600


def test_a_ranking_lists_the_other_companies_as_a_list(open_page):
    page = open_page("desktop")
    page.ask("哪家公司成立得最早？")
    reply = page.page.locator(BOT).last
    expect(reply.locator(".part.direct")).to_have_count(1)
    assert reply.locator("ul.parts > li").count() >= 2


@pytest.mark.parametrize("size", SIZES)
def test_an_english_line_shows_the_english_first_and_the_original_labelled_below(open_page, size):
    page = open_page(size)
    page.ask("What is Enflame's valuation?")
    line = page.page.locator(BOT).last.locator(".part").filter(has=page.page.locator(".orig")).first
    english, original = line.locator(".line-text"), line.locator(".orig")
    assert "original:" not in english.inner_text() and "valuation" in english.inner_text()
    expect(original).to_contain_text("original")
    assert english.bounding_box()["y"] < original.bounding_box()["y"]
    assert float(original.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) < float(
        english.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )


# ---- 4. declines show their closest material inline -------------------------------------------------------
@pytest.mark.parametrize(
    "question, tag",
    [("寒武纪2024年的营收是多少？", "不是答案"), ("What is Glenfly's valuation?", "not an answer")],
)
@pytest.mark.parametrize("size", SIZES)
def test_a_decline_shows_its_closest_material_inline_collapsed_and_marked(
    open_page, bot, question, tag, size
):
    page = open_page(size)
    page.ask(question)
    details = page.page.locator(BOT).last.locator("details.closest")
    expect(details).to_have_count(1)
    expect(details).not_to_have_attribute("open", "")
    expect(details.locator("summary")).to_contain_text(tag)
    details.locator("summary").click()
    items = details.locator("ol.near li")
    closest = bot.ask(question).closest
    assert items.count() == len(closest) > 0
    for c in closest:
        assert bot.passage(c.passage_id).kind != "heading"


def test_a_closest_passage_opens_in_the_panel_from_the_chat(open_page):
    page = open_page("desktop")
    page.ask("寒武纪2024年的营收是多少？")
    reply = page.page.locator(BOT).last
    reply.locator("details.closest summary").click()
    reply.locator("ol.near a.cite-n").nth(1).click()
    expect(page.sources().locator("article.src.closest.focus[data-n='2']")).to_have_count(1)


# ---- 5. a phone layout ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_header_wraps_cleanly_above_the_language_switch(open_page, lang):
    page = open_page("phone")
    if lang == "en":
        page.choose_language("en")
    head, switch = page.box("#app-head"), page.box("#lang")
    assert not boxes_overlap(head, switch)
    assert head["width"] >= 0.8 * PHONE[0]  # the page's width, not a narrow column
    title = page.page.locator(".app-head h1")
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth")
    tagline = page.page.locator(".app-head p").first
    assert tagline.bounding_box()["height"] < 6 * 24  # a few lines, not a word a line


def test_on_a_phone_the_sources_come_right_under_the_answer(open_page):
    page = open_page("phone")
    page.ask("沐曦计划募资多少？")
    # at the end of the page, where the question box (which sticks to the screen's bottom) is in its place
    page.page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    chat, sources = page.box("#chat"), page.box("#sources")
    ask, examples = page.box("#ask-row"), page.box("#examples-zh")
    assert chat["y"] + chat["height"] <= sources["y"] + 1
    assert sources["y"] < ask["y"] < examples["y"]


def test_on_a_phone_the_comparison_is_one_card_per_company(open_page, bot):
    page = open_page("phone")
    page.tab("compare")
    cards = page.page.locator("#compare .cmp-card")
    expect(cards).to_have_count(len(bot.companies()))
    expect(cards.first).to_be_visible()
    expect(page.page.locator("#compare table.cmp")).to_be_hidden()
    assert cards.first.locator("a.cite").count() >= 1
    assert page.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_nothing_overlaps_and_nothing_runs_off_the_side(open_page, lang):
    page = open_page("phone")
    if lang == "en":
        page.choose_language("en")
    page.ask("沐曦计划募资多少？" if lang == "zh" else "Who backs Enflame?")
    assert page.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]
    toggle = page.box("#viewer-panel .toggle-button")
    for part in ("#chat", "#sources", "#ask-row", "#tabs [role=tablist]"):
        assert not boxes_overlap(toggle, page.box(part)), part


def test_the_side_panels_toggle_says_what_it_opens(open_page):
    page = open_page("desktop")
    toggle = page.page.locator("#viewer-panel .toggle-button")
    assert toggle.inner_text().strip() or toggle.evaluate(
        "e => getComputedStyle(e, '::after').content"
    ) not in ("none", "normal", '""')
    expect(toggle).to_have_attribute("aria-label", "打开原文面板")  # in the page's language (issue 21)


# ---- 6. the language choice is the user's -----------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_an_explicit_choice_of_english_survives_a_chinese_question_and_example(open_page, size):
    page = open_page(size)
    page.choose_language("en")
    page.ask("沐曦计划募资多少？")
    expect(page.page.locator("#tab-chat-button")).to_have_text("Chat")
    expect(page.sources().locator("h3")).to_contain_text("Sources")
    page.page.locator("#examples-en button").first.click()
    page.page.wait_for_function(f"() => document.querySelectorAll('{BOT}').length >= 2")
    expect(page.page.locator("#tab-chat-button")).to_have_text("Chat")


def test_an_explicit_choice_of_chinese_survives_an_english_question(open_page):
    page = open_page("desktop")
    page.choose_language("en")
    page.choose_language("zh")
    page.ask("Who backs Enflame?")
    expect(page.page.locator("#tab-chat-button")).to_have_text("对话")


def test_without_a_choice_the_page_follows_the_questions_language(open_page):
    page = open_page("desktop")
    page.ask("Who backs Enflame?")
    expect(page.page.locator("#tab-chat-button")).to_have_text("Chat")
    page.ask("沐曦计划募资多少？")
    expect(page.page.locator("#tab-chat-button")).to_have_text("对话")


def test_example_questions_follow_the_interface_language(open_page):
    page = open_page("desktop")
    zh, en = page.page.locator("#examples-zh"), page.page.locator("#examples-en")
    expect(zh).to_be_visible() and expect(en).to_be_hidden()
    assert all(not q.isascii() for q in zh.locator("button").all_inner_texts())
    page.choose_language("en")
    expect(en).to_be_visible()
    expect(zh).to_be_hidden()
    assert all(q.isascii() for q in en.locator("button").all_inner_texts())


# ---- 7. long questions ------------------------------------------------------------------------------------
def test_the_counter_shows_near_the_limit_and_warns_past_it(open_page, bot):
    page = open_page("desktop")
    limit = bot.settings.max_question_chars
    counter = page.page.locator("#counter .counter")
    page.page.fill("#question textarea", "沐" * 10)
    expect(counter).to_have_text("")
    page.page.fill("#question textarea", "沐" * (limit - 20))
    expect(counter).to_contain_text(f"{limit - 20} / {limit}")
    page.page.fill("#question textarea", "沐" * (limit + 100))
    expect(counter).to_have_class("counter over")
    expect(counter).to_contain_text(f"{limit + 100} / {limit}")


@pytest.mark.parametrize("size", SIZES)
def test_a_long_question_is_sent_whole_and_the_answer_says_it_was_cut(open_page, bot, size):
    page = open_page(size)
    limit = bot.settings.max_question_chars
    question = "沐曦计划募资多少？" + "请详细说明。" * 100
    page.page.fill("#question textarea", question)
    assert len(page.page.locator("#question textarea").input_value()) == len(question)  # not cut by the box
    page.page.press("#question textarea", "Enter")
    notice = page.page.locator(f"{BOT} .notice.cut")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(str(limit))


# ---- smaller points ---------------------------------------------------------------------------------------
def test_the_chat_has_no_floating_label(open_page):
    page = open_page("desktop")
    page.ask("沐曦计划募资多少？")
    expect(page.page.locator("#chat [data-testid=block-label]")).to_have_count(0)


def test_a_near_miss_in_the_company_search_is_suggested_while_typing(open_page):
    page = open_page("desktop")
    page.tab("companies")
    box = page.page.locator("#company-search input")
    box.click()
    page.page.keyboard.type("Moor Threads", delay=30)
    option = page.page.locator("[data-testid=dropdown-option]").first
    expect(option).to_contain_text("摩尔线程")
    option.click()
    expect(page.page.locator("#company-card h2")).to_contain_text("摩尔线程")


def test_the_mentions_list_counts_passages_not_headings(open_page, bot):
    page = open_page("desktop")
    page.search_company("Moore Threads")
    match = bot.find_company("Moore Threads")[0]
    body = [c for c in match.passages if bot.passage(c.passage_id).kind == "body"]
    assert len(body) < len(match.passages)  # otherwise this test could not tell
    expect(page.page.locator("#company-mentions article.src")).to_have_count(len(body))
    expect(page.page.locator("#company-mentions h4")).to_contain_text(str(len(body)))


# ---- issue 11, point 7: an English page shows the English renderings, marked as translations --------------
def test_on_an_english_page_sources_show_the_translation_with_the_original(open_page, bot):
    page = open_page("desktop")
    page.ask("What is Enflame's valuation?")
    c = bot.ask("What is Enflame's valuation?").citations[0]
    card = page.sources().locator("article.src").first
    expect(card.locator(".src-title")).to_have_text(c.title_en)
    expect(card.locator(".src-title-orig")).to_have_text(c.title)
    expect(card.locator(".src-section")).to_contain_text(c.section_en)
    expect(card.locator(".src-text")).to_contain_text(c.text_en[:30])
    expect(card.locator(".tr-note")).to_contain_text("English translation")
    expect(card.locator(".orig-text")).to_contain_text(c.text[:20])


def test_on_an_english_page_the_context_view_is_the_translation_with_the_original(open_page, bot):
    page = open_page("desktop")
    page.ask("What is Enflame's valuation?")
    viewer = page.open_first_source()
    doc = bot.document(bot.ask("What is Enflame's valuation?").citations[0].doc_id)
    assert doc["title_en"] in viewer and "English translation" in viewer
    expect(page.page.locator("#viewer .ctx-p.cited mark").first).to_be_visible()
    assert page.page.locator("#viewer .orig-text").count() >= 1


def test_on_an_english_page_company_mentions_are_in_english_with_the_original(open_page, bot):
    page = open_page("desktop")
    page.choose_language("en")
    page.search_company("Enflame")
    first = page.page.locator("#company-mentions article.src").first
    expect(first.locator(".src-text")).to_have_attribute("lang", "en")
    expect(first.locator(".orig-text")).to_contain_text("English translation")


# ---- 8. adding material from the page ---------------------------------------------------------------------
ARTICLE = (
    "海川微电子完成新一轮融资\n"
    "海川微电子成立于 2019 年，总部位于苏州，专注于车载 GPU。\n"
    "最新一轮融资后，海川微电子的估值约为 60 亿元。\n"
)
TRANSLATION = (
    "HaiChuan Microelectronics closes a new funding round\n"
    "HaiChuan Microelectronics was founded in 2019, is headquartered in Suzhou and focuses on "
    "automotive GPUs.\n"
    "After its latest funding round, HaiChuan Microelectronics is valued at about RMB 6 billion.\n"
)


@pytest.fixture(scope="module")
def adding_app(tmp_path_factory, index_dir):
    """An app over a private copy of the built-in corpus (the session's embedding cache seeded, so an
    addition embeds only its own texts)."""
    root = tmp_path_factory.mktemp("adding")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(index_dir / "cache", root / "index" / "cache")
    bot = Assistant.load(corpus_dir=corpus, index_dir=root / "index")
    with serve(bot) as (url, demo):
        yield url, corpus


@pytest.fixture
def add_page(open_page, adding_app):
    url, corpus = adding_app

    def make(size: str = "desktop"):
        page = open_page(size, url)
        page.tab("add")
        return page

    return make


@pytest.mark.parametrize("size", SIZES)
def test_an_uploaded_article_with_its_translation_is_answered_at_once_and_can_be_removed(
    add_page, adding_app, tmp_path, size
):
    _, corpus = adding_app
    page = add_page(size)
    name = f"haichuan-{size}"
    (tmp_path / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / f"{name}.en.txt").write_text(TRANSLATION, encoding="utf-8")
    page.add_material(
        files=[tmp_path / f"{name}.txt", tmp_path / f"{name}.en.txt"],
        title="海川微电子完成新一轮融资",
        source="测试日报",
        published="2025-12-01",
    )
    expect(page.page.get_by_role("progressbar").first).to_be_attached()  # the index is being updated
    expect(page.page.locator("#add-status .add-status.done")).to_contain_text(
        f"uploads/{name}", timeout=INDEXING_MS
    )
    assert (corpus / "articles" / "uploads" / f"{name}.txt").read_text(encoding="utf-8") == ARTICLE
    item = page.page.locator(f"#uploads .upload[data-name='{name}']")
    expect(item).to_contain_text(f"{name}.en.txt")  # with its translation
    page.tab("chat")
    page.ask("What is HaiChuan's valuation?")  # in English: the translation answers, the original beside it
    card = page.sources().locator("article.src").first
    expect(card.locator(".src-title")).to_contain_text("海川微电子完成新一轮融资")
    expect(card.locator(".src-text")).to_contain_text("HaiChuan")
    page.tab("add")
    item.locator("button.remove").click()
    item.locator("button.remove").click()  # asked once more on the button itself
    expect(page.page.locator("#add-status .add-status.done")).to_contain_text(name, timeout=INDEXING_MS)
    expect(item).to_have_count(0)
    assert not (corpus / "articles" / "uploads" / f"{name}.txt").exists()
    page.tab("chat")
    page.ask("海川微电子的估值是多少？")
    assert not [t for t in page.sources().locator("article.src").all_inner_texts() if "海川" in t]


def test_pasted_text_is_added_and_its_markup_shown_as_text(add_page, adding_app):
    _, corpus = adding_app
    page = add_page()
    text = f"星耀芯片发布公告\n星耀芯片宣布，公司的估值约为 90 亿元，{INJECTION} 用于研发。\n"
    page.add_material(text=text, title=f"星耀芯片 {INJECTION}")
    expect(page.page.locator("#add-status .add-status.done")).to_be_visible(timeout=INDEXING_MS)
    item = page.page.locator("#uploads .upload").filter(has_text=INJECTION)
    expect(item).to_have_count(1)
    page.tab("chat")
    page.ask("星耀芯片的估值是多少？")
    assert INJECTION in page.sources().inner_text()
    assert page.page.locator("#sources script, #uploads script").count() == 0
    page.tab("add")
    item.locator("button.remove").click()
    item.locator("button.remove").click()
    expect(item).to_have_count(0, timeout=INDEXING_MS)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"%PDF-1.4 ...", "not a type the corpus reads"),
        ("gbk.txt", "国产GPU报告".encode("gbk"), "not UTF-8"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_file_the_corpus_cannot_use_gets_a_clear_message_and_the_form_keeps_its_input(
    add_page, adding_app, tmp_path, name, content, message
):
    _, corpus = adding_app
    page = add_page()
    page.choose_language("en")
    (tmp_path / name).write_bytes(content)
    page.add_material(files=[tmp_path / name], title="Kept title")
    expect(page.page.locator("#add-status .add-status.error")).to_contain_text(message)
    expect(page.page.locator("#add-form input[name=title]")).to_have_value("Kept title")
    assert (
        not list((corpus / "articles" / "uploads").glob("*.pdf"))
        and not (corpus / "articles" / "uploads" / "gbk.txt").exists()
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_sent(add_page, tmp_path):
    page = add_page()
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2**20 + 1))
    page.add_material(files=[big])
    expect(page.page.locator("#add-form .add-local")).to_contain_text("1 MB")


def test_adding_is_refused_when_the_app_is_open_beyond_this_machine_without_a_login(browser, bot, tmp_path):
    with serve(bot, adding=False) as (url, demo):
        page = browser.page(url)
        try:
            page.tab("add")
            expect(page.page.locator("#add-form .notice")).to_contain_text("ASSISTANT_AUTH")
            expect(page.page.locator("#add-form form")).to_have_count(0)
        finally:
            page.close()
        # …and the server refuses the event whatever a client sends (nothing is written).
        uploads = tmp_path / "before.txt"
        uploads.write_text(
            "\n".join(sorted(p.name for p in (CORPUS / "articles").rglob("*"))), encoding="utf-8"
        )
        add = next(fn._id for fn in demo.fns.values() if fn.api_name == ADD_MATERIAL)
        article = {"files": [{"name": "x.txt", "data": base64.b64encode(ARTICLE.encode()).decode()}]}
        done = queue_call(url, add, ["en"], article)
        assert "ASSISTANT_AUTH" in json.dumps(done["output"]["data"][0])
        assert uploads.read_text(encoding="utf-8") == "\n".join(
            sorted(p.name for p in (CORPUS / "articles").rglob("*"))
        )


@pytest.fixture
def page(open_page):
    """A fresh page at the desktop size, checked afterwards as every page of `open_page` is."""
    return open_page()


# ---- chat -------------------------------------------------------------------------------------------------
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


# ---- companies --------------------------------------------------------------------------------------------
def test_company_found_by_an_english_alias_shows_its_card_and_the_passages_naming_it(page, bot):
    profile, alias = next(
        (p, a)
        for p in bot.companies()
        for a in p.aliases
        if a.isascii() and a.lower() not in p.name_en.lower()
    )
    heading = page.search_company(alias)
    assert profile.name_zh in heading and profile.name_en in heading
    card = page.page.locator("#company-card")
    assert card.locator("li.fact").count() == len(profile.facts)
    mentions = page.page.locator("#company-mentions article.src")  # passages, not the headings that name it
    body = [
        c
        for c in bot.find_company(profile.name_zh)[0].passages
        if bot.passage(c.passage_id).kind != "heading"
    ]
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
        f"() => (document.querySelector('#company-card h2') || {{}}).innerText?.includes('{target.name_zh}')"
    )


# ---- offline and safe -------------------------------------------------------------------------------------
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
        page.ask(
            "测试公司宣布募资多少？"
        )  # answered or not, the passage is shown (cited or as closest material)
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
            assert join(client, url, "chat", "沐曦计划募资多少？")[0] == 200 and gated.entered.wait(30)
            assert join(client, url, "chat", "燧原的估值是多少？")[0] == 200  # the queue is now full
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
