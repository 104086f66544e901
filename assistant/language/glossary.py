"""The bilingual domain dictionary (corpus/glossary.yaml): English words → the Chinese terms the corpus uses.

Dense retrieval is multilingual already; this lets keyword search (BM25) and the answer's term
overlap see that "valuation" means 估值. The Chinese terms also go into the segmenter's dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ..corpus.curated import CuratedTables
from ..corpus.files import real_root
from ..corpus.yamlfile import parse_yaml_bytes, read_yaml_bytes
from ..errors import AssistantError
from ..text import normalize, word_finditer, word_search

# A Chinese term this long names one thing (信用等级, 科创板); a shorter one glosses only as its
# entry's first term.
GLOSS_CHARS = 3


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # (english forms, chinese terms)
    # the Chinese terms of entries marked `metric: true`: a figure a company reports (revenue, 毛利率,
    # 发行费用), which a question can ask of a company the articles give it for or not
    metrics: frozenset[tuple[str, ...]] = frozenset()

    @property
    def chinese_terms(self) -> list[str]:
        return sorted({zh for _, zhs in self.entries for zh in zhs})

    def glosses(self, chinese: str) -> bool:
        """Whether a Chinese term says its entry's English on its own, as a gloss of an untranslated
        quote: a long term (信用等级, 控股股东) or an entry's first term (领投), not a short form that
        also means other things (最高 of "intraday high", 性能 of "compute")."""
        return len(chinese) >= GLOSS_CHARS or chinese in self._headwords

    def figure_words(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """(the forms of the reported figures `text` names, the forms of every other figure that is
        neither part of one of those nor holds one), normalised. A question's claims check every
        candidate sentence against these: made once per text."""
        return self._figure_words(text)

    @cached_property
    def _figure_words(self):
        @lru_cache(maxsize=64)
        def made(text: str) -> tuple[frozenset[str], frozenset[str]]:
            asked = frozenset(
                normalize(f) for _, forms in self.concepts(text, metrics_only=True) for f in forms
            )
            every = {normalize(f) for forms in self.metrics for f in forms}
            return asked, frozenset(f for f in every if not any(f in a or a in f for a in asked))

        return made

    @cached_property
    def english_words(self) -> frozenset[str]:
        """The single words of the English forms, for respelling a question's slips (spelling.py)."""
        from .spelling import glossary_words

        return glossary_words(f for ens, _ in self.entries for f in ens)

    @cached_property
    def _headwords(self) -> frozenset[str]:
        return frozenset(zhs[0] for _, zhs in self.entries if zhs)

    def same_as(self, chinese: str) -> tuple[str, ...]:
        """The other Chinese terms of the entries that hold `chinese` (董秘 → 董事会秘书): a question's
        short form is known to a corpus that writes the long one."""
        return tuple(
            dict.fromkeys(z for _, zhs in self.entries if chinese in zhs for z in zhs if z != chinese)
        )

    def spans(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, Chinese terms) of each English form found in normalised `text`, longest forms
        first."""
        out: list[tuple[int, int, tuple[str, ...]]] = []
        taken = [False] * len(text)
        for f, zhs in self._english_forms:
            for m in word_finditer(f, text):
                if not any(taken[m.start() : m.end()]):
                    out.append((m.start(), m.end(), zhs))
                    for i in range(m.start(), m.end()):
                        taken[i] = True
        return sorted(out)

    def concepts(self, text: str, metrics_only: bool = False) -> list[tuple[str, tuple[str, ...]]]:
        """(the question's word, every Chinese form of its concept) for each glossary term a question
        uses, in English or in Chinese, longest first and not overlapping; `metrics_only`: only the
        reported figures."""
        norm = normalize(text)
        out = [(norm[a:b], zhs) for a, b, zhs in self.spans(norm)]
        taken = [False] * len(norm)
        for a, b, _ in self.spans(norm):
            taken[a:b] = [True] * (b - a)
        for z, zhs in self._chinese_forms:
            found = word_search(z, norm) if len(z) >= 2 else None  # CTO whole, not in "sector"
            at = found.start() if found else -1
            if at >= 0 and not any(taken[at : at + len(z)]):
                taken[at : at + len(z)] = [True] * len(z)
                # in the glossary's order (a set's would change with the hash seed, and callers use the first)
                forms = (*zhs, *(zz for _, zz2 in self.entries if z in zz2 for zz in zz2))
                out.append((z, tuple(dict.fromkeys(forms))))
        if metrics_only:
            out = [(w, forms) for w, forms in out if any(set(m) & set(forms) for m in self.metrics)]
        return out

    def asked_figures(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """(the question's word, the Chinese forms of its own entry) for each reported figure a question
        names by an entry marked `metric` — not a word that merely shares a form with one (上市 is
        also a product's launch, whose shipments are a figure; 上市 itself is none)."""
        out = []
        for word, _ in self.concepts(text, metrics_only=True):
            own = [
                zhs
                for ens, zhs in self.entries
                if zhs in self.metrics
                and (word in {normalize(e) for e in ens} or word in {normalize(z) for z in zhs})
            ]
            if own:
                out.append((word, tuple(dict.fromkeys(z for zhs in own for z in zhs))))
        return out

    def chinese_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English) of each Chinese term of the glossary in `text` (simplified, same
        length as written), longest first and not overlapping: what a figure after it is."""
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        for z, en in self._zh_forms:
            start = text.find(z)
            while start >= 0:
                if not any(taken[start : start + len(z)]):
                    found.append((start, start + len(z), en))
                    taken[start : start + len(z)] = [True] * len(z)
                start = text.find(z, start + 1)
        return sorted(found)

    @cached_property
    def _english_forms(self) -> list[tuple[str, tuple[str, ...]]]:
        """(English form, its entry's Chinese terms), longest forms first: sorted once, not at each of
        the dozen look-ups a question makes."""
        return sorted(((f, zhs) for fs, zhs in self.entries for f in fs), key=lambda x: -len(x[0]))

    @cached_property
    def _chinese_forms(self) -> list[tuple[str, tuple[str, ...]]]:
        """(Chinese term in normal form, its entry's Chinese terms), longest first, made once: each
        question's look-ups normalised every term again (3,000 OpenCC calls)."""
        return sorted(((normalize(z), zhs) for _, zhs in self.entries for z in zhs), key=lambda x: -len(x[0]))

    @cached_property
    def _zh_forms(self) -> list[tuple[str, str]]:
        """(Chinese form, the English of its entry), longest forms first."""
        return sorted(
            ((z, ens[0]) for ens, zhs in self.entries if ens for z in zhs if len(z) >= 2),
            key=lambda x: -len(x[0]),
        )

    def english_label(self, question: str, clause: str) -> str:
        """The English name of the reported figure a question asks and a clause states (毛利率 →
        "gross margin"): how an English answer labels a value rendered from Chinese."""
        said = normalize(clause).replace(" ", "")
        for _, forms in self.asked_figures(question):  # the entry of the question's own word: shipping
            # dates are no IPO's, though 上市 is a form of both
            english = next(
                (fs[0] for fs, zhs in self.entries if zhs in self.metrics and set(zhs) & set(forms)), ""
            )
            if english and any(normalize(z).replace(" ", "") in said for z in forms):
                return english
        return ""

    def expand(self, text: str) -> list[str]:
        """Chinese terms for the English words and phrases found in `text` (whole words, any case), and
        the other Chinese forms of a Chinese term it uses: a question's 营收 is the article's 营业收入."""
        norm = normalize(text)
        out: list[str] = []
        for forms, zhs in self.entries:
            if any(word_search(f, norm) for f in forms):
                out.extend(z for z in zhs if z not in out)
        for _, zhs in self.concepts(text):
            out.extend(z for z in zhs if z not in out)
        return out


def glossary_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / "glossary.yaml"


def load_glossary(corpus_dir: Path, tables: CuratedTables | None = None) -> Glossary:
    """The glossary of a corpus (none when it has no glossary.yaml); a malformed one stops the load
    with the file, the field and the problem. `tables`: the load's reading of the curated tables
    (corpus/curated.py), to use the build's copy."""
    path = glossary_path(corpus_dir)
    if not path.exists():
        return Glossary()
    try:
        raw = read_yaml_bytes(path, real_root(path.parent))  # only files inside the corpus
    except OSError as exc:
        raise AssistantError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return (tables or CuratedTables()).read(path, raw, lambda: _validated(path, raw), _to_plain, _from_plain)


def _validated(path: Path, raw: bytes) -> Glossary:
    """The glossary file's bytes parsed and checked against `GlossaryFile` (glossary_schema.py)."""
    from pydantic import ValidationError

    from .glossary_schema import GlossaryFile, problem_of

    try:
        data = parse_yaml_bytes(raw) or {}  # one loader for every YAML: refuses anchors/aliases (YAML bombs)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise AssistantError(f"{path}: expected a mapping with the field 'terms' at the top")
    try:
        checked = GlossaryFile.model_validate(data)
    except ValidationError as exc:
        where, problem = problem_of(exc)
        raise AssistantError(f"{path}: field '{where}': {problem}") from None
    return Glossary(
        tuple((tuple(normalize(x).strip() for x in t.en), t.zh) for t in checked.terms),
        frozenset(t.zh for t in checked.terms if t.metric),
    )


def _to_plain(glossary: Glossary) -> dict:
    """The glossary as the build's compiled copy holds it (corpus/curated.py)."""
    return {
        "entries": [[list(en), list(zh)] for en, zh in glossary.entries],
        "metrics": sorted(list(zh) for zh in glossary.metrics),
    }


def _from_plain(plain: dict) -> Glossary:
    return Glossary(
        tuple((tuple(en), tuple(zh)) for en, zh in plain["entries"]),
        frozenset(tuple(zh) for zh in plain["metrics"]),
    )
