"""Text normalisation, language detection and sentence splitting shared by ingest, retrieval and answers.

One normal form everywhere (NFKC, lower case, simplified Chinese) so that full-width Latin,
traditional characters and stray spacing match the corpus the same way at build and query time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import islice

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# The one rule for characters no text needs, applied wherever text comes in (a question, history,
# an event from the page, an article file): each becomes a space, so offsets into a text keep their
# meaning. C0/C1 controls except tab and line ends (NULs break C tokenizers); lone surrogates (they
# cannot be encoded as UTF-8: the JSON encoder that sends a chat back and the model's C engine both
# refuse them); and Unicode's 66 non-characters (U+FDD0–U+FDEF and the last two code points of every
# plane, "not for interchange": only a broken or hostile sender produces them).
_NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(rf"\U{p:04x}fffe\U{p:04x}ffff" for p in range(17))
CONTROL = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# Terminal colour codes and other escape sequences pasted along with a question (ESC [ 3 1 m).
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")
# Invisible format characters (zero-width spaces, BOMs, bidi overrides, soft hyphens) split words unseen.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A sentence ends at one of these, plus any closing quotes or brackets that follow it.
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』)）\"']*|\n+")
_WS = re.compile(r"\s+")
# A model number as reporting writes one: QH-960, XL-2000, S90, T20, RTX4060 (letters then two or more
# digits).
# Number formats and interfaces (FP16, BF16, INT8, HBM3, GDDR6, PCIe5) are specifications, not products.
MODEL_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?!(?i:fp|bf|tf|int|uint|hbm|gddr|lpddr|ddr|pcie|usb)\d)"
    r"[A-Za-z]{1,6}-?\d{2,}[A-Za-z]*(?![A-Za-z0-9])"
)


def model_numbers(text: str) -> set[str]:
    """The model numbers a text names, squashed (QH-960 → qh960): how two texts' products are compared."""
    return {squash(m) for m in MODEL_NUMBER.findall(text)}


# A financing round as reporting and questions name it: A轮 / B+轮 / Pre-IPO轮 / 天使轮, "Series C",
# "a B round", "Series A+"; funding_rounds() reads each as one key (A, B+, PRE-IPO, ANGEL).
_ROUND = re.compile(
    r"(?<![A-Za-z])((?i:pre-?ipo)|[A-Ea-e]\+?)\s*轮|(天使)轮|(?i:series)\s+([A-Ea-e]\+?)(?![A-Za-z])"
    r"|(?<![A-Za-z])([A-E]\+?)[- ](?i:round)|((?i:pre-?ipo))[- ](?i:round)|((?i:angel))[- ](?i:round)"
)


def funding_rounds(text: str) -> set[str]:
    """The financing rounds a text names, as keys ("A", "B+", "PRE-IPO", "ANGEL")."""
    return {key for _, key in funding_round_spans(text)}


def funding_round_spans(text: str) -> list[tuple[int, str]]:
    """(position, key) of each financing round a text names, in text order."""
    out = []
    for m in _ROUND.finditer(text):
        key = next(g for g in m.groups() if g).upper().replace("PREIPO", "PRE-IPO")
        out.append((m.start(), {"天使": "ANGEL"}.get(key, key)))
    return out


@lru_cache(maxsize=1)
def _t2s():
    """Traditional → simplified converter, built once per process (it loads dictionaries)."""
    try:
        import opencc
    except ImportError:  # optional: without it traditional text is matched as is
        return None
    return opencc.OpenCC("t2s")


_LATIN_PHRASE = re.compile(r"[a-z0-9 .:;'&™+-]+")


@cache
def word_pattern(word: str) -> re.Pattern:
    """A compiled matcher for a curated word in normalised text: Latin words and phrases match whole
    (not "ms" inside "teams"), Chinese anywhere. Cached per word: curated tables hold thousands of
    words, more than `re`'s own cache, and compiling them again for every question was most of its time."""
    if _LATIN_PHRASE.fullmatch(word):
        return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")
    return re.compile(re.escape(word))


@cache
def compiled(source: str) -> re.Pattern:
    """`re.compile(source)` at its first use, once per process. For module-level patterns that only
    some inputs need (English values, one answer type's check, the build's name finding): compiling
    each at import was part of every start, whether the question used it or not (issue 20's shell
    ask). Flags are written in the pattern: (?i), (?x)."""
    return re.compile(source)


