"""Lookups over the loaded passages, made in one pass at load so that no question walks them all.

At a million passages a walk over every passage costs 50–500 ms; a question that did one (a
summary finding its article's paragraphs, risks scanning for cue phrases, a company page
listing its mentions) took the `ask` p95 from 33 ms to 151 ms. These maps answer the same
questions from the few passages concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Passage

_NONE: frozenset[str] = frozenset()  # most passages name no company: one shared empty set


@dataclass(frozen=True)
class PassageMaps:
    by_id: dict[str, int]  # passage id → passage index
    by_document: dict[str, Sequence[int]]  # document id → its passages, in order (a range when contiguous)
    by_company: dict[str, tuple[int, ...]]  # company id → passages that name it or sit under its heading
    company_of: list[frozenset[str]]  # passage index → the companies of Passage.companies

    def of_document(self, doc_id: str, kinds: tuple[str, ...], passages: Sequence[Passage]) -> list[int]:
        """The document's passages of these kinds (body, heading …), in order."""
        return [i for i in self.by_document.get(doc_id, ()) if passages[i].kind in kinds]

    def of_companies(self, company_ids) -> list[int]:
        """Passages about any of these companies, in passage order."""
        found: set[int] = set()
        for cid in company_ids:
            found.update(self.by_company.get(cid, ()))
        return sorted(found)


def passage_maps(passages: Sequence[Passage]) -> PassageMaps:
    by_id: dict[str, int] = {}
    spans: dict[str, list[int]] = {}  # document id → [first, last, count]
    by_company: dict[str, list[int]] = {}
    company_of: list[frozenset[str]] = []
    sets: dict[tuple[str, ...], frozenset[str]] = {(): _NONE}
    for i, p in enumerate(passages):
        by_id[p.passage_id] = i
        span = spans.get(p.doc_id)
        if span is None:
            spans[p.doc_id] = [i, i, 1]
        else:
            span[1] = i
            span[2] += 1
        companies = p.companies
        s = sets.get(companies)
        if s is None:
            s = sets[companies] = frozenset(companies)
        company_of.append(s)
        for cid in companies:
            by_company.setdefault(cid, []).append(i)
    by_document: dict[str, Sequence[int]] = {}
    for doc_id, (first, last, count) in spans.items():
        if last - first + 1 == count:  # as written: a document's passages are together
            by_document[doc_id] = range(first, last + 1)
        else:
            by_document[doc_id] = tuple(i for i in range(first, last + 1) if passages[i].doc_id == doc_id)
    return PassageMaps(
        by_id=by_id,
        by_document=by_document,
        by_company={c: tuple(ids) for c, ids in by_company.items()},
        company_of=company_of,
    )
