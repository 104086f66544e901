"""Is a question about something the corpus covers? The signal behind abstaining.

Similarity scores alone cannot tell "寒武纪2024年的营收" (another company's revenue) from
"摩尔线程2024年的营收": both find a sentence about 2024 revenue. What differs is that the
question's subject is unknown to the corpus. So the question's content words are weighted by
how specific they are — names and product codes 3, glossary concepts 2, other nouns and known
words 1, verbs and question words 0 — and the answer needs most of that weight to be words
the corpus actually uses. The threshold is calibrated on the dev set (README, "Abstention").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..corpus.company_directory import CompanyDirectory
from ..corpus.entities import organisations
from ..corpus.name_forms import entity_words
from ..language.glossary import Glossary
from ..language.lexicon import Lexicon
from ..language.names import NameTable
from ..language.tokens import STOPWORDS, Tokenizer
from ..language.word_tables import common_english_words
from ..text import has_cjk, normalize, word_finditer

NAME_FLAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg"}
# Verbs and verbal nouns (比作, 获批) say little about the topic, and neither do time nouns (去年, 现在):
# "last year's losses" is about losses.
NOUN_FLAGS = ("n", "s", "an", "l", "i", "j")
NAME, CONCEPT, WORD = 3.0, 2.0, 1.0


@dataclass
class Term:
    text: str
    weight: float
    known: bool


def question_terms(
    question: str,
    tokenizer: Tokenizer,
    glossary: Glossary,
    directory: CompanyDirectory,
    known,
    lexicon: Lexicon | None = None,
    names: NameTable | None = None,
) -> list[Term]:
    """The question's content words with their weights, and whether the articles use them.

    The lexicon's question words (什么时候, 哪个城市, which outlet) and the words that ask arithmetic
    (一共, 差多少) say what is asked, not what about: they are masked. Its everyday words (亏了, 递表)
    count as known concepts: they map to words the articles use. Names from the name table count as
    names, known when the articles use one of their forms.
    """
    original = unicodedata.normalize("NFKC", question)
    norm = normalize(question)  # same length as `original` for all but rare characters
    masked = list(norm)
    terms: list[Term] = []

    def mask(a: int, b: int) -> None:
        for i in range(a, min(b, len(masked))):
            masked[i] = " "

    for a, b, _cid in directory.mention_spans(norm):
        terms.append(Term(norm[a:b], NAME, True))
        mask(a, b)
        suffix = _NAME_TAIL.match(original, b)  # "Lanyao Photonics": the name's suffix written otherwise
        if suffix and suffix.group(1).lower() not in glossary.english_words:
            mask(b, suffix.end())
    for a, b, zhs in glossary.spans("".join(masked)):
        ok = any(_known_word(z, tokenizer, known) for z in zhs)
        terms.append(Term(norm[a:b], CONCEPT, ok))
        mask(a, b)
    if names is not None:
        for n in names.in_text("".join(masked)):
            for form in (*n.zh_forms, *n.en_forms):
                f = normalize(form)
                at = "".join(masked).find(f)
                if at >= 0:
                    forms = [normalize(x) for x in (*n.zh_forms, *n.en_forms)]
                    terms.append(Term(f, NAME, any(_known_word(x, tokenizer, known) for x in forms)))
                    mask(at, at + len(f))
                    break
    if lexicon is not None:
        arithmetic = set(lexicon.operation_words)  # 一共 is no topic, though it also maps to 累计
        for words, as_term in (
            (lexicon.everyday_words, True),
            (lexicon.question_words, False),
            (lexicon.operation_words, False),
        ):
            for w in words:
                text = "".join(masked)
                for m in word_finditer(w, text):
                    if as_term and w not in arithmetic:
                        terms.append(Term(w, CONCEPT, True))
                    mask(m.start(), m.end())
    capitalized = _capitalised(original)
    # WRITTEN IN CAPITALS: capitals say nothing about names (but one acronym in a Chinese question is a name)
    shouting = not re.search(r"[a-z]", original) and len(re.findall(r"[A-Z]{2,}", original)) >= 3
    text = "".join(masked)
    org_words = _organisation_words(text, tokenizer)
    before = ""
    for word, flag in tokenizer.tagged(text):
        previous, before = before, word
        word = word.strip()
        if not word or word in STOPWORDS or not any(ch.isalnum() for ch in word):
            continue
        if flag.startswith("nr") and previous.endswith(_COUNTING):
            flag = "n"  # "那张智驾芯片订单": 张 counts the order after 那, it is no family name
        weight = (
            _latin_weight(word, capitalized, shouting, tokenizer, known)
            if not has_cjk(word)
            else _chinese_weight(word, flag, org_words, tokenizer)
        )
        if weight:
            ok = any(_known_word(w, tokenizer, known) for w in (word, *glossary.same_as(word)))
            terms.append(Term(word, weight, ok))
    return terms


# A capitalised word right after a company's name, as its suffix (Photonics, Semi, Tech).
_NAME_TAIL = re.compile(r" ([A-Z][a-z]+)\b")


def _capitalised(original: str) -> set[str]:
    """The question's capitalised words but its first, lower-cased: a capitalised common English word
    ("Western", "Domestic") is no name; an unknown one may be."""
    first_word = re.match(r"\W*([A-Za-z][\w'-]*)", original)
    first = first_word.group(1).lower() if first_word else ""
    # (?<![A-Za-z0-9]), not \b: in "海光信息的DCU" the D follows a Chinese character, also a word character
    capitalized = {w.lower() for w in re.findall(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9-]+", original)} - {first}
    return {w for w in capitalized if w not in common_english_words() or not w.isalpha()}


def _organisation_words(text: str, tokenizer: Tokenizer) -> set[str]:
    """The words of an organisation written the way reporting writes one (海光信息, 某某证券): a name,
    even in parts — not one right after 那/这/一 ("那张智驾芯片订单": 张 is a measure word there, and
    张智驾芯片 no company)."""
    return {
        w
        for org in organisations(text, tokenizer.is_common)
        if not any(text[max(at - 1, 0) : at].endswith(_COUNTING) for at in _positions(text, org))
        for w in tokenizer.tokens(org)
    }


def _positions(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _latin_weight(word: str, capitalized: set[str], shouting: bool, tokenizer: Tokenizer, known) -> float:
    """A Latin word's weight: a model number or a capitalised uncommon word is a name; 0: no term."""
    if word.isdigit():
        return WORD
    if any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
        return NAME  # a model number: S90, 910B
    if word in capitalized and not shouting:
        return NAME
    if shouting and len(word) >= 5 and not _known_word(word, tokenizer, known):
        return CONCEPT  # may be a name, may be a verb: count it, less than a name
    # a lower-case English word the corpus does not use says nothing either way
    return WORD if _known_word(word, tokenizer, known) else 0.0


