"""The Assistant: one object that owns the loaded index and answers; the CLI and UI are thin layers over it."""
from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answering import sentences as ans
from .index.build import BuildReport, build, corpus_fingerprint
from .corpus.companies import CompanyDirectory, CompanyMatch, CompanyProfile, load_profiles
from .index.embedding import Embedder
from .errors import AssistantError
from .corpus.glossary import load_glossary
from .index.store import IndexProblem, LoadedIndex, check_manifest, live_build, read_index, read_manifest, sentences_by_passage
from .index.locking import build_lock
from .search.retrieval import Query, Retriever
from .schema import Answer, Citation, Passage
from .settings import Settings
from .answering.coverage import coverage as support_coverage
from .answering.coverage import NAME, Term, question_terms
from .answering.ranking import PLURAL_WHICH, asked_fields, companies_with, rank, superlative
from .text import clean_input, detect_language, has_cjk, history_turns, prepare_question, squash

# Calibrated on ../shared/eval/dev.jsonl (see README, "Abstention"): below either, the corpus does not answer.
MIN_COVERAGE = 0.65
MIN_SENTENCE_SIMILARITY = 0.60

_FOLLOWUP = re.compile(
    r"(它|其|该公司|这家公司|这家|他们|它们|那么|^那)|(\bits?\b|\bthey\b|\btheir\b|\bthem\b|\bthis company\b|\bthe company\b|^and\b|^what about\b|^how about\b)",
    re.I,
)
_COMPARATIVE = re.compile(r"哪家|哪些公司|哪几家|\bwhich (companies|company|firms?|one)\b", re.I)


@dataclass
class LoadReport:
    built: bool
    reason: str
    build: BuildReport | None = None


