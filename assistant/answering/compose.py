"""Putting an answer together: numbered citations and lines in the reader's language.

Every line is either a quoted sentence (Chinese readers get the original; English readers get the
aligned English rendering, or a word-by-word gloss labelled as one when an article has no translation), a
curated profile fact (its English is curated with it), a value rendered by `values.py`, or a fixed
frame ("文中没有提到…" / "The article does not give …"). Nothing else is written by the program.
"""

from __future__ import annotations

from ..corpus.companies import FIELD_LABELS, CompanyProfile, Fact
from ..corpus.machine_translation import MACHINE_MARK
from ..language.gloss import cedict_glosses, gloss
from ..messages import Msg
from ..schema import EN_ORIGINAL, Answer, AnswerPart, Citation, Passage
from ..text import article_year, normalize, to_simplified
from .clause_values import gloss_spans
from .context import AnswerContext
from .sentences import company_context, make_citation, sentence_of, with_continuation

EN_UNTRANSLATED = Msg.UNTRANSLATED.say("en")
# After the word-by-word gloss of a quote that has no English translation, once an answer.
EN_GLOSSED = Msg.GLOSSED.say("en")


class AnswerBuilder:
    """Collects citations (one number per passage) and the answer's lines, in order."""

    def __init__(self, ctx: AnswerContext, language: str):
        self.ctx = ctx
        self.language = language
        self.citations: list[Citation] = []
        self.parts: list[AnswerPart] = []
        self._quoted: set[int] = set()

    @property
    def en(self) -> bool:
        return self.language == "en"

    # ---- citations ----------------------------------------------------------------------------
    def cite(self, passage_index: int, quote: str, quote_en: str = "", score: float = 1.0) -> int:
        p = self.ctx.passages[passage_index]
        for c in self.citations:
            if c.passage_id == p.passage_id:
                if quote and quote not in c.quote:
                    c.quote = f"{c.quote} {quote}".strip()
                    c.quote_en = f"{c.quote_en} {quote_en}".strip()
                return c.n
        c = make_citation(len(self.citations) + 1, p, quote, score, quote_en)
        self.citations.append(c)
        return c.n

    # ---- lines --------------------------------------------------------------------------------
    def sentences(
        self, group: list[int], role: str, score: float = 1.0, company: str = "", name_company: bool = True
    ) -> bool:
        """Quote a group of sentences (a sentence and the list it introduces) as one line."""
        group = [si for si in group if si not in self._quoted]
        if not group:
            return False
        sents = [self.ctx.sentences[si] for si in group]
        quote = "".join(s.text for s in sents)
        quote_en = " ".join(s.text_en for s in sents) if all(s.text_en for s in sents) else ""
        self.quote(sents[0].passage_index, quote, quote_en, role, score, company, name_company)
        self._quoted.update(group)
        return True

    def quote(
        self,
        pi: int,
        quote: str,
        quote_en: str,
        role: str,
        score: float = 1.0,
        company: str = "",
        name_company: bool = True,
    ) -> None:
        """One quoted line from passage `pi` (a sentence group, or an article's headline): the original
        for Chinese readers; for English ones its translation, or its word-by-word gloss."""
        p = self.ctx.passages[pi]
        n = self.cite(pi, quote, quote_en, score)
        about = company_context(p, quote, self.ctx.directory, self.language) if name_company else ""
        original = quote if self.en and quote_en else ""
        if self.en and not quote_en:
            text = self._glossed(p, quote, n, company)
            original = quote
        elif self.en:  # the English rendering answers; the original follows, marked, one click away
            text = f"{about} — {quote_en} [{n}]" if about else f"{quote_en} [{n}]"
            if str(self.ctx.index.documents.get(p.doc_id, {}).get("translated_by", "")).startswith(
                MACHINE_MARK
            ):
                text += " " + Msg.MACHINE.say("en")
            text += f" {EN_ORIGINAL} “{quote}”"
        else:
            text = f"【{about}】{quote}[{n}]" if about else f"{quote}[{n}]"
        cid = company or (self.ctx.directory.mentions(p.section)[:1] or [""])[0]
        self.parts.append(AnswerPart(role=role, text=text, citations=(n,), company=cid, original=original))

    def _glossed(self, p: Passage, quote: str, n: int, company: str) -> str:
        """An untranslated quote for an English reader: its word-by-word gloss (language/gloss.py),
        said to be one once an answer, the company it is about first when the quote does not name
        it, then the original; the original alone, marked, when nothing in it could be glossed."""
        fixed, terms = gloss_spans(quote, self.ctx.names, self.ctx.glossary, article_year(p.published))
        named = self.ctx.directory.mention_spans(normalize(quote))
        fixed += [(a, b, company_name(self.ctx, cid, "en")) for a, b, cid in named]
        simple = to_simplified(quote)  # (one character for one: the spans hold)
        text = simple if len(simple) == len(quote) else quote
        said = gloss(text, fixed, terms, self.ctx.tokenizer.tagged, cedict_glosses())
        if not said:
            return f"{EN_UNTRANSLATED} “{quote}” [{n}]"
        lead = (
            company_name(self.ctx, company, "en") if company and company not in {c for *_, c in named} else ""
        )
        note = "" if any(EN_GLOSSED in part.text for part in self.parts) else EN_GLOSSED + " "
        return f"{lead + ' — ' if lead else ''}{said} [{n}] {note}{EN_ORIGINAL} “{quote}”"

    def fact(self, prof: CompanyProfile, fact: Fact, role: str, with_sentence: bool = True) -> bool:
        """A profile fact, cited to the passage it was taken from: in English its curated rendering
        (plus the sentence's English when there is one); in Chinese the sentence that holds it."""
        pi = self.ctx.by_id.get(fact.source)
        if pi is None:
            return False
        si = sentence_of(self.ctx.sentences, self.ctx.by_passage, pi, fact.zh)
        if si is not None and with_sentence and (not self.en or self.ctx.sentences[si].text_en):
            if si in self._quoted:
                return False
            group = with_continuation(si, self.ctx.sentences, self.ctx.by_passage)  # "…的节奏:" and its list
            ok = self.sentences(group, role, company=prof.id, name_company=True)
            if ok and self.en and prof.name_en.lower() not in self.parts[-1].text.lower():
                last = self.parts[-1]
                self.parts[-1] = AnswerPart(
                    role=last.role,
                    text=f"{prof.name_en} — {last.text}",
                    citations=last.citations,
                    company=last.company,
                    original=last.original,
                )
            return ok
        quote = self.ctx.sentences[si].text if si is not None else fact.zh
        quote_en = self.ctx.sentences[si].text_en if si is not None else ""
        n = self.cite(pi, quote, quote_en)
        if si is not None and with_sentence:
            self._quoted.add(si)  # (without: the quote may still follow the fact, as look-ups show it)
        text = (
            f"{prof.name_en}: {fact.en.rstrip('. ')} [{n}]." if self.en else f"{prof.name_zh}：{quote}[{n}]"
        )
        self.parts.append(AnswerPart(role=role, text=text, citations=(n,), company=prof.id))
        return True

    def value(
        self,
        passage_index: int,
        value: str,
        value_en: str,
        company: str = "",
        as_of: str = "",
        note: str = "",
        label_en: str = "",
    ) -> None:
        """The short answer first: the value a claim holds, as written (Chinese) or rendered (English),
        cited to the passage whose sentence is quoted under it; `as_of`: the date of its article;
        `label_en`: what the value is, in English ("gross margin"), when the quote has no translation."""
        n = self.cite(passage_index, "")
        if self.en:
            who = company_name(self.ctx, company, "en") if company else ""
            head = " — ".join(x for x in (who, label_en) if x)
            head = head[:1].upper() + head[1:]
            text = f"{head}: {value_en} [{n}]" if head else f"{value_en} [{n}]"
        else:
            text = f"{value}[{n}]"
        if as_of:
            text += " " + Msg.AS_OF.say(self.language, date=as_of)
        if note:
            text += " " + note
        self.parts.append(AnswerPart(role="direct", text=text, citations=(n,), company=company))

    def line(self, text: str, role: str, company: str = "", citations: tuple[int, ...] = ()) -> None:
        """A framing line: a heading for a list, a "not stated", a contrast of rendered values."""
        self.parts.append(AnswerPart(role=role, text=text, citations=citations, company=company))

    def answer(
        self,
        question: str,
        intent: str,
        companies,
        notice: str = "",
        abstained: bool = False,
        closest: list[Citation] | None = None,
        retrieved: list[int] = (),
    ) -> Answer:
        """The Answer; `retrieved` (passage indices in retrieval order) follows what it cites."""
        shown = {c.passage_id: c.text for c in self.citations}
        for i in retrieved:
            p = self.ctx.passages[i]
            shown.setdefault(p.passage_id, p.text)
        return Answer(
            question=question,
            text="\n".join(p.text for p in self.parts),
            abstained=abstained,
            language=self.language,
            citations=self.citations,
            closest=closest or [],
            companies=list(companies),
            notice=notice,
            retrieved=shown,
            intent=intent,
            parts=list(self.parts),
        )


def field_label(field: str, language: str) -> str:
    zh, en = FIELD_LABELS.get(field, (field, field))
    return en.lower() if language == "en" else zh


def company_name(ctx: AnswerContext, cid: str, language: str) -> str:
    prof = ctx.directory.by_id.get(cid)
    return prof.display(language) if prof else cid
