"""Text normalisation, language detection and sentence splitting shared by ingest, retrieval and answers.

One normal form everywhere (NFKC, lower case, simplified Chinese) so that full-width Latin,
traditional characters and stray spacing match the corpus the same way at build and query time.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# C0/C1 controls and lone surrogates become spaces: NULs break C tokenizers and a lone surrogate
# cannot be encoded as UTF-8 at all (the model's C engine gets bytes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Terminal colour codes and other escape sequences pasted along with a question (ESC [ 3 1 m).
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")
# Invisible format characters (zero-width spaces, BOMs, bidi overrides, soft hyphens) split words unseen.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A sentence ends at one of these, plus any closing quotes or brackets that follow it.
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』)）\"']*|\n+")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    """Traditional → simplified converter, built once per process (it loads dictionaries)."""
    try:
        import opencc
    except ImportError:  # optional: without it traditional text is matched as is
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    conv = _t2s()
    return conv.convert(text) if conv is not None and _CJK.search(text) else text


def clean_input(text: str) -> str:
    """Drop NULs, control and invisible characters (they break C tokenizers) and fold runs of spaces."""
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", _ANSI.sub("", text or "")))
    return _WS.sub(" ", text).strip()


def prepare_question(text: str) -> str:
    """The form every stage of answering sees: cleaned, NFKC (full-width Latin → ASCII) and simplified
    Chinese, so 摩爾線程的營收 is embedded, segmented and matched like 摩尔线程的营收. Case is kept:
    capitalisation is how an English question marks a name."""
    return to_simplified(unicodedata.normalize("NFKC", clean_input(text)))


def normalize(text: str) -> str:
    """The form used for matching: NFKC, simplified Chinese, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def squash(text: str) -> str:
    """Normal form with all whitespace removed (how evaluation compares strings)."""
    return _WS.sub("", normalize(text))


def detect_language(text: str) -> str:
    """'zh' or 'en': a Chinese word is about two characters, so compare half the CJK count with Latin words."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_WORD.findall(unicodedata.normalize("NFKC", text)))
    if cjk == 0:
        return "en"
    return "zh" if cjk / 2 >= latin else "en"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`, end-punctuation included, surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add_span(text, pos, m.end(), spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))


HISTORY_TURNS = 10  # a follow-up refers back a few turns, not a whole session


def history_turns(history, max_chars: int) -> list[str]:
    """The last few earlier user turns, oldest first, each cleaned and cut like a question.

    Callers (the UI, JSON clients) pass what they have: None, one string, a list holding None or
    numbers, thousands of turns. Anything that is not text is ignored rather than refused.
    """
    if history is None:
        return []
    if isinstance(history, str):
        history = [history]
    try:
        turns = list(history)[-HISTORY_TURNS * 4 :]
    except TypeError:  # not iterable
        return []
    cleaned = [prepare_question(t[: max_chars * 2])[:max_chars] for t in turns if isinstance(t, str)]
    return [t for t in cleaned if t][-HISTORY_TURNS:]