class Assistant:
    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder, profiles: list[CompanyProfile],
                 glossary, tokenizer, load_report: LoadReport):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.profiles = profiles
        self.directory = CompanyDirectory(profiles)
        self.glossary = glossary
        self.tokenizer = tokenizer
        self.load_report = load_report
        self.retriever = Retriever(index, tokenizer, glossary, self.directory)
        self._by_passage: dict[int, list[int]] = sentences_by_passage(index.sentences)
        self._by_id = {p.passage_id: i for i, p in enumerate(index.passages)}
        self.last_debug: dict = {}

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, corpus_dir: str | Path = "corpus", index_dir: str | Path = "index", model: str | None = None,
             settings: Settings | None = None, progress: bool = False,
             log: Callable[[str], None] | None = None, rebuild: bool = False) -> "Assistant":
        """Open the index for this corpus and model; build it first when it is missing, stale or damaged."""
        settings = settings or Settings.from_env(corpus_dir=corpus_dir and Path(corpus_dir),
                                                 index_dir=index_dir and Path(index_dir), model=model)
        log = log or (lambda msg: None)
        corpus = Path(settings.corpus_dir)
        if not corpus.is_dir():
            raise AssistantError(f"corpus folder {corpus} " + ("is not a folder" if corpus.exists() else "does not exist"))
        profiles = load_profiles(settings.corpus_dir)
        glossary = load_glossary(settings.corpus_dir)
        tokenizer = make_tokenizer(profiles, glossary)
        embedder = _open_embedder(settings, log)
        expect = {"model_id": embedder.model_id, "corpus_fingerprint": corpus_fingerprint(settings, embedder.model_id)}

        reason = "rebuild requested" if rebuild else ""
        index = None
        if not rebuild:
            index, reason = _try_open(settings.index_dir, expect)
        report = LoadReport(False, "index is up to date")
        if index is None:
            log(f"building the index: {reason}")
            try:
                with build_lock(settings.index_dir, on_wait=log):
                    # another process may have built it while we waited for the lock
                    index, _ = (None, "") if rebuild else _try_open(settings.index_dir, expect)
                    if index is None:
                        b = build(settings, embedder, profiles, tokenizer, progress=progress, log=log)
                        log(f"built {b.passages} passages from {b.documents} documents in {b.seconds:.1f}s "
                            f"({b.embedded} texts embedded, the rest from the cache)")
                        index, problem = _try_open(settings.index_dir, expect)
                        if index is None:
                            raise AssistantError(f"the index just built cannot be opened: {problem}")
                        report = LoadReport(True, reason, b)
            except (AssistantError, OSError) as exc:
                why = exc if isinstance(exc, AssistantError) else f"{exc.strerror or exc} ({exc.filename or ''})"
                raise AssistantError(f"cannot build the index in {settings.index_dir}: {why}. "
                                     f"It was being built because: {reason}") from None
        return cls(settings, index, embedder, profiles, glossary, tokenizer, report)

    # ---- questions -----------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        """Answer from the corpus with quoted, cited sentences, or abstain and show the closest material.

        Any input is answered, never raised on: a question that is not text, empty, only punctuation
        or emoji gets a prompt to type one; a very long one is cut (with a notice) because the model's
        time grows with its length; history entries that are not text are ignored.
        """
        t0 = time.perf_counter()
        raw = question if isinstance(question, str) else ""
        limit = self.settings.max_question_chars
        asked = clean_input(raw[: limit * 4])  # cleaning a megabyte only to cut it would be wasted time
        notice = ""
        if len(asked) > limit or len(raw) > limit * 4:
            asked = asked[:limit].rstrip()
            notice = f"question truncated to {limit} characters"
        answer = self._answer(prepare_question(asked), history_turns(history, limit), notice, t0)
        answer.question = asked  # as the user wrote it (traditional, full-width), not as it was matched
        return answer

    def _answer(self, question: str, history: list[str], notice: str, t0: float) -> Answer:
        """`question` is already cleaned, cut and in normal form (see text.prepare_question)."""
        language = detect_language(question)
        letters = sum(ch.isalnum() for ch in question)
        if letters < 2:  # one letter or digit is no question: answering "1" would quote a random number
            text = "请输入一个问题。" if language == "zh" and has_cjk(question) else "Please type a question."
            reason = "question too short" if letters else "no words in the question" if question else "empty question"
            return Answer(question, text, True, language, notice=notice or reason)

        named = self.directory.mentions(question)
        companies = named
        if not named and _FOLLOWUP.search(question) and not _COMPARATIVE.search(question):
            companies = self._companies_from_history(history)
        carried = [self.directory.by_id[c].name_zh for c in companies if c not in named]
        vector = self.embedder.query(" ".join(carried + [question]))
        t_embed = time.perf_counter()
        terms, expansions = self.retriever.query_terms(question, companies)
        fields = asked_fields(terms)
        timings = {"embed": (t_embed - t0) * 1000}

        answer = self._answer_across_companies(question, language, named, terms, fields, notice)
        if answer is not None:
            answer.timings_ms = {**timings, "total": (time.perf_counter() - t0) * 1000}
            return answer

        s = self.settings
        query = Query(question, vector, terms, companies, expansions)
        hits = self.retriever.search(query, k=s.top_k, candidates=s.candidates, fusion=s.fusion,
                                     dense_weight=s.dense_weight, company_boost=s.company_boost)
        timings["search"] = (time.perf_counter() - t_embed) * 1000
        article_hits = self._expand_profiles(hits, fields)
        retrieved = {self.index.passages[i].passage_id: self.index.passages[i].text for i, _ in article_hits[:10]}
        weights = ans.term_weights(terms, self.retriever.idf)
        cands = ans.rank_sentences(self.index.passages, self.index.sentences, self.index.sentence_vectors,
                                   self._by_passage, article_hits, vector, weights, set(companies),
                                   ans.answer_type(question))
        support_terms = question_terms(question, self.tokenizer, self.glossary, self.directory, self.retriever.known)
        # a company the follow-up refers back to ("它", "its") is part of what the question is about
        support_terms += [Term(self.directory.by_id[c].name_zh, NAME, True) for c in companies if c not in named]
        coverage = support_coverage(support_terms)
        best_sim = cands[0].dense if cands else 0.0
        self.last_debug = {"coverage": coverage, "best_sim": best_sim, "companies": companies,
                           "terms": [(t.text, t.weight, t.known) for t in support_terms]}
        if not cands or coverage < MIN_COVERAGE or best_sim < MIN_SENTENCE_SIMILARITY:
            timings["total"] = (time.perf_counter() - t0) * 1000
            return Answer(question, ans.abstain_text(language), True, language, [], self._closest(cands),
                          companies, notice, retrieved, timings)

        groups = ans.choose(cands, self.index.sentences, self._by_passage, s.max_answer_sentences)
        citations: list[Citation] = []
        lines: list[str] = []
        score_of = {c.sentence: c.score for c in cands}
        for group in groups:
            for si in group:
                sent = self.index.sentences[si]
                p = self.index.passages[sent.passage_index]
                n = self._cite(citations, p, sent.text, score_of.get(si, 0.0))
                context = ans.company_context(p, sent.text, self.directory, language)
                lines.append(ans.format_quote(sent.text, n, context, language))
        if language == "en":
            lines = self._fact_lines(citations[:1], companies, fields, terms) + lines
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Answer(question, "\n".join(lines), False, language, citations, [], companies, notice, retrieved, timings)

    def _answer_across_companies(self, question: str, language: str, named: list[str], terms: list[str],
                                 fields: list[str], notice: str) -> Answer | None:
        """Comparisons ("哪家公司成立得最早？") and "which companies …" questions, from profile facts."""
        if len(named) == 1:
            return None
        pool = [self.directory.by_id[c] for c in named] if len(named) >= 2 else self.profiles
        direction = superlative(question)
        if direction:
            years = {int(t) for t in terms if re.fullmatch(r"(19|20)\d\d", t)}
            ranking = rank(pool, fields, direction, years)
            if ranking:
                return self._facts_answer(question, language, ranking.ranked[:4], named, notice,
                                          winners=ranking.winners)
        if PLURAL_WHICH.search(question):
            rows = companies_with(pool, self.retriever.concept_groups(question), self.retriever.idf)
            if rows:
                return self._facts_answer(question, language, rows[:6], named, notice, winners=None)
        return None

    def _facts_answer(self, question: str, language: str, rows, companies: list[str], notice: str,
                      winners: int | None) -> Answer:
        """Facts quoted from their source sentences and cited.

        winners=None lists every company; otherwise the first `winners` rows (more than one on a tie)
        are quoted in full and the rest are shown for comparison.
        """
        compare = winners is not None
        citations: list[Citation] = []
        cited = []
        for pos, (prof, fact) in enumerate(rows):
            i = self._by_id.get(fact.source)
            if i is None:
                continue
            whole = not compare or pos < winners
            quote = self._sentence_with(i, fact.zh) if whole else fact.zh
            cited.append((prof, fact, self._cite(citations, self.index.passages[i], quote, 1.0), quote))
        lines: list[str] = []
        if not compare:
            sep, colon = ("、", "：") if language == "zh" else (", ", ":")
            lines.append(sep.join(f"{prof.display(language)} [{n}]" for prof, _, n, _ in cited) + colon)
        shown: set[str] = set()
        for pos, (prof, fact, n, quote) in enumerate(cited):
            name = prof.display(language)
            if compare and pos >= winners:
                lines.append(f"Compare {name}: {fact.en} [{n}]." if language == "en" else f"对比 {name}：{fact.zh}[{n}]")
                continue
            if language == "en":
                lines.append(ans.fact_sentence(prof.name_en, fact, n))
            if quote not in shown:  # one sentence can name several companies
                shown.add(quote)
                context = "" if prof.id in self.directory.mentions(quote) else name
                lines.append(ans.format_quote(quote, n, context, language))
        return Answer(question, "\n".join(lines), False, language, citations, [], companies, notice,
                      {c.passage_id: c.text for c in citations})

    def _sentence_with(self, passage_index: int, phrase: str) -> str:
        """The sentence of a passage that contains a fact's words (the fact may span a sentence end)."""
        key = squash(phrase)
        for si in self._by_passage.get(passage_index, []):
            if key in squash(self.index.sentences[si].text):
                return self.index.sentences[si].text
        return phrase

    def _cite(self, citations: list[Citation], p: Passage, quote: str, score: float) -> int:
        for c in citations:
            if c.passage_id == p.passage_id:
                if quote not in c.quote:
                    c.quote = f"{c.quote} {quote}"
                return c.n
        c = ans.make_citation(len(citations) + 1, p, quote, score)
        citations.append(c)
        return c.n

    def _fact_lines(self, citations: list[Citation], companies: list[str], fields: list[str],
                    terms: list[str]) -> list[str]:
        """One English sentence from the profile fact that the quote contains and the question asks about."""
        years = {t for t in terms if re.fullmatch(r"(19|20)\d\d", t)}
        for c in citations:
            for prof in self.profiles:
                if companies and prof.id not in companies:
                    continue
                for field_name in fields:
                    for fact in prof.facts_for(field_name):
                        if fact.source != c.passage_id or not ans.contains_fact(c.quote, fact):
                            continue
                        if years and fact.year is not None and str(fact.year) not in years:
                            continue
                        return [ans.fact_sentence(prof.name_en, fact, c.n)]
        return []

    def _companies_from_history(self, history: list[str] | None) -> list[str]:
        for turn in reversed(history or []):
            found = self.directory.mentions(turn)
            if found:
                return found
        return []

    def _expand_profiles(self, hits, fields: list[str]) -> list[tuple[int, float]]:
        """Profile records stand for their facts: a hit on a profile brings in the article passages its facts cite."""
        asked = set(fields)
        out: dict[int, float] = {}
        for h in hits:
            p = self.index.passages[h.index]
            if p.is_article:
                out[h.index] = max(out.get(h.index, 0.0), h.score)
                continue
            prof = self.directory.by_id.get(p.companies[0]) if p.companies else None
            for fact in prof.facts if prof else ():
                i = self._by_id.get(fact.source)
                if i is not None and fact.field in asked:
                    out[i] = max(out.get(i, 0.0), h.score * 0.9)
        return sorted(out.items(), key=lambda x: -x[1])

    def _closest(self, cands) -> list[Citation]:
        out: list[Citation] = []
        for c in cands:
            p = self.index.passages[c.passage]
            if any(x.passage_id == p.passage_id for x in out):
                continue
            out.append(ans.make_citation(len(out) + 1, p, self.index.sentences[c.sentence].text, c.score))
            if len(out) == 3:
                break
        return out

    # ---- companies -----------------------------------------------------------------------------
    def find_company(self, name: str) -> list[CompanyMatch]:
        matches = []
        for prof, score in self.directory.find(clean_input(name if isinstance(name, str) else "")):
            matches.append(CompanyMatch(prof.id, prof.name_zh, prof.name_en, list(prof.aliases), score, prof,
                                        self.mentions_of(prof.id)))
        return matches

    def mentions_of(self, company_id: str) -> list[Citation]:
        """Every article passage that names the company, in document order."""
        out: list[Citation] = []
        for p in self.index.passages:
            if p.is_article and p.kind != "meta" and company_id in self.directory.mentions(p.text):
                out.append(ans.make_citation(len(out) + 1, p, "", 1.0))
        return out

    def companies(self) -> list[CompanyProfile]:
        return list(self.profiles)

    # ---- passages ------------------------------------------------------------------------------
    def passage(self, passage_id: str) -> Passage | None:
        i = self._by_id.get(passage_id)
        return self.index.passages[i] if i is not None else None

    def context(self, passage_id: str, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage with its neighbours in the same document, for reading a citation in place."""
        i = self._by_id.get(passage_id)
        if i is None:
            return []
        doc = self.index.passages[i].doc_id
        lo, hi = max(0, i - before), min(len(self.index.passages), i + after + 1)
        return [p for p in self.index.passages[lo:hi] if p.doc_id == doc and p.kind != "meta"]

    def document(self, doc_id: str) -> dict | None:
        return self.index.documents.get(doc_id)


def make_tokenizer(profiles: list[CompanyProfile], glossary):
    from .search.tokens import Tokenizer

    words = list(glossary.chinese_terms)
    for p in profiles:
        words.extend(p.names)
    return Tokenizer(words)


def _try_open(index_dir: Path, expect: dict) -> tuple[LoadedIndex | None, str]:
    """The live index, or None and why not. The index folder is data from disk: whatever is wrong
    with it is a reason to rebuild, never a crash."""
    build_dir = None
    try:
        build_dir = live_build(index_dir)
        if build_dir is None:
            return None, f"no index in {index_dir} yet"
        manifest = read_manifest(build_dir)
        check_manifest(manifest, build_dir, expect)
        return read_index(build_dir, manifest), ""
    except IndexProblem as exc:
        return None, str(exc)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RuntimeError) as exc:
        return None, f"{build_dir or index_dir}: cannot be read ({type(exc).__name__}: {exc})"


def _open_embedder(settings: Settings, log: Callable[[str], None]) -> Embedder:
    """The embedder with its vector cache; a damaged cache is moved aside (it only saves time)."""
    cache = Path(settings.index_dir) / "cache" / "embeddings.sqlite"
    try:
        return Embedder(settings.model, cache, settings.batch_size, settings.workers)
    except sqlite3.DatabaseError as exc:
        aside = cache.with_name(f"{cache.name}.damaged-{int(time.time())}")
        log(f"the embedding cache {cache} is damaged ({exc}); moved to {aside.name}, starting a new one")
        os.replace(cache, aside)
        return Embedder(settings.model, cache, settings.batch_size, settings.workers)
    except OSError as exc:
        raise AssistantError(f"cannot create the index folder {settings.index_dir}: {exc.strerror or exc}") from None
