"""The index's sentences as integer columns (sentences.npy), read like a list of Sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..schema import Passage, Sentence


class SentenceTable(Sequence):
    """The index's sentences as five integer columns (sentences.npy); a `Sentence` is made when one
    is asked for.

    A million-passage corpus has about two million sentences: as objects they took seconds to
    load and about a gigabyte; as columns, milliseconds and 80 MB. Reads like a list of Sentence.
    """

    def __init__(self, passages: list[Passage], columns: np.ndarray):
        self.passages = passages
        self.columns = columns  # int64 (n, 5): passage index, start, end, English start, English end

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._make(*(int(x) for x in self.columns[i]))

    def __iter__(self):
        for row in self.columns.tolist():
            yield self._make(*row)

    def _make(self, pi: int, start: int, end: int, es: int, ee: int) -> Sentence:
        p = self.passages[pi]
        return Sentence(pi, p.text[start:end], start, end, p.text_en[es:ee], es, ee)

    def by_passage(self):
        """Sentence numbers of each passage, in order: a mapping passage index → list."""
        order = self.columns[:, 0]
        if len(order) and np.all(np.diff(order) >= 0):  # as written: in passage order
            return SentencesOfPassage(order, len(self.passages))
        out: dict[int, list[int]] = {}
        for si, pi in enumerate(order.tolist()):
            out.setdefault(pi, []).append(si)
        return out


class SentencesOfPassage(Mapping):
    """passage index → its sentence numbers, answered from the sorted column (a dict of a million
    lists took two seconds to build at every start)."""

    def __init__(self, order: np.ndarray, n_passages: int):
        bounds = np.searchsorted(order, np.arange(n_passages + 1))
        self.start, self.end = bounds[:-1], bounds[1:]
        self._keys = np.flatnonzero(self.end > self.start)

    def __getitem__(self, pi) -> list[int]:
        if (
            not isinstance(pi, (int, np.integer))
            or not 0 <= pi < len(self.start)
            or self.end[pi] == self.start[pi]
        ):
            raise KeyError(pi)
        return list(range(int(self.start[pi]), int(self.end[pi])))

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys.tolist())


def sentences_by_passage(sentences) -> dict[int, list[int]]:
    """Sentence numbers of each passage, for a SentenceTable or a plain list of Sentence."""
    if isinstance(sentences, SentenceTable):
        return sentences.by_passage()
    out: dict[int, list[int]] = {}
    for si, s in enumerate(sentences):
        out.setdefault(s.passage_index, []).append(si)
    return out


SENTENCE_COLUMNS = 5  # passage index, start, end, English start, English end


def sentence_array(sentences) -> np.ndarray:
    """The sentences as sentences.npy holds them: one row each of passage index, start, end, English
    start, English end (offsets into the passage's text and text_en)."""
    if isinstance(sentences, SentenceTable):
        return np.ascontiguousarray(sentences.columns, dtype=np.int64)
    rows = [(s.passage_index, s.start, s.end, s.en_start, s.en_end) for s in sentences]
    return np.array(rows, dtype=np.int64).reshape(len(rows), SENTENCE_COLUMNS)
