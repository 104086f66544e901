"""The Companies tab: a search box over every name and alias, the chosen company's profile and mentions.

Its handlers look the typed name up in the live assistant and hand the match to `companies_view`;
each returns its outputs keyed by component.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import gradio as gr

from ..text import clean_input
from .companies_view import (
    company_card,
    company_empty,
    company_mentions,
    name_choices,
    near_choice,
    no_company,
)
from .examples import search_hint
from .guarded import guarded
from .page_state import PageState, not_headings
from .page_text import t
from .session import language_of, text_input
from .templating import CLICK_JS

# A company search is a name: the longest name or alias in the built-in profiles is 24 characters.
MAX_COMPANY_QUERY_CHARS = 100


@dataclass(frozen=True)
class CompaniesComponents:
    tab: gr.Tab
    company_box: gr.Dropdown
    card: gr.HTML
    mentions: gr.HTML


def companies_layout(bot, lang0: str) -> CompaniesComponents:
    """The tab's components, laid out (inside the page's gr.Tabs)."""
    with gr.Tab(t("tab_companies", lang0), id="companies", elem_id="tab-companies") as tab:
        company_box = gr.Dropdown(
            choices=name_choices(bot.companies()),
            value=None,
            allow_custom_value=True,
            filterable=True,
            label=t("search", lang0),
            info=search_hint(bot, lang0),
            elem_id="company-search",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                card = gr.HTML(company_empty(lang0), elem_id="company-card", js_on_load=CLICK_JS)
            with gr.Column(scale=2, min_width=320):
                mentions = gr.HTML("", elem_id="company-mentions", js_on_load=CLICK_JS, max_height=720)
    return CompaniesComponents(tab, company_box, card, mentions)


class CompaniesTab:
    """The company search's handlers over the page's state and the tab's components."""

    def __init__(self, state: PageState, ui: CompaniesComponents):
        self.state, self.ui = state, ui

    def company_view(self, query, lang):
        """The profile of the company a name means and the passages that name it."""
        bot, ui = self.state.live.bot, self.ui
        lang = language_of(lang)
        query = clean_input(text_input(query, MAX_COMPANY_QUERY_CHARS))
        if not query:
            return {ui.card: company_empty(lang), ui.mentions: ""}
        matches = bot.find_company(query)
        if not matches:
            return {ui.card: no_company(query, bot.companies(), lang), ui.mentions: ""}
        first = matches[0]
        first = replace(first, passages=not_headings(bot, first.passages))  # the passages that name it
        return {ui.card: company_card(first, lang, matches[1:4]), ui.mentions: company_mentions(first, lang)}

    def suggest(self, lang, evt: gr.KeyUpData):
        """Names as the user types: a near miss ("Moor Threads") is offered the company it is close to."""
        bot = self.state.live.bot
        typed = clean_input(text_input(getattr(evt, "input_value", ""), MAX_COMPANY_QUERY_CHARS))
        choices = name_choices(bot.companies())
        if len(typed) < 3 or any(typed.lower() in label.lower() for label, _ in choices):
            return gr.skip()  # the box's own filter finds it (new choices would undo its filtering)
        near = [near_choice(typed, m.profile) for m in bot.find_company(typed)[:3]]
        return gr.update(choices=near + choices) if near else gr.skip()

    def relabel(self, bot, lang: str, query) -> dict:
        """The tab's words, and the company shown, in the page's language."""
        ui = self.ui
        return {
            ui.tab: gr.update(label=t("tab_companies", lang)),
            ui.company_box: gr.update(label=t("search", lang), info=search_hint(bot, lang)),
            **self.company_view(query, lang),
        }

    def wire(self, lang: gr.Radio) -> None:
        ui = self.ui
        shown = [ui.card, ui.mentions]
        ui.company_box.change(
            guarded(self.company_view, shown),
            [ui.company_box, lang],
            shown,
            api_name="company",
            api_visibility="undocumented",
        )
        # One key at a time, in order: the last suggestion is the one for what is in the box.
        ui.company_box.key_up(
            guarded(self.suggest, [ui.company_box]),
            [lang],
            [ui.company_box],
            api_visibility="private",
            show_progress="hidden",
            trigger_mode="multiple",
            concurrency_limit=1,
            concurrency_id="suggest",
        )
