"""What the web-app tests share: serving the app on a free port, a headless Chromium, and a page driver.

The screenshots in README/docs are made by the same driver (`python -m tests.ui_support docs`), so the
pictures show what the browser tests check.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INJECTION = "<script>alert(1)</script>"
MARKDOWN_LINK = "[点击这里](http://example.com)"
IMG_INJECTION = "<img src=x onerror=alert(2)>"
TIMEOUT_MS = 30_000
BOT = "#chat [data-testid=bot]"
USER = "#chat [data-testid=user]"
# The two sizes issue 13 was tried at: a laptop and a phone (iPhone 12–15 in CSS pixels).
DESKTOP = (1400, 900)
PHONE = (390, 844)
LANGUAGE_LABELS = {"zh": "中文", "en": "English"}


def boxes_overlap(a: dict | None, b: dict | None) -> bool:
    """True when two bounding boxes (Playwright's x, y, width, height) share any area."""
    if not a or not b:
        return False
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def stop(proc, wait_s: float = 20) -> None:
    """Stop a server process the tests started: politely, then for good."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(bot, **app_options) -> Iterator[tuple[str, object]]:
    """(url, Blocks) of the app over `bot` on a free loopback port, in this process (the loaded model is
    reused)."""
    from assistant.web import page, server
    from assistant.web.options import ServeOptions

    demo = page.build_app(bot, **app_options)
    port = free_port()
    server.launch(demo, ServeOptions(port=port), block=False)
    try:
        yield f"http://127.0.0.1:{port}", demo
    finally:
        demo.close()


class GatedAssistant:
    """The real assistant, except that questions wait at a gate the test opens: holds the queue still."""

    def __init__(self, bot):
        self._bot = bot
        self.entered = threading.Event()
        self.gate = threading.Event()

    def __getattr__(self, name):
        return getattr(self._bot, name)

    def ask(self, question, history=None):
        self.entered.set()
        self.gate.wait(60)
        return self._bot.ask(question, history=history)


def write_injection_corpus(root: Path) -> Path:
    """A one-article corpus whose text carries a script tag, an event-handler tag and a markdown link."""
    articles = root / "articles"
    articles.mkdir(parents=True)
    (articles / "inject.txt").write_text(
        "测试公司募资公告\n\n时间:2025-01-01\n\n"
        f"测试公司宣布募资 10 亿元,用于 {INJECTION} 芯片研发,详见 {MARKDOWN_LINK} 的说明。\n\n"
        f"{IMG_INJECTION} 测试公司的估值约 50 亿元。\n",
        encoding="utf-8",
    )
    return root


def join(client, url: str, api: str, *data) -> tuple[int, str]:
    """Queue one call of a named endpoint (Gradio's REST API): (HTTP status, event id or the refusal)."""
    r = client.post(f"{url}/gradio_api/call/{api}", json={"data": list(data)}, timeout=60)
    return r.status_code, (r.json().get("event_id") if r.status_code == 200 else r.json().get("detail", ""))


def result(client, url: str, api: str, event_id: str) -> tuple[str, object]:
    """Wait for a queued call: ("complete" or "error", its data)."""
    import json

    with client.stream("GET", f"{url}/gradio_api/call/{api}/{event_id}", timeout=120) as stream:
        event = None
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                return event, json.loads(line.split(":", 1)[1])
    return "error", None


def call(client, url: str, api: str, *data) -> tuple[str, object]:
    status, event_id = join(client, url, api, *data)
    return result(client, url, api, event_id) if status == 200 else ("refused", (status, event_id))


class Browser:
    """Headless Debian Chromium through Playwright; records every request that leaves the app."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

    def page(
        self, url: str, width: int = 1400, height: int = 1000, locale: str = "zh-CN", scheme: str = "light"
    ) -> AppPage:
        """A new page (a new session, its own localStorage). A browser that asks for Chinese in the light
        scheme unless told otherwise: a new page opens in the language the browser asks for first."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, color_scheme=scheme
        )
        return AppPage(context.new_page(), url)

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


class AppPage:
    """The app as a user sees it: type, click, read."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.outside: list[str] = []  # requests to anywhere but the app
        self.dialogs: list[str] = []  # alert()s: there must never be one
        page.on("request", self._request)
        page.on("dialog", self._dialog)
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.wait_for_selector("#question textarea")

    def _request(self, request) -> None:
        if not request.url.startswith(self.url) and not request.url.startswith(("data:", "blob:")):
            self.outside.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # ---- chat ----
    def ask(self, question: str) -> str:
        """Type a question, press Enter, wait for the reply; returns the reply's text."""
        before = self.page.locator(BOT).count()
        self.page.fill("#question textarea", question)
        self.page.press("#question textarea", "Enter")
        self.page.wait_for_function(f"n => document.querySelectorAll('{BOT}').length > n", arg=before)
        self.page.wait_for_function("() => document.querySelector('#question textarea').value === ''")
        return self.last_reply()

    def cite_links(self, reply: int = -1):
        """The [n] links of one reply (the last by default, 0 for the first)."""
        replies = self.page.locator(BOT)
        return (replies.last if reply == -1 else replies.nth(reply)).locator("a.cite-n")

    def choose_language(self, lang: str) -> None:
        """Use the language switch, as a user does, and wait for the page to follow."""
        self.page.locator("#lang label").filter(has_text=LANGUAGE_LABELS[lang]).click()
        self.page.wait_for_function(
            "lang => document.querySelector('.app-head')?.getAttribute('lang') === lang", arg=lang
        )

    def box(self, selector: str) -> dict | None:
        """Where an element is on the page (its bounding box), None when it is not shown."""
        return self.page.locator(selector).first.bounding_box()

    def add_material(
        self, files=(), text: str = "", title: str = "", source: str = "", published: str = ""
    ) -> None:
        """Fill the Add-material form (files, or pasted text, and the fields) and send it."""
        form = self.page.locator("#add-form form")
        if files:
            form.locator("input[type=file]").set_input_files([str(f) for f in files])
        for name, value in (("text", text), ("title", title), ("source", source), ("published", published)):
            if value:
                form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").click()

    def last_reply(self) -> str:
        return self.page.locator(BOT).last.inner_text()

    def last_question(self) -> str:
        return self.page.locator(USER).last.inner_text()

    def sources(self):
        return self.page.locator("#sources")

    def open_first_source(self) -> str:
        """Click the first source's "read in context"; returns the side panel's text."""
        self.page.locator("#sources a.open-ctx").first.click()
        self.page.wait_for_selector("#viewer .ctx-p.cited", state="visible")
        return self.page.locator("#viewer").inner_text()

    # ---- companies ----
    def tab(self, tab_id: str) -> None:
        self.page.locator(f"#tab-{tab_id}-button").click()
        self.page.wait_for_selector(f"#tab-{tab_id}", state="visible")

    def search_company(self, name: str) -> str:
        """Type a name into the company search, pick the first suggestion; returns the card's heading."""
        self.tab("companies")
        box = self.page.locator("#company-search input")
        box.click()
        box.press("Control+A")
        self.page.keyboard.type(name)
        self.page.locator("[data-testid=dropdown-option]").first.click()
        self.page.wait_for_selector("#company-card h2")
        return self.page.locator("#company-card h2").inner_text()

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        time.sleep(0.3)  # let transitions settle
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.page.close()
        self.page.context.close()


# The README's pictures, made by this driver so that they show what the browser tests check.
SCREENSHOTS = (
    "chat-zh.png",
    "chat-en.png",
    "decline-en.png",
    "phone-zh.png",
    "phone-en.png",
    "company.png",
    "compare.png",
    "compare-phone.png",
    "add.png",
    # the dark scheme (issue 21): the chat in both languages, on a desktop and on a phone
    "chat-zh-dark.png",
    "chat-en-dark.png",
    "phone-zh-dark.png",
    "phone-en-dark.png",
)


def make_screenshots(bot, out_dir: Path, browser: Browser | None = None) -> list[Path]:
    """The README's pictures, at 1400×900 and at 390×844, in both languages (SCREENSHOTS, in order)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    own = browser is None
    browser = browser or Browser()
    try:
        with serve(bot) as (url, _):
            page = browser.page(url, *DESKTOP)
            page.ask("沐曦计划募资多少？")
            page.ask("壁仞和燧原有什么区别？")
            page.cite_links().nth(1).click()
            page.page.wait_for_selector("#sources article.src.focus")
            shots.append(page.screenshot(out_dir / "chat-zh.png"))
            page.close()
            page = browser.page(url, *DESKTOP)
            page.choose_language("en")
            page.ask("What is Enflame's valuation?")
            page.open_first_source()
            shots.append(page.screenshot(out_dir / "chat-en.png"))
            page.close()
            page = browser.page(url, *DESKTOP)
            page.ask("What is Glenfly's valuation?")
            page.page.locator(f"{BOT} details.closest summary").last.click()
            shots.append(page.screenshot(out_dir / "decline-en.png"))
            page.close()
            for lang, question in (("zh", "壁仞和燧原有什么区别？"), ("en", "Who backs Enflame?")):
                page = browser.page(url, *PHONE)
                if lang == "en":
                    page.choose_language("en")
                page.ask(question)
                shots.append(page.screenshot(out_dir / f"phone-{lang}.png", full_page=True))
                page.close()
            page = browser.page(url, 1400, 1100)
            page.search_company("Moore Threads")
            shots.append(page.screenshot(out_dir / "company.png"))
            page.tab("compare")
            shots.append(page.screenshot(out_dir / "compare.png"))
            page.close()
            page = browser.page(url, *PHONE)
            page.tab("compare")
            shots.append(page.screenshot(out_dir / "compare-phone.png"))
            page.close()
            page = browser.page(url, *DESKTOP)
            page.choose_language("en")
            page.tab("add")
            shots.append(page.screenshot(out_dir / "add.png"))
            page.close()
            shots += _dark_screenshots(browser, url, out_dir)
    finally:
        if own:
            browser.close()
    return shots


def _dark_screenshots(browser: Browser, url: str, out_dir: Path) -> list[Path]:
    """The chat in the dark scheme: in Chinese and in English, at 1400×900 (a source focused) and at
    390×844 (the question box at the bottom of the screen)."""
    shots = []
    for lang, question in (("zh", "燧原的估值是多少？"), ("en", "What is Enflame's valuation?")):
        page = browser.page(url, *DESKTOP, scheme="dark")
        if lang == "en":
            page.choose_language("en")
        page.ask(question)
        page.cite_links().first.click()
        page.page.wait_for_selector("#sources article.src.focus")
        shots.append(page.screenshot(out_dir / f"chat-{lang}-dark.png"))
        page.close()
    for lang, question in (("zh", "壁仞和燧原有什么区别？"), ("en", "Who backs Enflame?")):
        page = browser.page(url, *PHONE, scheme="dark")
        if lang == "en":
            page.choose_language("en")
        page.ask(question)
        shots.append(page.screenshot(out_dir / f"phone-{lang}-dark.png"))
        page.close()
    return shots


if __name__ == "__main__":
    from assistant import Assistant

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    for shot in make_screenshots(Assistant.load(), target):
        print(shot)