def word_search(word: str, text: str) -> re.Match | None:
    """`word_pattern(word).search(text)`, compiling the pattern only when the word is in the text at
    all: a question is checked against thousands of table words, and compiling one pattern for each
    (1,635 at a shell ask) was a third of a second of every start (issue 20)."""
    return word_pattern(word).search(text) if word and word in text else None


def word_finditer(word: str, text: str):
    """`word_pattern(word).finditer(text)`, with the same shortcut as `word_search`."""
    return word_pattern(word).finditer(text) if word and word in text else iter(())


@lru_cache(maxsize=1)
def _tw2sp():
    """Taiwan phrasing → mainland simplified (硬體 → 硬件, 記憶體 → 内存, 晶片 → 芯片): OpenCC's
    phrase-level configuration, for questions. Phrases change length, so it is not the corpus's
    normal form (spans into articles must stay spans)."""
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("tw2sp")


def longest_first(words) -> list[str]:
    """Longest first, ties in alphabetical order: a set's order changes with each process's hash
    seed, and a tie between two overlapping table words (值多少 / 多少钱) decided which one a question
    was read by — the same question got different answers in different runs."""
    return sorted(words, key=lambda w: (-len(w), w))


def to_simplified(text: str) -> str:
    conv = _t2s()
    return conv.convert(text) if conv is not None and _CJK.search(text) else text


# A value quoted back in an error line is cut to this many characters: a 5,000-character setting
# or path filled the terminal with one line (issue 20); its start and end say which value it was.
MAX_SHOWN_CHARS = 120


