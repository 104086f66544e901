"""The page's example questions, its placeholders and the warm-up questions, made from the loaded
corpus: its companies' names in the message catalog's question forms (page_text.TEXT), so that a
corpus of other articles shows examples about its own companies and no article is named in code."""

from __future__ import annotations

from .page_text import t

# The question forms, each in both languages: a look-up (the first of LOOKUPS the corpus answers), a
# ranking, a comparison (shown as a table) and a question the corpus is unlikely to answer (to show a
# decline with its closest material).
LOOKUPS = ("ex_valuation", "ex_raise", "ex_founded")
FORMS = ("ex_rank", "ex_compare", "ex_unstated")
# Companies tried for the look-up example before settling for the first.
TRIED = 4


def _two(bot) -> tuple:
    """Two companies to ask about: the curated ones first, then those found in the articles."""
    pool = list(bot.companies()) or list(bot.directory.profiles)
    if not pool:
        return None, None
    return pool[0], pool[1] if len(pool) > 1 else pool[0]


def examples(bot) -> dict[str, tuple[str, ...]]:
    """The example questions in each language (build them once per loaded assistant: the first one
    is asked to make sure the corpus answers it)."""
    a, b = _two(bot)
    if a is None:
        return {lang: (t("ex_rank", lang),) for lang in ("zh", "en")}
    form, who = _answered_lookup(bot)
    return {
        lang: (
            t(form, lang, a=who.display(lang)),
            *(t(f, lang, a=a.display(lang), b=b.display(lang)) for f in FORMS),
        )
        for lang in ("zh", "en")
    }


def _answered_lookup(bot):
    """The first look-up form and company the corpus answers (asked once per loaded assistant), so
    the first example never shows a decline."""
    pool = (list(bot.companies()) or list(bot.directory.profiles))[:TRIED]
    return next(
        ((form, p) for p in pool for form in LOOKUPS if not bot.ask(t(form, "zh", a=p.name_zh)).abstained),
        (LOOKUPS[0], pool[0]),
    )


def placeholder(shown: dict[str, tuple[str, ...]], lang: str) -> str:
    """The question box's hint, with the first of the page's example questions (`examples`)."""
    return t("placeholder", lang, example=shown[lang][0])


def search_hint(bot, lang: str) -> str:
    a, _ = _two(bot)
    if a is None:
        return t("search", lang)
    alias = next((n for n in a.aliases if n.isascii()), a.name_en)
    return t("search_placeholder", lang, names=", ".join(dict.fromkeys((a.name_zh, a.name_en, alias))))


def warm_up_questions(bot) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """One question of each kind (and a follow-up, traditional characters, full-width letters) asked
    before the server opens, so that no user pays for one-time work."""
    a, b = _two(bot)
    if a is None:
        return ((t("ex_rank", "zh"), ()),)
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in a.name_en)
    shown = examples(bot)
    return (
        *((q, ()) for q in shown["zh"] + shown["en"]),
        (t("ex_followup", "zh"), (t("ex_founded", "zh", a=a.name_zh),)),
        (t("ex_traditional", "zh", a=a.name_zh), ()),
        (wide, ()),
    )
