"""The question-words table and domain lexicon (corpus/lexicon.yaml), loaded and checked once.

Everything that decides what a question asks — intents, expected answer types, follow-up
words, superlatives, the profile field a word points at, everyday words mapped to the words
articles use — lives in that one curated file, so a reader can see (and a user can extend) the
whole vocabulary in one place instead of in regexes spread over the code. A malformed file stops
the load with the file, the field and the problem, like the company profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from ..corpus.curated import CuratedTables
from ..corpus.yamlfile import parse_table, table_bytes
from ..errors import AssistantError
from ..text import longest_first, normalize, word_search
from .names import KINDS

LEXICON_FILE = "lexicon.yaml"
INTENTS = ("summary", "conclusion", "risks", "strengths", "comparison", "explain", "yesno")
ANSWER_TYPES = ("date", "amount", "organisation", "person", "place", "count", "product", "market")
CUE_KINDS = ("risks", "strengths", "conclusion", "causes")
OPERATIONS = ("difference", "ratio", "sum", "growth", "days", "midpoint", "share", "prior")
SUPERLATIVES = ("min", "max", "stated")


def _terms(raw_terms, fields: dict, words, bad) -> list[TermMapping]:
    """The `terms` section: everyday words (say) and the articles' words for them (means)."""
    if not isinstance(raw_terms, list):
        raise bad("terms", "expected a list of {say, means, field}")
    terms = []
    for i, t in enumerate(raw_terms):
        if not isinstance(t, dict) or set(t) - {"say", "means", "field"}:
            raise bad(f"terms[{i}]", "expected a mapping with say, means and optionally field")
        say, means = words(t.get("say"), f"terms[{i}].say"), words(t.get("means"), f"terms[{i}].means")
        if not say or not means:
            raise bad(f"terms[{i}]", "say and means must both list words")
        f = str(t.get("field") or "")
        if f and f not in fields:
            raise bad(f"terms[{i}].field", f"{f!r} is not one of the fields listed under 'fields'")
        terms.append(TermMapping(say=say, means=means, field=f))
    return terms


def _numbered(section: dict, name: str, words, bad) -> dict[int, tuple[str, ...]]:
    """{number: words} of a section such as article_years ("-1": [去年, last year])."""
    out = {}
    for k, v in section.items():
        try:
            out[int(k)] = words(v, f"{name}.{k}")
        except (TypeError, ValueError):
            raise bad(f"{name}.{k}", "expected a whole number") from None
    return out


def _named(section: dict, name: str, allowed: tuple[str, ...], read, bad) -> dict:
    """A section whose keys must be among `allowed` ({intent: words}), each value read by `read`."""
    out = {}
    for key, v in section.items():
        if key not in allowed:
            raise bad(f"{name}.{key}", f"not one of {', '.join(allowed)}")
        out[key] = read(v, f"{name}.{key}")
    return out


def _bad_kind(bad, name) -> bool:
    raise bad(f"organisation_kinds.{name}", f"not one of {', '.join(KINDS)}")


def _bad_operation(bad, name) -> bool:
    raise bad(f"operations.{name}", f"not one of {', '.join(OPERATIONS)}")


@dataclass(frozen=True)
class TermMapping:
    """Everyday or jargon words (`say`) and the words articles use for the same thing (`means`)."""

    say: tuple[str, ...]
    means: tuple[str, ...]
    field: str = ""


