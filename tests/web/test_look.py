"""The page's look (issue 21), in Debian's Chromium: every text at WCAG AA contrast in both colour
schemes — computed from the colours the browser computes, as WCAG defines contrast, not from the
stylesheet's constants — the dark-mode switch, <html lang> and the side panel's label in the page's
language, a visible focus ring on the language choice, the question box on a phone after several
answers, and the first click on an older answer's [n]."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistant.web.look import SCHEME_KEY, THEME_COLOURS, scheme_switch
from assistant.web.page_text import t
from tests.ui_support import BOT, CHROMIUM, DESKTOP, PHONE

# WCAG 2.x, 1.4.3 (AA): 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold); 1.4.11: 3:1
# for the parts of a control that show its state (a focus ring).
AA_TEXT, AA_LARGE, AA_NON_TEXT = 4.5, 3.0, 3.0


# ---- without a browser ----------------------------------------------------------------------------
def test_the_switch_is_labelled_in_both_languages_and_names_where_the_choice_is_kept():
    html = scheme_switch()
    assert t("scheme_dark", "zh") in html and t("scheme_dark", "en") in html
    assert f'data-key="{SCHEME_KEY}"' in html and 'aria-pressed="false"' in html


def test_the_theme_colours_name_theme_variables():
    import gradio as gr

    theme = gr.themes.Soft()
    assert all(hasattr(theme, name) for name in THEME_COLOURS)


# ---- contrast, measured ----------------------------------------------------------------------------
# Every element with text of its own under `root`, visible, with its colour, the background colours
# from it up to the first opaque one, its size and weight.
TEXTS_JS = """(root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden' || el.closest('.sr-only')) continue;
    const backgrounds = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      backgrounds.push(bg);
      if (/^rgb\\(/.test(bg)) break;  // opaque
    }
    out.push({what: el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
              text: walker.currentNode.textContent.trim().slice(0, 40), color: style.color,
              backgrounds, size: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10)});
  }
  return out;
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    """A computed colour (Chromium writes rgb(r, g, b) or rgba(r, g, b, a))."""
    m = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css.strip())
    assert m, f"not a colour this test reads: {css}"
    r, g, b, a = m.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def over(top: tuple, below: tuple) -> tuple:
    """`top` composited over an opaque `below`."""
    a = top[3]
    return tuple(top[i] * a + below[i] * (1 - a) for i in range(3)) + (1.0,)


def luminance(c: tuple) -> float:
    """WCAG relative luminance."""

    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def contrast(a: tuple, b: tuple) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_contrast(item: dict) -> float:
    """The contrast of one text: its colour over the backgrounds it is drawn on (white below all)."""
    bg = (255.0, 255.0, 255.0, 1.0)
    for css in reversed(item["backgrounds"]):
        bg = over(rgba(css), bg)
    return contrast(over(rgba(item["color"]), bg), bg)


def required(item: dict) -> float:
    large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
    return AA_LARGE if large else AA_TEXT


def below_aa(page, selector: str) -> list[tuple]:
    """Every text under the selector's elements whose contrast is below AA: (ratio, element, text).
    Measured in the colours things settle on: transitions (a radio's fill fading) are switched off."""
    page.page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    found = []
    for root in page.page.locator(selector).all():
        for item in root.evaluate(TEXTS_JS):
            ratio = text_contrast(item)
            if ratio < required(item):
                found.append(
                    (round(ratio, 2), item["what"], item["text"], item["color"], item["backgrounds"])
                )
    return found


def test_the_contrast_arithmetic_is_wcags():
    assert contrast((0, 0, 0, 1), (255, 255, 255, 1)) == pytest.approx(21)
    assert contrast((156, 163, 175, 1), (249, 250, 251, 1)) == pytest.approx(
        2.43, abs=0.01
    )  # the issue's 2.4
    item = {"color": "rgb(99, 102, 241)", "backgrounds": ["rgb(249, 250, 251)"], "size": 16, "weight": 400}
    assert text_contrast(item) == pytest.approx(4.27, abs=0.01)  # the issue's [n] markers
    assert text_contrast(
        {**item, "backgrounds": ["rgba(0, 0, 0, 0)", "rgb(249, 250, 251)"]}
    ) == pytest.approx(4.27, abs=0.01)


# ---- in a browser ------------------------------------------------------------------------------------
def browser_test(fn):
    """A test in Debian's Chromium (slow; skipped without it, as in test_page.py)."""
    fn = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")(fn)
    return pytest.mark.slow(fn)


@pytest.fixture
def open_page(browser, app_url):
    """A fresh page (a new browser context: its own session and localStorage); closed afterwards."""
    pages = []

    def make(size: str = "desktop", **options):
        p = browser.page(app_url, *(DESKTOP if size == "desktop" else PHONE), **options)
        pages.append(p)
        return p

    yield make
    for p in pages:
        assert not p.dialogs and p.outside == []
        p.close()


