"""Misspelt domain words in English questions: "invetory" is inventory, "reveune" revenue.

People type fast; a domain word one slip away from the glossary's English would otherwise match
nothing, and the question would be answered from whatever else it says (the revenue, for an
inventory question). A word is respelt only when it is no English word of the general dictionary,
no word of the glossary, and exactly one glossary word lies within a slip or two of it — and
never inside a company's name (the resolver has read names already).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable

# Words shorter than this are left alone: a slip in "capx" or "rev" could be many words.
MIN_LETTERS = 5
# Slips allowed (a letter missing, extra, changed, or two swapped): one up to this length, two above.
ONE_SLIP_UP_TO = 8
_WORD = re.compile(r"[A-Za-z]+")


def glossary_words(english_forms: Iterable[str]) -> frozenset[str]:
    """The single words of the glossary's English forms that are long enough to respell to."""
    return frozenset(
        w for form in english_forms for w in _WORD.findall(form.lower()) if len(w) >= MIN_LETTERS
    )


def respelled(
    text: str, vocabulary: frozenset[str], is_word: Container[str], in_name: Callable[[str], bool]
) -> str:
    """`text` with each misspelt glossary word written as the glossary writes it."""
    misses = [
        m
        for m in _WORD.finditer(text)
        if len(m.group(0)) >= MIN_LETTERS
        and (w := m.group(0).lower()) not in vocabulary
        and not _a_word(w, is_word)
        and not in_name(m.group(0))
    ]
    if not misses:
        return text
    from rapidfuzz.distance import DamerauLevenshtein  # only for a word no table knows

    for m in reversed(misses):
        word = m.group(0).lower()
        slips = 1 if len(word) <= ONE_SLIP_UP_TO else 2
        near = sorted(
            (DamerauLevenshtein.distance(word, v, score_cutoff=slips), v)
            for v in vocabulary
            if abs(len(v) - len(word)) <= slips
        )
        near = [(d, v) for d, v in near if d <= slips]
        if near and (len(near) == 1 or near[0][0] < near[1][0]):  # one nearest, or none
            text = text[: m.start()] + near[0][1] + text[m.end() :]
    return text


def _a_word(word: str, is_word: Container[str]) -> bool:
    """A word of the dictionary, or an inflection of one (hosts, jumped, priced, committed, companies):
    the general word list has the stems."""
    stems = [word]
    for suffix, endings in _INFLECTIONS:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            stems.extend(stem + e for e in endings)
            if len(stem) > 2 and stem[-1] == stem[-2]:  # committed → commit, stopping → stop
                stems.append(stem[:-1])
    return any(s in is_word for s in stems if len(s) >= 3)


# An ending and what may stand in its place in the stem: jumped → jump, priced → price, stopped → stop.
_INFLECTIONS = (
    ("s", ("",)),
    ("es", ("",)),
    ("ies", ("y",)),
    ("ed", ("", "e")),
    ("ied", ("y",)),
    ("ing", ("", "e")),
    ("ly", ("",)),
    ("er", ("", "e")),
)