def _chinese_weight(word: str, flag: str, org_words: set[str], tokenizer: Tokenizer) -> float:
    """A Chinese word's weight by its part of speech; 0: no term (verbs, particles, time words)."""
    if (
        flag in NAME_FLAGS
        and len(word) > 1  # 瓦 of "功耗多少瓦" is a unit, however jieba tags it
        and (not flag.startswith("nr") or tokenizer.in_dictionary(word) or _surname_first(word))
    ) or word in org_words:
        return (
            NAME  # (jieba guesses nr for unknown pairs such as 归母: a guessed person's name needs a surname)
        )
    if flag.startswith("n") and not tokenizer.in_dictionary(word):
        return CONCEPT  # unknown to the dictionary (归母, 能扛): counts, but is no name to say is missing
    return WORD if flag.startswith(NOUN_FLAGS) else 0.0


# What comes before a measure word (那张, 这项, 两位): the family name jieba guesses after one is none.
_COUNTING = tuple("那这哪一两几每各该此")


def _surname_first(word: str) -> bool:
    return any(word.startswith(s) and len(word) > len(s) for s in entity_words().surnames)


def coverage(terms: list[Term]) -> float:
    """Known share of the question's weighted terms; numbers alone ("1", "2024") do not make a topic."""
    if not any(t.known and not t.text.isdigit() for t in terms):
        return 0.0
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if t.known) / total


def _known_word(word: str, tokenizer: Tokenizer, known) -> bool:
    """Known as a whole, or through a part of two or more characters (jieba's 篇文章 is the corpus's 文章)."""
    word = normalize(word)
    if known(word) or (word.endswith("s") and known(word[:-1])):  # English plurals: gpus → gpu
        return True
    return any(known(p) for p in tokenizer.tokens(word) if p != word and len(p) >= 2)