def _everything_shown(page) -> None:
    """An answer in each language, a decline with its closest material open, a [n] focused, a
    passage in context: every kind of text the chat, the panel and the viewer draw."""
    page.ask("What is Enflame's valuation?")
    page.ask("寒武纪2024年的营收是多少？")
    page.page.locator(f"{BOT} details.closest summary").last.click()
    page.ask("沐曦计划募资多少？")
    page.cite_links().first.click()
    page.page.wait_for_selector("#sources article.src.focus")
    page.open_first_source()


@browser_test
def test_highlighted_quotes_are_readable_in_the_dark_scheme(open_page):
    page = open_page(scheme="dark")
    assert page.page.evaluate("() => document.body.classList.contains('dark')")
    page.choose_language("en")  # the English sources highlight the translation and the original
    page.ask("What is Enflame's valuation?")
    page.cite_links().first.click()
    page.page.wait_for_selector("#sources article.src.focus")
    page.open_first_source()
    marks = page.page.locator("#sources mark, #viewer mark")
    assert marks.count() >= 3  # the translation, the original, the passage in context
    ratios = [text_contrast(m.evaluate(TEXTS_JS)[0]) for m in marks.all()]
    assert min(ratios) >= AA_TEXT, ratios


@browser_test
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_of_the_page_meets_aa_contrast(open_page, scheme):
    page = open_page(scheme=scheme)
    _everything_shown(page)
    assert below_aa(page, "#head-row, #tabs [role=tablist], #chat, #ask-row, #sources, #viewer") == []
    page.choose_language("en")  # the English page: translations, originals, the header's source line
    assert below_aa(page, "#head-row, #chat, #sources, #examples-en") == []


@browser_test
def test_the_secondary_text_the_issue_measured_is_now_aa(open_page):
    page = open_page()
    page.choose_language("en")
    page.ask("What is Enflame's valuation?")
    for selector in (".app-head .muted", "#sources .src-meta", f"{BOT} .orig", f"{BOT} a.cite-n"):
        item = page.page.locator(selector).first.evaluate(TEXTS_JS)[0]
        assert text_contrast(item) >= AA_TEXT, (selector, item)


# ---- the scheme switch ------------------------------------------------------------------------------
def _dark(page) -> bool:
    return page.page.evaluate("() => document.body.classList.contains('dark')")


@browser_test
@pytest.mark.parametrize("system", ["light", "dark"])
def test_the_page_follows_the_system_until_the_switch_is_used_and_then_remembers(open_page, system):
    page = open_page(scheme=system)
    switch = page.page.locator("#scheme button.scheme-switch")
    assert _dark(page) == (system == "dark")
    expect(switch).to_have_attribute("aria-pressed", str(system == "dark").lower())
    switch.click()
    assert _dark(page) == (system != "dark")
    expect(switch).to_have_attribute("aria-pressed", str(system != "dark").lower())
    background = rgba(
        page.page.evaluate("() => getComputedStyle(document.querySelector('gradio-app')).backgroundColor")
    )
    assert (luminance(background) < 0.05) == (system != "dark")  # the theme's colours follow
    page.page.reload()
    page.page.wait_for_selector("#scheme button.scheme-switch")
    page.page.wait_for_function(
        "dark => document.body.classList.contains('dark') === dark", arg=system != "dark"
    )
    expect(switch).to_have_attribute("aria-pressed", str(system != "dark").lower())


@browser_test
def test_the_switch_is_named_in_the_pages_language(open_page):
    page = open_page()
    switch = page.page.locator("#scheme button.scheme-switch")
    expect(switch).to_have_accessible_name(re.compile(t("scheme_dark", "zh")))
    page.choose_language("en")
    expect(switch).to_have_accessible_name(re.compile(t("scheme_dark", "en")))


# ---- words and focus (point 12) ------------------------------------------------------------------------
@browser_test
def test_the_document_language_and_the_side_panels_toggle_follow_the_page(open_page):
    page = open_page()
    toggle = page.page.locator("#viewer-panel .toggle-button")
    assert page.page.evaluate("() => document.documentElement.lang") == "zh"
    expect(toggle).to_have_attribute("aria-label", "打开原文面板")
    page.choose_language("en")
    page.page.wait_for_function("() => document.documentElement.lang === 'en'")
    expect(toggle).to_have_attribute("aria-label", "Open the source panel")
    page.ask("What is Enflame's valuation?")
    page.open_first_source()
    expect(toggle).to_have_attribute("aria-label", "Close the source panel")


@browser_test
def test_the_language_choice_shows_a_clear_focus_ring(open_page):
    page = open_page()
    page.page.locator("#scheme button.scheme-switch").focus()
    for _ in range(6):  # back from the switch to the language choice, with the keyboard
        page.page.keyboard.press("Shift+Tab")
        if page.page.evaluate("() => !!document.activeElement.closest('#lang')"):
            break
    label = page.page.locator("#lang label:has(input:focus-visible)")
    expect(label).to_have_count(1)
    ring = label.evaluate(
        "e => { const s = getComputedStyle(e); let b = 'rgba(0, 0, 0, 0)';"
        " for (let p = e.parentElement; p; p = p.parentElement) {"
        " b = getComputedStyle(p).backgroundColor; if (/^rgb\\(/.test(b)) break; }"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, b]; }"
    )
    style, width, colour, background = ring
    assert style != "none" and width >= 2
    assert contrast(rgba(colour), rgba(background)) >= AA_NON_TEXT


