"""Finding companies by any of their names: exact, partial, width/case variants, generated forms
(pinyin, English) and small typos.

Kept apart from the profiles (companies.py): a profile is a record read and checked from its file;
this is the look-up over all of them, made once per build and per Assistant, that questions,
passages and the page's search box go through.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection

from ..text import normalize, squash
from .companies import CompanyProfile
from .name_forms import name_forms

_LATIN_ONLY = re.compile(r"^[a-z0-9 .&'+-]+$")
_LATIN_LETTERS = re.compile(r"[A-Za-z]{2}")  # what a generated name form (pinyin, English) needs
_CJK = re.compile(r"[\u4e00-\u9fff]")


class CompanyDirectory:
    """Name → company lookups over all profiles: exact, partial, width/case variants and small typos."""

    def __init__(
        self,
        profiles: list[CompanyProfile],
        readings: Callable[[str], Collection[str] | None] | None = None,
    ):
        """`readings(ch)`: every pinyin reading a character can have (language/word_tables.py,
        `pinyin_reading`); with it, text that cannot hold a generated form needs no pypinyin."""
        self.profiles = list(profiles)
        self._readings = readings
        self._form_gate: re.Pattern | None | bool = None
        self.by_id = {p.id: p for p in self.profiles}
        self._names: list[tuple[str, str, str]] = []  # (squashed name, company id, kind)
        for p in self.profiles:
            for n in p.names:
                kind = "primary" if n in (p.name_zh, p.name_en, *p.full_names) else "alias"
                self._names.append((squash(n, punctuation=True), p.id, kind))
        self._patterns: dict[bool, tuple[re.Pattern | None, dict[str, str]]] = {}
        self._ambiguous: dict[str, tuple[str, ...]] | None = None

    @property
    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        """Generated forms two companies share → both (such a form names neither)."""
        self._mention_pattern(with_forms=True)
        return self._ambiguous or {}

    def _mention_pattern(self, with_forms: bool) -> tuple[re.Pattern | None, dict[str, str]]:
        """One regex for every name — and, `with_forms`, every generated form (pinyin: suiyuan,
        mu xi) — longest first; Latin names only match as whole words; and its keys → company ids.
        A form two companies share names neither (it is reported in `ambiguous`), unless it is one
        company's own name. Generated forms are Latin letters, so text without them never needs
        them, nor pypinyin (0.2–0.3 s to import at a shell ask: issue 20); each is made once."""
        if with_forms in self._patterns:
            return self._patterns[with_forms]
        entries: dict[str, str] = {}
        for p in self.profiles:
            for n in p.names:
                key = normalize(n).strip()
                if len(key) >= 2:
                    entries.setdefault(key, p.id)
        if with_forms:
            self._ambiguous = self._add_generated(entries)
        keys = {k.replace(" ", ""): v for k, v in entries.items()}
        parts = []
        for key in sorted(entries, key=len, reverse=True):
            body = r"\s*".join(re.escape(ch) for ch in key.replace(" ", ""))
            parts.append(rf"(?<![a-z0-9]){body}(?![a-z0-9])" if _LATIN_ONLY.match(key) else body)
        self._patterns[with_forms] = (re.compile("|".join(parts)) if parts else None, keys)
        return self._patterns[with_forms]

    def _add_generated(self, entries: dict[str, str]) -> dict[str, tuple[str, ...]]:
        """Each curated company's generated name forms into `entries`; returns the shared ones."""
        generated: dict[str, set[str]] = {}
        for p in self.profiles:
            for n in p.names if not p.discovered else ():
                if len(n) <= 6:
                    for form in name_forms(n, ""):
                        generated.setdefault(normalize(form).strip(), set()).add(p.id)
        ambiguous = {}
        for key, ids in generated.items():
            if key in entries:
                continue
            if len(ids) == 1:
                entries[key] = next(iter(ids))
            else:
                ambiguous[key] = tuple(sorted(ids))
        return ambiguous

    def warm(self) -> None:
        """Make the generated forms now (the web app, before it opens): a shell ask makes them only
        for a text that can hold one."""
        self._mention_pattern(with_forms=True)

    def mention_spans(self, norm: str) -> list[tuple[int, int, str]]:
        """(start, end, company id) of every company name in already normalised text."""
        if not norm:
            return []
        with_forms = _LATIN_LETTERS.search(norm) is not None and (
            True in self._patterns or self._may_hold_a_form(norm)  # once made, the forms cost nothing
        )
        pattern, keys = self._mention_pattern(with_forms=with_forms)
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(norm):
            cid = keys.get(re.sub(r"\s+", "", m.group(0)))
            if cid:
                out.append((m.start(), m.end(), cid))
        return out

    def _may_hold_a_form(self, norm: str) -> bool:
        """False only when no generated form can occur in `norm`: a form is a name's pinyin, one
        reading per character, so a pattern of every reading of every character (made from the
        readings table, without pypinyin) finds at least every place a form can be. Without a
        forms pattern the mention pattern finds the same spans: the forms are only alternatives."""
        if self._readings is None:
            return True
        if self._form_gate is None:
            self._form_gate = self._any_form_pattern()
        return self._form_gate is True or bool(self._form_gate and self._form_gate.search(norm))

    def _any_form_pattern(self) -> re.Pattern | bool:
        """The pattern `_may_hold_a_form` searches; True (always search) for a name with a character
        the table cannot read, False when no name has a form (as _add_generated chooses them)."""
        assert self._readings is not None
        names = []
        for p in self.profiles:
            for n in p.names if not p.discovered else ():
                if len(n) > 6 or not _CJK.search(n):
                    continue
                units = []
                for ch in n:
                    heard = self._readings(ch)
                    if not heard:
                        return True
                    spelled = {r"\s*".join(map(re.escape, normalize(r).replace(" ", ""))) for r in heard}
                    units.append("(?:" + "|".join(sorted(spelled)) + ")")
                names.append(r"\s*".join(units))
        return re.compile("|".join(names)) if names else False

    def mentions(self, text: str) -> list[str]:
        """Company ids named in `text`, in order of first mention."""
        return list(dict.fromkeys(cid for _, _, cid in self.mention_spans(normalize(text or ""))))

    def find(self, name: str) -> list[tuple[CompanyProfile, float]]:
        """Companies that `name` can mean, best first; empty when it names none of them."""
        q = squash(name or "", punctuation=True)
        if not q or (len(q) < 2):
            return []
        best: dict[str, float] = {}
        for n, cid, kind in self._names:
            if not n:
                continue
            score = _name_score(q, n)
            if kind == "alias" and score < 1.0:
                score *= 0.95  # a partial product name is weaker evidence than a partial company name
            if score > best.get(cid, 0.0):
                best[cid] = score
        ranked = sorted(((self.by_id[c], s) for c, s in best.items() if s >= 0.75), key=lambda x: -x[1])
        return ranked


def _name_score(q: str, n: str) -> float:
    """1 for the name itself; a little less for its beginning (壁仞 → 壁仞科技), the name plus a suffix
    (沐曦股份有限公司), or a small typo in a Latin name (Enflme). A fragment from the middle or end of
    a name (科技, tech) is no evidence for any one company."""
    if q == n:
        return 1.0
    latin = _LATIN_ONLY.match(q) is not None
    min_len = 3 if latin else 2
    if len(q) >= min_len and n.startswith(q):
        return 0.8 + 0.19 * len(q) / len(n)
    if len(n) >= min_len and q.startswith(n) and len(n) / len(q) >= 0.5:
        return 0.8 + 0.19 * len(n) / len(q)
    if latin and len(q) >= 4:
        ratio = difflib.SequenceMatcher(None, q, n).ratio()
        if ratio >= 0.8:
            return 0.75 + 0.2 * ratio * (1 if abs(len(q) - len(n)) <= 2 else 0.9)
        prefix = n[: len(q)]  # a typo in a shortened form: "biren tec" against "birentechnology"
        if len(q) >= 5 and difflib.SequenceMatcher(None, q, prefix).ratio() >= 0.85:
            return 0.78
    return 0.0
