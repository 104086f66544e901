"""How the page looks in either colour scheme, and the switch between them (issue 21).

Gradio follows the operating system's scheme: it puts the class `dark` on <body> and its theme's
`*_dark` colours apply. The switch beside the language choice (templates/scheme_switch.html,
static/look.js) overrides that, and this browser remembers the choice in its localStorage under
`SCHEME_KEY`: a preference of the browser, not of a conversation, so the server never sees it.

Every text colour the page sets meets WCAG AA — 4.5:1 against the background it is drawn on — in both
schemes. Gradio's Soft theme draws secondary text in neutral-400 (2.4:1 on its light background) and
links, labels and [n] markers in indigo-500 (4.3:1); `THEME_COLOURS` darkens them on the light scheme
and lightens the accent on the dark one. The page's own colours (the highlighted quote, tags, notices,
warnings) are CSS variables with a light and a dark value (static/look.css). tests/web/test_look.py
measures the contrast from the colours the browser computes, not from these constants.
"""

from __future__ import annotations

from .templating import render_template

# Where this browser keeps the reader's choice of scheme ("dark" or "light"; absent: the system's).
SCHEME_KEY = "gpu-assistant.scheme"

# Theme variables (gr.themes.Base.set) that Gradio's Soft theme draws below 4.5:1. The numbers are
# the measured ratios on the page's backgrounds (neutral-50 light, neutral-900/950 dark), before → after.
THEME_COLOURS = {
    # secondary text (dates, the original under an English line, the header's source line): 2.4 → 7.2
    "body_text_color_subdued": "*neutral_600",
    "body_text_color_subdued_dark": "*neutral_400",
    # [n] markers, "read in context", chips, the selected tab: 4.27 → 6.0 (light), 3.97 → 6.1 (dark)
    # (the theme has no dark accent: look.css sets it, primary-400, on body.dark)
    "color_accent": "*primary_600",
    "link_text_color": "*primary_700",
    "link_text_color_dark": "*primary_300",
    # block labels ("界面语言 · Language", "Example questions"): 3.6 → 6.4
    "block_label_text_color": "*primary_700",
    "block_title_text_color": "*primary_700",
    "block_info_text_color": "*neutral_600",
    # white on the primary button and on the chosen language: 4.47 → 6.3. Gradio draws a disabled
    # primary button (Ask, while the box is empty) in the hover fill, which Soft sets to primary-500
    # in the dark scheme (4.47): both schemes get primary-600 / -700.
    "button_primary_background_fill": "*primary_600",
    "button_primary_background_fill_dark": "*primary_600",
    "button_primary_background_fill_hover": "*primary_700",
    "button_primary_background_fill_hover_dark": "*primary_700",
    "checkbox_label_background_fill_selected": "*primary_600",
    "input_placeholder_color": "*neutral_500",
    "input_placeholder_color_dark": "*neutral_400",
}


def scheme_switch() -> str:
    """The light/dark switch: a button labelled in both languages (the page's shows, as on the
    Add-material form, so a change of language need not redraw it), pressed when the page is dark."""
    return render_template("scheme_switch.html", key=SCHEME_KEY)