# ---- the phone (point 3) and the first click on an older [n] (point 5) ---------------------------------
@browser_test
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_question_box_is_on_screen_after_three_answers(open_page, lang):
    page = open_page("phone")
    if lang == "en":
        page.choose_language("en")
    for question in ("壁仞和燧原有什么区别？", "沐曦计划募资多少？", "What is Enflame's valuation?"):
        page.ask(question)
    box = page.box("#question textarea")
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= PHONE[1]
    on_top = page.page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y)?.closest('#question')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top  # not covered by anything
    assert page.page.locator("#sources .html-container").evaluate("e => e.scrollHeight <= e.clientHeight + 1")


@browser_test
@pytest.mark.parametrize("attempt", range(3))
def test_the_first_click_on_an_older_answers_marker_highlights_its_source(open_page, attempt):
    page = open_page()
    page.ask("壁仞和燧原有什么区别？")  # three sources
    page.ask("沐曦计划募资多少？")
    page.cite_links(0).nth(2).click()  # once
    expect(page.sources().locator(".src-for")).to_contain_text("壁仞和燧原有什么区别？")
    expect(page.sources().locator("article.src.focus[data-n='3']")).to_have_count(1)
    assert page.sources().locator("article.src.focus mark").count() >= 1


# ---- the chat (points 6 and 8) ------------------------------------------------------------------------
def _weight(locator) -> int:
    return int(locator.evaluate("e => getComputedStyle(e).fontWeight"))


@browser_test
def test_the_short_answer_is_bold_and_a_quote_is_not(open_page):
    page = open_page()
    page.ask("燧原的估值是多少？")  # a value, then the sentence that states it
    value, quote = page.page.locator(BOT).last.locator(".part").all()[:2]
    assert _weight(value) >= 600 and _weight(quote) < 600
    assert value.bounding_box()["y"] < quote.bounding_box()["y"]
    page.ask("腾讯在燧原占了多少股份?")  # no value of its own: the line that answers is a quote
    direct = page.page.locator(BOT).last.locator(".part.direct")
    expect(direct).to_have_class(re.compile(r"\bquote\b"))
    assert _weight(direct) < 600


@browser_test
def test_the_company_label_stands_apart_from_the_quote(open_page):
    page = open_page()
    page.ask("燧原的估值是多少？")
    line = page.page.locator(BOT).last.locator(".part.support")
    label, text = line.locator(".who"), line.locator(".line-text")
    expect(label).to_have_text("燧原")
    assert not text.inner_text().startswith(("【", "燧原"))
    looks = label.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.backgroundColor, s.fontSize]; }"
    )
    assert looks[0] != "none" and looks[1] != "rgba(0, 0, 0, 0)"
    assert float(looks[2].removesuffix("px")) < float(
        text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )


# ---- the side panel open at 1400 px (point 11) -----------------------------------------------------------
PLACEHOLDER_JS = """ta => {
  const s = getComputedStyle(ta);
  const ruler = document.createElement('canvas').getContext('2d');
  ruler.font = s.font;
  const width = ta.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  const height = ta.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
  const lineHeight = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
  return [Math.ceil(ruler.measureText(ta.placeholder).width / width), Math.round(height / lineHeight)];
}"""


@browser_test
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_the_side_panel_open_the_placeholder_shows_whole_and_the_toggle_covers_nothing(open_page, lang):
    page = open_page()
    if lang == "en":
        page.choose_language("en")
    page.ask("介绍一下摩尔线程" if lang == "zh" else "Tell me about Moore Threads")  # a long passage
    page.open_first_source()
    page.page.wait_for_function(  # the panel has slid in
        "() => Math.abs(document.querySelector('#viewer-panel .sidebar-content')"
        ".getBoundingClientRect().right - window.innerWidth) < 1"
    )
    needed, shown = page.page.locator("#question textarea").evaluate(PLACEHOLDER_JS)
    assert shown >= needed, f"the placeholder needs {needed} line(s), the box shows {shown}"
    content = page.page.locator("#viewer-panel .sidebar-content")
    content.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    toggle, area = page.box("#viewer-panel .toggle-button"), page.box("#viewer-panel .sidebar-content")
    assert toggle["y"] + toggle["height"] <= area["y"]  # the text scrolls below the toggle, never under it


@browser_test
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_tab_then_enter_from_the_question_box_reaches_the_latest_answers_citations(open_page, size):
    page = open_page(size)
    page.ask("壁仞和燧原有什么区别？")
    page.ask("沐曦计划募资多少？")
    page.page.locator("#question textarea").focus()
    page.page.keyboard.press("Tab")
    skip = page.page.locator("#ask-row a.skip-latest")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown while it has the focus
    page.page.keyboard.press("Enter")
    focused = page.page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == page.cite_links().first.get_attribute("href")  # the latest answer's first [n]
    assert focused.startswith("#cite-1-")