@dataclass(frozen=True)
class Lexicon:
    intents: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict
    )  # intent → (zh, en)
    followup: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    elided: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    answer_types: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    superlative: dict[str, tuple[str, ...]] = field(default_factory=dict)  # min / max / stated
    which_companies: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    fields: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # profile field → words, in priority order
    terms: tuple[TermMapping, ...] = ()
    after_article: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    article: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    asks_company: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    others: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    possessive: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    person_followup: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    only: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # asks for the earlier version of a revised figure (原方案, originally), not the one in force
    former: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # a sentence that says which figure the one before meant ("我说的是归母净利润"): one question, not two
    clarifies: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    each: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    each_stands: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    negation: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # an earlier proposal a later decision replaced (曾拟, 原方案): no sentence with one confirms a "yes"
    superseded: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    revised: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # …and the words of what replaced it
    advice: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # verbs that bring a point up (raise, 指出): with a cue kind asked, no figure's word
    brings_up: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # a sentence opening with one (此外, moreover) continues the point of the one before it
    continues: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    ratio_base: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # "占营收的比例": the share's base
    ellipsis: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    money: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # years said relative to the article's date (去年: -1) or to the previous question's year
    # (前一年: -1), by how many years they shift
    article_years: dict[int, tuple[str, ...]] = field(default_factory=dict)
    turn_years: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # a set of companies by how many ("三家", "the three start-ups"; 0: not said) and the nouns after it
    group_counts: dict[int, tuple[str, ...]] = field(default_factory=dict)
    group_nouns: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # parts of a year a figure is for ({"Q1": [一季度, first quarter], "H1": [上半年, …]})
    periods: dict[str, tuple[str, ...]] = field(default_factory=dict)
    operations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # difference, ratio, sum
    # the kind of organisation a "which …" question asks for (brokerage, auditor …): its words
    organisation_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def organisation_kinds_asked(self, norm: str) -> set[str]:
        """The kinds of organisation a normalised question asks for ("哪家券商": brokerage)."""
        return {k for k, ws in self.organisation_kinds.items() if any(has_word(norm, w) for w in ws)}

    def says(self, norm: str, name: str) -> bool:
        """Whether normalised text holds any word of the bilingual list `name` (e.g. "only")."""
        zh, en = getattr(self, name)
        return any(has_word(norm, w) for w in (*zh, *en))

    @property
    def question_words(self) -> list[str]:
        """Words that say what is asked, not what about: masked when weighing a question's topic."""
        out = {
            w
            for zh, en in [
                *self.intents.values(),
                *self.answer_types.values(),
                self.which_companies,
                self.followup,
                self.asks_company,
            ]
            for w in (*zh, *en)
        }
        out |= {w for ws in self.superlative.values() for w in ws}
        return longest_first(out)

    @cached_property
    def period_forms(self) -> list[tuple[str, str]]:
        """(part of the year, a word for it), longest word first: 前三季度 before 三季度."""
        return sorted(((p, w) for p, ws in self.periods.items() for w in ws), key=lambda x: -len(x[1]))

    @property
    def operation_words(self) -> list[str]:
        """Words that ask arithmetic of the values (一共, 差多少, in total): what is asked, not what
        about — "星睿转债一共发行多少张" is about the bonds issued, and no article need say 一共."""
        return longest_first({w for ws in self.operations.values() for w in ws})

    @property
    def everyday_words(self) -> list[str]:
        """The `say` side of the term mappings: words the corpus need not use to be understood."""
        return longest_first({w for t in self.terms for w in t.say})

    @property
    def article_words(self) -> list[str]:
        """Multi-character words the segmenter should keep whole (the `means` side and field words)."""
        words = {w for t in self.terms for w in t.means} | {w for ws in self.fields.values() for w in ws}
        return sorted(w for w in words if len(w) >= 2)


def has_word(text: str, word: str) -> bool:
    """`word` in normalised `text`: Latin words and phrases as whole words, Chinese anywhere."""
    return word_search(word, text) is not None


def find_words(text: str, words) -> list[tuple[int, str]]:
    """(position, word) of each of `words` found in normalised `text`, in order of position."""
    found = []
    for w in words:
        m = word_search(w, text)
        if m:
            found.append((m.start(), w))
    return sorted(found)


def load_lexicon(corpus_dir: Path, tables: CuratedTables | None = None) -> Lexicon:
    """corpus/lexicon.yaml, or an empty lexicon (every question a plain look-up) when there is none.
    `tables`: the load's reading of the curated tables (corpus/curated.py), to use the build's copy."""
    path = Path(corpus_dir) / LEXICON_FILE
    raw = table_bytes(path, "lexicon")
    if raw is None:
        return Lexicon()
    return (tables or CuratedTables()).read(path, raw, lambda: _checked(path, raw), _to_plain, _from_plain)


def _checked(path: Path, raw: bytes) -> Lexicon:
    data = parse_table(path, raw, "lexicon")
    if data is None:
        return Lexicon()
    if not isinstance(data, dict):
        raise AssistantError(f"{path}: expected a mapping of sections at the top")
    return _parse(data, path)


def _to_plain(lexicon: Lexicon) -> dict[str, Any]:
    """The lexicon as the build's compiled copy holds it (corpus/curated.py): every field, tuples as
    lists, a mapping as its [key, value] pairs in order (a year shift's key stays a number)."""
    out: dict[str, Any] = {}
    for f in fields(Lexicon):
        value = getattr(lexicon, f.name)
        if f.name == "terms":
            out[f.name] = [[list(t.say), list(t.means), t.field] for t in value]
        elif isinstance(value, dict):
            out[f.name] = [[k, _lists(v)] for k, v in value.items()]
        else:
            out[f.name] = _lists(value)
    return out