def clip(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """`text` cut in the middle to at most about `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    keep = max(limit // 2 - 10, 1)
    return f"{text[:keep]}…({len(text):,} characters)…{text[-keep:]}"


def without_control(text: str) -> str:
    """`text` with every CONTROL character replaced by a space: the same length, safe to encode."""
    return CONTROL.sub(" ", text)


def years_in(text: str) -> tuple[int, ...]:
    """Years a text names, in order: 2024, 2024年, the short form 24年 (this century), and both ends
    of a short range (22到24年)."""
    full = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    short = [2000 + int(y) for y in re.findall(r"(?<![\d.])(\d\d)\s*年(?!\d)", text)]
    for a, b in re.findall(r"(?<![\d.])(\d\d)\s*(?:到|至|-|~|和|与)\s*(\d\d)\s*年", text):
        short = [2000 + int(a), *short] if 2000 + int(b) in short else short
    return tuple(dict.fromkeys(full + short))


def article_year(published: str) -> int | None:
    """The year of an article's date ("2026-03-18 …"), or None when it has none."""
    return int(published[:4]) if published[:4].isdigit() else None


def clean_input(text: str) -> str:
    """Drop NULs, control and invisible characters (they break C tokenizers) and fold runs of spaces."""
    text = _INVISIBLE.sub("", without_control(_ANSI.sub("", text or "")))
    return _WS.sub(" ", text).strip()


def prepare_question(text: str, keep: tuple[str, ...] = ()) -> str:
    """The form every stage of answering sees: cleaned, NFKC (full-width Latin → ASCII) and simplified
    Chinese in mainland phrasing, so 摩爾線程的營收 is embedded, segmented and matched like 摩尔线程的营收
    and 硬體 like 硬件. Case is kept: capitalisation is how an English question marks a name. `keep`:
    names the corpus writes with a Taiwan form (锐矽 is a company, not 锐硅), from `rephrased_names`."""
    text = unicodedata.normalize("NFKC", clean_input(text))
    conv = _tw2sp()
    if conv is None or not _CJK.search(text):
        return to_simplified(text)
    simple = to_simplified(text)
    spans: list[tuple[int, int]] = []
    for name in longest_first(keep):
        for m in re.finditer(re.escape(name), simple):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                spans.append(m.span())
    if not spans or len(simple) != len(text):
        return conv.convert(text)
    out, pos = [], 0
    for a, b in sorted(spans):
        out += [conv.convert(text[pos:a]), simple[a:b]]
        pos = b
    return "".join(out) + conv.convert(text[pos:])


def rephrased_names(names) -> tuple[str, ...]:
    """The names that mainland phrasing would rewrite (锐矽 → 锐硅): `prepare_question` keeps them."""
    conv = _tw2sp()
    return (
        ()
        if conv is None
        else tuple(
            n
            for n in longest_first({to_simplified(x) for x in names if _CJK.search(x)})
            if conv.convert(n) != n
        )
    )


def normalize(text: str) -> str:
    """The form used for matching: NFKC, simplified Chinese, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


_NOT_WORD = re.compile(r"[\s\W_]+")


def squash(text: str, punctuation: bool = False) -> str:
    """Normal form (`normalize`) with all whitespace removed: how quotes and facts are compared, so a
    space in a copied sentence does not matter. With punctuation=True, punctuation and symbols go
    too: how company names are compared (Moore-Threads, "meta x", ｍｅｔａｘ)."""
    return (_NOT_WORD if punctuation else _WS).sub("", normalize(text))


# A question pasted with background: the question is its last sentence that asks (a question mark,
# 吗/呢 at its end, or an English question word first), wherever it stands.
_ASKS = re.compile(
    r"[?？]\s*$|[吗呢嘛][。.!！]?\s*$|^\W*(what|which|who|whom|whose|when|where|why|how|is|are|was|were|"
    r"does|do|did|can|could|will|would|should|has|have)\b",
    re.I,
)


def question_in(text: str) -> tuple[str, bool]:
    """The sentence of a long paste that asks, and whether one was picked out of more text."""
    spans = split_sentences(text)
    if len(spans) < 2:
        return text, False
    asking = [text[a:b] for a, b in spans if _ASKS.search(text[a:b])]
    return (asking[-1].strip(), True) if asking else (text, False)


def detect_language(text: str) -> str:
    """'zh' or 'en': a Chinese word is about two characters, so compare half the CJK count with Latin
    words."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_WORD.findall(unicodedata.normalize("NFKC", text)))
    if cjk == 0:
        return "en"
    return "zh" if cjk / 2 >= latin else "en"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`, end-punctuation included, surrounding spaces
    excluded."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add_span(text, pos, m.end(), spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


# An English sentence ends at . ? ! or ; (with any closing quotes or brackets) before a space or the
# end; a full stop after a common abbreviation or a single capital (U.S., e.g.) does not end one.
_EN_SENTENCE_END = re.compile(r"[.?!;]+[”’\"')\]]*(?=\s|$)")
_EN_ABBREVIATION = re.compile(
    r"(^|[\s(])(u\.s|u\.k|vs|e\.g|i\.e|etc|inc|co|ltd|corp|no|mr|ms|dr|approx|[a-z])\.$"
)
# An abbreviation and the space before it fit in this many characters: the check reads no further
# back, so a text of thousands of "A. " is split in linear time (reading the whole pending sentence
# at each full stop took 127 s for 72 KB, issue 20).
_EN_ABBREVIATION_REACH = 12


def split_english_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of English text, as `split_sentences` gives for Chinese."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _EN_SENTENCE_END.finditer(text):
        head = text[max(pos, m.end() - _EN_ABBREVIATION_REACH) : m.end()].lower()
        if m.group(0) == "." and _EN_ABBREVIATION.search(head):
            continue
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


# The one history limit (the engine, the web app's sessions and any caller): a follow-up refers back a
# few turns, not a whole session, and ten covers every follow-up in the dev set with room to spare.
HISTORY_TURNS = 10


def history_turns(history, max_chars: int) -> list[str]:
    """The last HISTORY_TURNS earlier user turns, oldest first, each cleaned and cut like a question.

    Callers (the UI, JSON clients) pass what they have: None, one string, a list holding None or
    numbers, thousands of turns, a generator. Entries that are not text are ignored rather than
    refused. A list gives its last HISTORY_TURNS entries; any other iterable is read no further than
    HISTORY_TURNS entries (itertools.islice), since it may never end (`itertools.count()`).
    """
    if history is None:
        return []
    if isinstance(history, str):
        history = [history]
    try:
        if isinstance(history, Sequence):
            turns = list(history[-HISTORY_TURNS:])
        else:
            turns = list(islice(history, HISTORY_TURNS))
    except Exception:  # noqa: BLE001 - not iterable, or an iterable that fails: no history, not a crash
        return []
    cleaned = [prepare_question(t[: max_chars * 2])[:max_chars] for t in turns if isinstance(t, str)]
    return [t for t in cleaned if t]
