"""Hybrid search: dense (FAISS) and BM25 (bm25s over jieba words), fused, with a company boost.

English questions reach Chinese passages two ways: the dense model is multilingual, and the
keyword side adds the Chinese terms of the glossary and of the companies the question names.
Fusion is a weighted sum of min-max normalised scores by default; reciprocal rank fusion is
the alternative (`fusion` setting) — `assistant eval` compares them on a question set.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..corpus.company_directory import CompanyDirectory
from ..corpus.name_forms import entity_words
from ..index.layout import LoadedIndex
from ..index.stores.base import RRF_K, SearchStore
from ..index.stores.faiss import FaissStore
from ..language.glossary import Glossary
from ..language.tokens import Tokenizer
from ..text import normalize


@dataclass
class Query:
    """A question prepared once and used by every stage."""

    text: str
    vector: np.ndarray
    terms: list[str]  # keyword terms, glossary and company expansions included
    companies: list[str]  # company ids named in the question (or carried over from the history)
    expansions: list[str] = field(default_factory=list)


@dataclass
class Hit:
    index: int  # passage number in the index
    score: float
    dense: float = 0.0
    bm25: float = 0.0


class Retriever:
    def __init__(
        self,
        index: LoadedIndex,
        tokenizer: Tokenizer,
        glossary: Glossary,
        directory: CompanyDirectory,
        company_of: Sequence[frozenset[str]],
    ):
        self.index = index
        self.tokenizer = tokenizer
        self.glossary = glossary
        self.directory = directory
        bm25 = index.bm25
        self.vocab = bm25.vocab_dict
        indptr = np.asarray(bm25.scores["indptr"])
        self.df = np.diff(indptr)  # documents containing each token
        self.n_docs = int(bm25.scores["num_docs"])
        self.company_of = company_of  # passage index → its companies (index/passage_maps.py)
        self.article_vocab = self._article_vocabulary(indptr, np.asarray(bm25.scores["indices"]))

    def _article_vocabulary(self, indptr: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
        """Per token: used by some article passage? Profile records (with English text) must not make a
        word 'known'."""
        first_profile = next(
            (i for i, p in enumerate(self.index.passages) if not p.is_article), len(self.index.passages)
        )
        in_article = (doc_ids < first_profile).astype(np.int64)
        counts = (
            np.add.reduceat(in_article, indptr[:-1])
            if len(in_article)
            else np.zeros(len(indptr) - 1, np.int64)
        )
        counts[np.diff(indptr) == 0] = 0  # reduceat repeats a value for empty segments
        return counts > 0

    # ---- terms -------------------------------------------------------------------------
    def query_terms(
        self, text: str, companies: list[str], extra: list[str] | tuple[str, ...] = ()
    ) -> tuple[list[str], list[str]]:
        """Keyword terms of a question, plus the Chinese expansions added: the glossary's, the
        companies', and `extra` (question analysis: the words articles use for everyday words and
        jargon, and the Chinese of names from the name table)."""
        terms = self.tokenizer.tokens(text)
        expansions: list[str] = []
        for zh in [*self.glossary.expand(text), *extra]:
            expansions.extend(self.tokenizer.tokens(zh))
        places = entity_words().places  # 杭州 of 杭州启衡微电子 says where it is, not which company
        for cid in companies:
            p = self.directory.by_id.get(cid)
            if p:
                expansions.extend(t for t in self.tokenizer.tokens(p.name_zh) if t not in places)
        out = list(dict.fromkeys(terms + expansions))
        return out, [e for e in dict.fromkeys(expansions) if e not in terms]

    def concept_groups(self, text: str) -> list[list[str]]:
        """The question's concepts: each glossary phrase with its Chinese terms, and each remaining word."""
        norm = normalize(text)
        masked = list(norm)
        groups: list[list[str]] = []
        for a, b, zhs in self.glossary.spans(norm):
            groups.append(list(dict.fromkeys(normalize(z).replace(" ", "") for z in zhs)))
            masked[a:b] = " " * (b - a)
        groups.extend([t] for t in self.tokenizer.tokens("".join(masked)))
        return [g for g in groups if g]

    def idf(self, term: str) -> float:
        """BM25 idf of a term; a term the corpus never uses gets the largest weight of all."""
        tid = self.vocab.get(term)
        df = int(self.df[tid]) if tid is not None and tid < len(self.df) else 0
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        """Whether any article passage uses the term."""
        tid = self.vocab.get(term)
        return tid is not None and tid < len(self.article_vocab) and bool(self.article_vocab[tid])

    # ---- search ------------------------------------------------------------------------
    @property
    def store(self) -> SearchStore:
        """Where the searches run: the index's FAISS files or Milvus (index/stores/)."""
        store = getattr(self.index, "store", None)
        return store if store is not None else FaissStore(self.index)

    def dense(self, vector: np.ndarray, k: int) -> dict[int, float]:
        return self.store.dense(vector, k)

    def dense_english(self, vector: np.ndarray, k: int) -> dict[int, float]:
        """Dense search over the passages' English renderings (aligned translations), if any."""
        return {i: s for i, s in self.store.dense(vector, k, english=True).items() if s > 0}

    def keyword(self, terms: list[str], k: int) -> dict[int, float]:
        return self.store.keyword([t for t in terms if t in self.vocab], k)

    def search(
        self,
        query: Query,
        k: int,
        candidates: int,
        fusion: str = "weighted",
        dense_weight: float = 0.5,
        company_boost: float = 0.35,
    ) -> list[Hit]:
        dense = self.dense(query.vector, candidates)
        for i, score in self.dense_english(query.vector, candidates).items():
            dense[i] = max(score, dense.get(i, -1.0))  # a passage matches through its original or its English
        bm25 = self.keyword(query.terms, candidates)
        ids = set(dense) | set(bm25)
        if not ids:
            return []
        missing_dense = [i for i in ids if i not in dense]
        if missing_dense:  # exact cosine for keyword-only hits, so every candidate has both signals
            dense.update(self._dense_exact(query.vector, missing_dense))
        if fusion == "rrf":
            fused = _rrf(dense, bm25)
        else:
            fused = _weighted(dense, bm25, dense_weight)
        if query.companies and company_boost:
            wanted = set(query.companies)
            scale = max(fused.values()) if fused else 1.0
            for i in fused:
                if self.company_of[i] & wanted:
                    fused[i] += company_boost * scale
        order = sorted(fused, key=lambda i: -fused[i])[:k]
        return [Hit(i, fused[i], dense.get(i, 0.0), bm25.get(i, 0.0)) for i in order]

    def _dense_exact(self, vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        return self.store.dense_scores(vector, ids)


def _minmax(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return {i: 1.0 for i in scores}
    return {i: (s - lo) / (hi - lo) for i, s in scores.items()}


def _weighted(dense: dict[int, float], bm25: dict[int, float], w: float) -> dict[int, float]:
    d, b = _minmax(dense), _minmax(bm25)
    if not b:  # no keyword evidence at all: dense decides alone
        return d
    return {i: w * d.get(i, 0.0) + (1 - w) * b.get(i, 0.0) for i in set(d) | set(b)}


def _rrf(dense: dict[int, float], bm25: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for scores in (dense, bm25):
        for rank, i in enumerate(sorted(scores, key=lambda i: -scores[i])):
            out[i] = out.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
    return out