def _from_plain(plain: dict[str, Any]) -> Lexicon:
    values: dict[str, Any] = {}
    for f in fields(Lexicon):
        value = plain[f.name]
        if f.name == "terms":
            values[f.name] = tuple(TermMapping(tuple(say), tuple(means), fld) for say, means, fld in value)
        elif str(f.type).startswith("dict["):
            values[f.name] = {k: _tuples(v) for k, v in value}
        else:
            values[f.name] = _tuples(value)
    return Lexicon(**values)


def _lists(value: Any) -> Any:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _parse(data: dict, path: Path) -> Lexicon:
    def bad(where: str, problem: str) -> AssistantError:
        return AssistantError(f"lexicon {path}: field '{where}': {problem}")

    def words(value, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(x, (str, int)) and not isinstance(x, bool) for x in value
        ):
            raise bad(where, "expected a list of words")
        return tuple(normalize(str(x)).strip() for x in value if str(x).strip())

    def bilingual(value, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if value is None:
            return ((), ())
        if not isinstance(value, dict) or set(value) - {"zh", "en"}:
            raise bad(where, "expected a mapping with zh and en lists")
        return words(value.get("zh"), f"{where}.zh"), words(value.get("en"), f"{where}.en")

    def section(name: str) -> dict:
        v = data.get(name) or {}
        if not isinstance(v, dict):
            raise bad(name, "expected a mapping")
        return v

    intents = _named(section("intents"), "intents", INTENTS, bilingual, bad)
    answer_types = _named(section("answer_types"), "answer_types", ANSWER_TYPES, bilingual, bad)
    superlative = _named(section("superlative"), "superlative", SUPERLATIVES, words, bad)
    fields = {str(k): words(v, f"fields.{k}") for k, v in section("fields").items()}
    terms = _terms(data.get("terms") or [], fields, words, bad)
    cues = _named(section("cues"), "cues", CUE_KINDS, words, bad)
    return Lexicon(
        intents=intents,
        followup=bilingual(data.get("followup"), "followup"),
        elided=bilingual(data.get("elided"), "elided"),
        answer_types=answer_types,
        superlative=superlative,
        which_companies=bilingual(data.get("which_companies"), "which_companies"),
        fields=fields,
        terms=tuple(terms),
        after_article=bilingual(data.get("after_article"), "after_article"),
        cues=cues,
        article=bilingual(data.get("article"), "article"),
        asks_company=bilingual(data.get("asks_company"), "asks_company"),
        others=bilingual(data.get("others"), "others"),
        possessive=bilingual(data.get("possessive"), "possessive"),
        person_followup=bilingual(data.get("person_followup"), "person_followup"),
        only=bilingual(data.get("only"), "only"),
        former=bilingual(data.get("former"), "former"),
        clarifies=bilingual(data.get("clarifies"), "clarifies"),
        each=bilingual(data.get("each"), "each"),
        each_stands=bilingual(data.get("each_stands"), "each_stands"),
        negation=bilingual(data.get("negation"), "negation"),
        superseded=bilingual(data.get("superseded"), "superseded"),
        revised=bilingual(data.get("revised"), "revised"),
        advice=bilingual(data.get("advice"), "advice"),
        brings_up=bilingual(data.get("brings_up"), "brings_up"),
        continues=bilingual(data.get("continues"), "continues"),
        ratio_base=bilingual(data.get("ratio_base"), "ratio_base"),
        ellipsis=bilingual(data.get("ellipsis"), "ellipsis"),
        money=bilingual(data.get("money"), "money"),
        article_years=_numbered(section("article_years"), "article_years", words, bad),
        turn_years=_numbered(section("turn_years"), "turn_years", words, bad),
        group_counts=_numbered(section("group_counts"), "group_counts", words, bad),
        group_nouns=bilingual(data.get("group_nouns"), "group_nouns"),
        periods={str(k): words(v, f"periods.{k}") for k, v in section("periods").items()},
        operations={
            str(k): words(v, f"operations.{k}")
            for k, v in section("operations").items()
            if k in OPERATIONS or _bad_operation(bad, k)
        },
        organisation_kinds={
            str(k): tuple(w for ws in bilingual(v, f"organisation_kinds.{k}") for w in ws)
            for k, v in section("organisation_kinds").items()
            if k in KINDS or _bad_kind(bad, k)
        },
    )
