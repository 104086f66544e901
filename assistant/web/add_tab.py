"""The Add material tab: the form, what came of an addition, and the articles added from the page.

Its handlers read the form (`adding.read_form`), write the article (`adding.save_form`, which the
corpus checks) and index again through the `LiveAssistant`; each returns its outputs keyed by
component. Adding is refused unless the page allows it (`PageState.adding`), whatever a client sends.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..corpus.new_articles import UploadError
from ..corpus.uploads import list_uploads, remove_upload
from .adding import read_form, save_form, warnings_about
from .adding_view import add_form, add_status, indexed_titles, uploads_list
from .guard import ADD_MATERIAL
from .guarded import guarded
from .page_state import PageState, header_html, indexing
from .page_text import t
from .session import event_text, language_of
from .templating import ADD_JS, UPLOADS_JS


@dataclass(frozen=True)
class AddComponents:
    tab: gr.Tab
    add_form: gr.HTML
    add_status: gr.HTML
    uploads: gr.HTML


def add_layout(state: PageState, lang0: str) -> AddComponents:
    """The tab's components, laid out (inside the page's gr.Tabs)."""
    with gr.Tab(t("tab_add", lang0), id="add", elem_id="tab-add") as tab:
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                form = gr.HTML(add_form(state.adding), elem_id="add-form", js_on_load=ADD_JS)
                status = gr.HTML(add_status("", "", lang0), elem_id="add-status", js_on_load=None)
            with gr.Column(scale=2, min_width=320):
                uploads = gr.HTML(
                    uploads_list(
                        list_uploads(state.corpus_dir), lang0, state.adding, indexed_titles(state.live.bot)
                    ),
                    elem_id="uploads",
                    js_on_load=UPLOADS_JS,
                )
    return AddComponents(tab, form, status, uploads)


class AddTab:
    """Adding and removing articles over the page's state, the tab's components and the header."""

    def __init__(self, state: PageState, header: gr.HTML, ui: AddComponents):
        self.state, self.header, self.ui = state, header, ui

    def listed(self, lang: str) -> str:
        return uploads_list(
            list_uploads(self.state.corpus_dir), lang, self.state.adding, indexed_titles(self.state.live.bot)
        )

    def add_material(self, lang, evt: gr.EventData, progress=gr.Progress()):  # noqa: B008 - how Gradio injects progress
        """An article from the Add-material form: checked, written under corpus/articles/uploads/,
        indexed (the progress bar follows the embedding), and answerable from the next question on."""
        state, ui = self.state, self.ui
        lang = language_of(lang)
        if not state.adding:
            return {ui.add_status: add_status(t("add_login", lang), "error", lang)}
        values = getattr(evt, "_data", None)
        progress(0.02, desc=t("add_saving", lang))
        try:
            form = read_form(values if isinstance(values, dict) else {})
            change = state.live.change(lambda: save_form(state.corpus_dir, form), indexing(progress, lang))
        except UploadError as exc:
            return {ui.add_status: add_status(exc.text(lang), "error", lang)}
        saved, new = change.result, change.bot
        said = warnings_about(change.log, saved)
        if saved.doc_id not in new.index.documents:  # the build left it out: say why, take it out again
            state.live.change(lambda: remove_upload(state.corpus_dir, saved.name))
            return {
                ui.add_status: add_status(t("add_skipped", lang), "error", lang, said),
                ui.uploads: self.listed(lang),
            }
        doc = new.document(saved.doc_id) or {}
        count = len(new.document_passages(saved.doc_id))
        message = t("added", lang, title=doc.get("title") or saved.name, n=count, id=saved.doc_id)
        return {
            ui.add_status: add_status(message, "done", lang, said),
            ui.add_form: add_form(state.adding),
            ui.uploads: self.listed(lang),
            self.header: header_html(new, lang),
        }

    def remove_material(self, lang, evt: gr.EventData, progress=gr.Progress()):  # noqa: B008 - as above
        """An added article taken out of the corpus and the index again."""
        state, ui = self.state, self.ui
        lang = language_of(lang)
        name = event_text(evt, "remove", 200)
        if not state.adding or not name:
            refused = t("add_login", lang) if not state.adding else ""
            return {ui.add_status: add_status(refused, "error", lang)}
        progress(0.02, desc=t("add_indexing", lang))
        try:
            change = state.live.change(
                lambda: remove_upload(state.corpus_dir, name), indexing(progress, lang)
            )
        except UploadError as exc:
            return {ui.add_status: add_status(exc.text(lang), "error", lang), ui.uploads: self.listed(lang)}
        return {
            ui.add_status: add_status(t("removed", lang, name=name), "done", lang),
            ui.uploads: self.listed(lang),
            self.header: header_html(change.bot, lang),
        }

    def relabel(self, lang: str) -> dict:
        return {self.ui.tab: gr.update(label=t("tab_add", lang)), self.ui.uploads: self.listed(lang)}

    def wire(self, lang: gr.Radio) -> None:
        ui = self.ui
        added = [ui.add_status, ui.add_form, ui.uploads, self.header]
        # The one route by which files reach the server (the request guard lets only it carry them).
        ui.add_form.submit(
            guarded(self.add_material, added),
            [lang],
            added,
            api_name=ADD_MATERIAL,
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="corpus",
        )
        removed = [ui.add_status, ui.uploads, self.header]
        ui.uploads.click(
            guarded(self.remove_material, removed),
            [lang],
            removed,
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="corpus",
        )
