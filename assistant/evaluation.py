"""Score the assistant on a labelled question set (JSON lines), the way the dev set is defined.

evidence: any-of strings a supporting passage contains; answer: groups that must all match, each
any-of; both compared after NFKC, lower case and removal of all whitespace. Items marked
`"english_only": true` are matched against what a reader without Chinese gets: the answer with
every quote that contains Chinese removed and all CJK characters dropped (`english_readable`).
Type `open` counts like a fact. Results are grouped by language, type and the intent the
assistant recognised (answering/analysis.py).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssistantError
from .feedback import UNLABELLED_TYPES
from .text import squash

# A quotation in any of the marks answers use: “…”, 「…」, "…".
_QUOTE = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def english_readable(text: str) -> str:
    """What a reader without Chinese gets from an answer: quotes containing Chinese removed, CJK dropped."""
    text = _QUOTE.sub(lambda m: "" if _CJK.search(m.group(0)) else m.group(0), text)
    return _CJK.sub("", text)


@dataclass
class ItemResult:
    id: str
    type: str
    lang: str
    question: str
    ok: bool
    detail: str
    rank: int | None = None  # rank of the first relevant citation (1-based)
    abstained: bool = False
    latency_ms: float = 0.0
    intent: str = ""
    english_only: bool = False


@dataclass
class Report:
    items: list[ItemResult] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"summary": summary(self), "items": [i.__dict__ for i in self.items], "skipped": self.skipped}


def load_items(path: Path) -> list[dict]:
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"cannot read question set {path}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise AssistantError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    return items


def matches(text: str, options: list[str]) -> bool:
    s = squash(text)
    return any(squash(o) in s for o in options)


def evaluate(bot, items: list[dict]) -> Report:
    report = Report()
    for item in items:
        kind = item.get("type", "fact")
        if kind == "company":
            report.items.append(_company_item(bot, item))
            continue
        if "question" not in item or kind in UNLABELLED_TYPES:  # not (yet) labelled: nothing to score
            report.skipped[kind] = report.skipped.get(kind, 0) + 1
            continue
        t0 = time.perf_counter()
        a = bot.ask(item["question"], history=item.get("history") or [])
        ms = (time.perf_counter() - t0) * 1000
        lang = item.get("lang", a.language)
        english_only = bool(item.get("english_only"))
        if kind == "unanswerable":
            report.items.append(
                ItemResult(
                    item["id"],
                    kind,
                    lang,
                    item["question"],
                    a.abstained,
                    "abstained" if a.abstained else f"answered: {a.text[:80]}",
                    abstained=a.abstained,
                    latency_ms=ms,
                    intent=a.intent,
                    english_only=english_only,
                )
            )
            continue
        evidence = item.get("evidence") or []
        rank = _evidence_rank(a, evidence)
        groups = item.get("answer") or []
        shown = english_readable(a.text) if english_only else a.text
        ok = (not a.abstained) and all(matches(shown, g) for g in groups)
        detail = "ok" if ok else ("abstained" if a.abstained else f"answer lacks {groups}: {shown[:160]}")
        report.items.append(
            ItemResult(
                item["id"],
                kind,
                lang,
                item["question"],
                ok,
                detail,
                rank,
                a.abstained,
                ms,
                a.intent,
                english_only,
            )
        )
    return report


def _evidence_rank(a, evidence: list[str]) -> int | None:
    """Rank of the first supporting passage: cited passages first, then the rest of what retrieval ranked."""
    seen: list[str] = []
    texts = {c.passage_id: c.text for c in list(a.citations) + list(a.closest)}
    texts.update(a.retrieved)
    for pid in [c.passage_id for c in a.citations] + [c.passage_id for c in a.closest] + list(a.retrieved):
        if pid in seen:
            continue
        seen.append(pid)
        if matches(texts.get(pid, ""), evidence):
            return len(seen)
    return None


def _company_item(bot, item: dict) -> ItemResult:
    found = bot.find_company(item["query"])
    want = item["company"]
    top = found[0] if found else None
    ok = top is not None and want in (top.name_zh, top.name_en, top.company_id, *top.profile.full_names)
    detail = "ok" if ok else f"top match: {top.name_zh if top else 'none'}"
    return ItemResult(item["id"], "company", "", item["query"], ok, detail, 1 if ok else None)


def summary(report: Report) -> dict:
    out: dict = {}
    answerable = [i for i in report.items if i.type not in ("unanswerable", "company")]
    groups = {"all": answerable}
    for i in answerable:
        groups.setdefault(f"lang={i.lang}", []).append(i)
        groups.setdefault(f"type={i.type}", []).append(i)
    for i in answerable:
        if i.english_only:
            groups.setdefault("english readable", []).append(i)
    for i in answerable:
        groups.setdefault(f"intent={i.intent or '?'}", []).append(i)
    for name, items in groups.items():
        n = len(items)
        if not n:
            continue
        out[name] = {
            "n": n,
            "recall@5": sum(1 for i in items if i.rank and i.rank <= 5) / n,
            "mrr@10": sum(1 / i.rank for i in items if i.rank and i.rank <= 10) / n,
            "accuracy": sum(i.ok for i in items) / n,
            "false_abstention": sum(i.abstained for i in items) / n,
        }
    unans = [i for i in report.items if i.type == "unanswerable"]
    if unans:
        out["unanswerable"] = {
            "n": len(unans),
            "abstention": sum(i.abstained for i in unans) / len(unans),
            "by_intent": {
                k: sum(1 for i in unans if i.intent == k) for k in sorted({i.intent for i in unans})
            },
        }
    comp = [i for i in report.items if i.type == "company"]
    if comp:
        out["company"] = {"n": len(comp), "top1": sum(i.ok for i in comp) / len(comp)}
    lat = sorted(i.latency_ms for i in report.items if i.type != "company")
    if lat:
        out["latency_ms"] = {
            "p50": statistics.median(lat),
            "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))],
            "max": lat[-1],
        }
    return out


def format_report(report: Report) -> str:
    s = summary(report)
    lines = [f"{'group':<22}{'n':>4}{'R@5':>8}{'MRR@10':>8}{'acc':>8}{'false-abst':>12}"]
    for name, v in s.items():
        if name in ("unanswerable", "company", "latency_ms"):
            continue
        lines.append(
            f"{name:<22}{v['n']:>4}{v['recall@5']:>8.3f}{v['mrr@10']:>8.3f}{v['accuracy']:>8.3f}{v['false_abstention']:>12.3f}"
        )
    if "unanswerable" in s:
        lines.append(
            f"unanswerable: {s['unanswerable']['n']} items, "
            f"abstained on {s['unanswerable']['abstention']:.3f}"
        )
    if "company" in s:
        lines.append(
            f"company look-ups: {s['company']['n']} items, top-1 accuracy {s['company']['top1']:.3f}"
        )
    if "latency_ms" in s:
        lat = s["latency_ms"]
        lines.append(
            f"ask latency: p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, max {lat['max']:.1f} ms"
        )
    for k, v in report.skipped.items():
        lines.append(f"skipped {v} items of type {k}")
    failing = [i for i in report.items if not i.ok]
    if failing:
        lines.append(f"failing items ({len(failing)}):")
        for i in failing:
            lines.append(f"  {i.id} [{i.type}/{i.lang}] {i.question} — {i.detail} (evidence rank {i.rank})")
    return "\n".join(lines)
