"""What survives a reload (issue 21, point 2): the record the browser keeps, read back as untrusted
input, and in a real browser — the chosen language and the conversation come back after a reload, and
a browser that asks for English first sees the English page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from assistant.web.persistence import (
    MAX_KEPT_TURNS,
    MAX_RECORD_BYTES,
    Kept,
    preferred_language,
    read_record,
    record,
)
from assistant.web.session import ChatSession
from tests.ui_support import BOT, CHROMIUM, DESKTOP, PHONE

LIMIT = 500


def session_of(*questions: str, chosen: str = "", cut: tuple[int, ...] = ()) -> ChatSession:
    """A session whose turns are these questions (errors: no answer is needed for the record)."""
    s = ChatSession(language=chosen)
    for i, q in enumerate(questions):
        s = s.with_turn(q, error="x", cut=LIMIT if i in cut else 0)
    return s


# ---- the record ---------------------------------------------------------------------------------
def test_a_record_keeps_the_questions_the_choice_and_the_page_language_and_reads_back():
    s = session_of("沐曦计划募资多少？", "它2024年的营收是多少？", chosen="en", cut=(1,))
    kept = read_record(json.loads(json.dumps(record(s, "en"))), LIMIT)
    assert kept == Kept("en", "en", (("沐曦计划募资多少？", False), ("它2024年的营收是多少？", True)), -1)


def test_the_answer_whose_sources_were_shown_is_kept_by_its_place():
    s = session_of("a?", "b?", "c?")
    s = s.__class__(s.turns, shown=s.turns[1].number, language=s.language, count=s.count)
    assert read_record(record(s, "zh"), LIMIT).shown == 1


def test_a_record_holds_the_newest_questions_that_fit_its_size():
    s = session_of(*[f"{i:03d}" + "问" * (LIMIT - 3) for i in range(MAX_KEPT_TURNS)])
    kept = record(s, "zh")
    assert len(json.dumps(kept)) <= MAX_RECORD_BYTES + 200
    assert 0 < len(kept["turns"]) < MAX_KEPT_TURNS
    assert kept["turns"][-1][0].startswith(f"{MAX_KEPT_TURNS - 1:03d}")  # the newest


@pytest.mark.parametrize(
    "value",
    [None, "text", [], {"v": 2, "turns": [["q", False]]}, {"v": 1, "turns": "q"}, {"v": 1, "turns": [["q"]]}],
)
def test_a_record_that_is_not_one_restores_nothing(value):
    assert read_record(value, LIMIT) == Kept()


def test_each_item_of_a_record_is_checked_and_bounded():
    value = {
        "v": 1,
        "chosen": "fr",
        "page": "<b>",
        "turns": [["问" * (LIMIT * 3), False], [5, False], ["  ", False], ["ok?\x00", "yes"], ["好？", True]]
        + [["q?", False]] * (MAX_KEPT_TURNS * 2),
        "shown": 10**9,
    }
    kept = read_record(value, LIMIT)
    assert kept.chosen == kept.page == "" and kept.shown == -1
    assert len(kept.questions) <= MAX_KEPT_TURNS
    assert all(len(q) <= LIMIT and "\x00" not in q for q, _ in kept.questions)


@pytest.mark.parametrize(
    "header, lang",
    [
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr-FR,en;q=0.5,zh;q=0.7", "zh"),
        ("de-DE,de;q=0.9", ""),
        ("", ""),
        ("en;q=bogus, zh-TW", "zh"),
    ],
)
def test_the_browsers_first_language_of_the_two(header, lang):
    assert preferred_language(header) == lang


# ---- in a browser ---------------------------------------------------------------------------------
def browser_test(fn):
    """A test in Debian's Chromium (slow; skipped without it, as in test_page.py)."""
    fn = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")(fn)
    return pytest.mark.slow(fn)


def _page_lang(page) -> str:
    return page.page.evaluate("() => document.querySelector('.app-head')?.getAttribute('lang')")


def _wait_lang(page, lang: str) -> None:
    page.page.wait_for_function(
        "lang => document.querySelector('.app-head')?.getAttribute('lang') === lang", arg=lang
    )


@browser_test
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("locale, lang", [("en-US", "en"), ("zh-CN", "zh")])
def test_a_new_browser_opens_the_page_in_the_language_it_asks_for(browser, app_url, locale, lang, size):
    page = browser.page(app_url, *(DESKTOP if size == "desktop" else PHONE), locale=locale)
    try:
        _wait_lang(page, lang)
        expect(page.page.locator(f"#examples-{lang}")).to_be_visible()
        assert page.page.evaluate("() => document.documentElement.lang") == lang
    finally:
        page.close()


@browser_test
def test_a_reload_keeps_the_chosen_language_and_the_conversation(browser, app_url):
    page = browser.page(app_url, *DESKTOP, locale="zh-CN")
    try:
        page.choose_language("en")  # chosen: a Chinese question no longer changes it
        page.ask("沐曦计划募资多少？")
        page.ask("它2024年的营收是多少？")  # a follow-up: asked again with its history
        page.cite_links(0).first.click()  # the first answer's sources shown
        expect(page.sources().locator(".src-for")).to_contain_text("沐曦计划募资多少？")
        before = page.page.locator(BOT).all_inner_texts()
        page.page.reload()
        page.page.wait_for_function(f"() => document.querySelectorAll('{BOT}').length === 2")
        _wait_lang(page, "en")
        assert page.page.locator(BOT).all_inner_texts() == before
        assert "沐曦" in before[1]  # the follow-up was answered about the company asked before
        expect(page.sources().locator(".src-for")).to_contain_text("沐曦计划募资多少？")
        page.ask("燧原的估值是多少？")
        assert _page_lang(page) == "en"  # still the reader's choice
    finally:
        page.close()


@browser_test
def test_a_choice_made_on_the_page_beats_the_browsers_language(browser, app_url):
    page = browser.page(app_url, *DESKTOP, locale="en-US")
    try:
        _wait_lang(page, "en")
        page.choose_language("zh")
        page.page.wait_for_timeout(500)  # the record is written after the switch's event
        page.page.reload()
        page.page.wait_for_selector("#question textarea")
        page.page.wait_for_timeout(1000)
        assert _page_lang(page) == "zh"
        page.ask("Who backs Enflame?")
        assert _page_lang(page) == "zh"
    finally:
        page.close()


@browser_test
def test_clear_is_remembered_too(browser, app_url):
    page = browser.page(app_url, *DESKTOP)
    try:
        page.ask("沐曦计划募资多少？")
        page.page.locator("#clear").click()
        page.page.wait_for_function(f"() => !document.querySelector('{BOT}')")
        page.page.wait_for_timeout(500)
        page.page.reload()
        page.page.wait_for_selector("#question textarea")
        page.page.wait_for_timeout(1500)
        expect(page.page.locator(BOT)).to_have_count(0)
    finally:
        page.close()


def test_a_record_keeps_the_latest_questions_a_reload_asks_again():
    s = session_of(*[f"问题{i}？" for i in range(MAX_KEPT_TURNS + 10)])
    turns = record(s, "zh")["turns"]
    assert [q for q, _ in turns] == [f"问题{i}？" for i in range(10, MAX_KEPT_TURNS + 10)]
