"""Organisations and people named in any article, found in the text itself, with the names people
write them by.

The curated profiles and name table cover the articles someone prepared; every article added later
names companies, sponsors and chief executives nobody typed in. They are found here by the way
Chinese business reporting writes names — a stock code after a name (芯澜科技（688936.SH）), an
organisation suffix (…科技, …证券, …资本), "以下简称“…”", a title before a person (董事长陈浩然) —
using the general word table (name_forms.entity_words), never a list of this corpus's names.

Every entity, curated or found, gets the same generated forms (`name_forms`): its short name
(芯澜科技 → 芯澜), pinyin with and without spaces (xinlan, xin lan), an English rendering labelled
as a transliteration (Xinlan Technology, Chen Haoran). Questions that write a name another way —
initials, a homophone typo (碧仞 for 壁仞) — are resolved by `names.resolve_question`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace

from ..text import compiled, to_simplified
from .companies import CompanyProfile
from .name_forms import (
    MAX_STEM,
    MIN_STEM,
    EntityWords,
    ends_with_suffix,
    entity_words,
    name_forms,
    organisation_english,
    person_english,
    syllables,
)

ORGANISATION, PERSON = "organisation", "person"
# A stock code right after a name: the strongest sign that the name is a listed company's. Hong Kong's
# are five digits from 0 (（00700）), Taiwan's four (聯晟科技（6795）); a year in brackets is none.
_CODED = (
    r"(?P<name>[\u4e00-\u9fffA-Za-z*]{2,16})\s*[（(]\s*(?:股票代码[:：]?\s*)?"
    r"(?P<code>\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK|\d{6}|0\d{4}"
    r"|(?!19\d\d|20\d\d)\d{4}(?:\.TWO?)?)\s*[)）]"
)
_CALLED = r"(?:以下简称|下称|简称)\s*[“\"「『]([^”\"」』]{2,12})[”\"」』]"
_CJK_RUN = r"[\u4e00-\u9fff]+$"
# How far before "（以下简称“…”）" the long name may end: the legal form and brackets between
# (…合伙企业（有限合伙）（下称“…”）).
CALLED_GAP = 8
# 债券简称, 股票简称: the name of the company's own security, said of the company named before.
_SECURITY = ("债券", "股票", "证券", "转债")
# A short name that is not an organisation's: a document's, a deal's, a person's (下称“本次交易”).
_PERSONAL = r"本次|该|公告|协议|合同|方案|交易|决定书|告知书|报告|项目|计划|先生|女士"
# A name with a weak suffix (…技术, …芯片, …数据: also the end of ordinary phrases) counts only when the
# articles write it at least this often; a strong one (…科技, …证券, …资本) or a stock code, once.
WEAK_SUFFIX_MENTIONS = 2


@dataclass(frozen=True)
class Entity:
    """A name found in the articles: the full form, its short form and English rendering."""

    kind: str  # ORGANISATION or PERSON
    zh: str  # as the article writes it (芯澜科技, 陈浩然)
    en: str  # transliteration with the known parts translated (Xinlan Technology, Chen Haoran)
    short: str = ""  # the stem people also use (芯澜), "" if none
    aliases: tuple[str, ...] = ()  # names the article gives it (简称) and generated forms
    role: str = ""  # a person's title where first found (创始人兼CEO)

    @property
    def id(self) -> str:
        return "auto-" + "-".join(syllables(self.zh)) if self.zh else "auto-"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> Entity:
        return cls(
            kind=str(d["kind"]),
            zh=str(d["zh"]),
            en=str(d["en"]),
            short=str(d.get("short") or ""),
            aliases=tuple(str(a) for a in d.get("aliases") or ()),
            role=str(d.get("role") or ""),
        )


# ---------------------------------------------------------------- discovery


def discover(
    texts: Iterable[str],
    is_common: Callable[[str], bool],
    known: Callable[[str], bool] = lambda s: False,
    ordinary: Callable[[str], bool] = lambda s: False,
) -> list[Entity]:
    """Organisations and people named in `texts` (article paragraphs), in order of first mention.

    `is_common(word)`: the general dictionary knows the word as an ordinary word (金融, 人工) — a
    stem made of such words is a phrase, not a name. `known(name)`: a curated profile or the name
    table has it already (the curated form wins). `ordinary(stem)`: a general dictionary has the stem
    as an ordinary word (刻蚀 "etch"): with a weak suffix it makes a phrase (刻蚀设备), not a name."""
    texts = [to_simplified(t) for t in texts]  # 設計廠鈺晟科技: the boundary words are simplified
    counts: dict[str, int] = {}
    for text in texts:
        for full in organisations(text, is_common):
            counts[full] = counts.get(full, 0) + 1
    words = entity_words()
    # (name, code) of each stock code written after a name: vouches for a name, and is one of its names
    codes = [(_trim(m.group("name")), m.group("code")) for t in texts for m in compiled(_CODED).finditer(t)]
    coded = {name for name, _ in codes}

    def _phrase(full: str, suffix: str) -> bool:  # 刻蚀设备: an ordinary word and a weak suffix, no code
        return full not in coded and ordinary(full[: -len(suffix)])

    orgs: dict[str, Entity] = {}  # by core stem: 杭州启衡微 and 启衡微电子 are one company
    namesakes: dict[str, list[str]] = {}  # a core stem's other companies, by their full names
    for full, n in counts.items():
        suffix = next(s for s in words.org_suffixes if full.endswith(s))
        if (
            known(full)
            or suffix in words.weak_suffixes
            and (n < WEAK_SUFFIX_MENTIONS or _phrase(full, suffix))
        ):
            continue
        en, stem = organisation_english(full)
        core = _without_place(stem)
        if known(core) or core in words.places:
            continue
        base = core + suffix if suffix in words.distinct_suffixes else core
        # 杭州澜曜微电子 and 成都澜曜光电 are two companies; 澜曜微 is the first of them
        taken = [k for k in (base, *namesakes.get(base, ())) if k in orgs]
        same = next((k for k in taken if not _namesakes(orgs[k].zh, full, core)), None)
        if same is None and taken:
            namesakes.setdefault(base, []).append(full)
        key = same or (full if taken else base)
        if key in orgs:
            e = orgs[key]
            orgs[key] = replace(e, aliases=(*e.aliases, full))
        else:
            short = core if core != full and not is_common(core) and len(core) >= MIN_STEM else ""
            orgs[key] = Entity(
                ORGANISATION,
                full,
                en if core == stem else organisation_english(full[len(stem) - len(core) :])[0],
                short,
            )
    people: dict[str, Entity] = {}
    for text in texts:
        for name, role in _people(text, is_common):
            if name not in people and not known(name):
                people[name] = Entity(PERSON, name, person_english(name), role=role)
    _add_called(texts, orgs)
    _add_codes(codes, orgs)
    for key, e in orgs.items():  # 立衡 (of 立衡会计师事务所) is also the given name of 陈立衡: no short name
        if e.short and any(e.short in p for p in people):
            orgs[key] = replace(e, short="")
    return _unambiguous([*orgs.values(), *people.values()])


# Legal and generic tails of a name that say nothing of a company's business (…光电科技股份有限公司 is …光电).
_GENERIC_TAILS = ("股份有限公司", "有限责任公司", "有限公司", "股份", "集团", "控股", "科技", "技术")


def _namesakes(one: str, other: str, core: str) -> bool:
    """Two names with the same stem that are two companies: registered in two places (杭州澜曜微电子,
    成都澜曜光电), or in two lines of business neither of which abbreviates the other (澜曜微电子 and
    澜曜光电; but 启衡微 is 启衡微电子 and 芯澜科技 is 芯澜股份)."""
    places = [n[: n.find(core)] for n in (one, other) if core in n]
    if len(places) == 2 and all(places) and places[0] != places[1]:
        return True
    lines = []
    for n in (one, other):
        rest = n[n.find(core) + len(core) :] if core in n else ""
        while rest.endswith(_GENERIC_TAILS):
            rest = rest[: -len(next(t for t in _GENERIC_TAILS if rest.endswith(t)))]
        lines.append(rest)
    a, b = lines
    return bool(a and b) and not (a.startswith(b) or b.startswith(a))


def _add_codes(codes: list[tuple[str, str]], orgs: dict[str, Entity]) -> None:
    """A stock code written right after a company's name (晶拓股份（688729.SH）) is one of its names:
    readers ask by code ("688729去年净利润多少"), the digits alone as often as with the market.
    `codes`: (name, code) of each code the articles write after a name."""
    by_full = {a: key for key, e in orgs.items() for a in (e.zh, *e.aliases)}
    for name, code in codes:
        key = by_full.get(name)
        if key is not None:
            e = orgs[key]
            orgs[key] = replace(e, aliases=tuple(dict.fromkeys((*e.aliases, code, code.split(".")[0]))))


def _add_called(texts: list[str], orgs: dict[str, Entity]) -> None:
    """以下简称“…”: the name the article itself uses for the organisation written right before it; when
    that long name was not recognised (深圳前湾创芯投资合伙企业（有限合伙）), the short name is an
    organisation of its own — the article says it names one."""
    for text in texts:
        by_full = {a: key for key, e in orgs.items() for a in (e.zh, *e.aliases)}
        for m in compiled(_CALLED).finditer(text):
            called = m.group(1)
            at, full = max(((text.rfind(f, 0, m.start()), f) for f in by_full), default=(-1, ""))
            security = text[max(0, m.start() - 2) : m.start()] in _SECURITY  # 债券简称“星睿转债”
            if at >= 0 and (security or at + len(full) >= m.start() - CALLED_GAP):
                if called not in full:
                    e = orgs[by_full[full]]
                    orgs[by_full[full]] = replace(e, aliases=(*e.aliases, called))
            elif called not in by_full and not compiled(_PERSONAL).search(called):
                orgs[called] = Entity(ORGANISATION, called, organisation_english(called)[0])


def organisations(text: str, is_common: Callable[[str], bool]) -> list[str]:
    """Every organisation name written in `text` (with repeats: the caller counts them)."""
    out = []
    for m in compiled(_CODED).finditer(text):
        name = _trim(m.group("name"))
        if len(name) >= 2 and _name_like(name, is_common, coded=True):
            out.append(name)
    for suffix in entity_words().org_suffixes:
        for m in re.finditer(re.escape(suffix), text):
            run = compiled(_CJK_RUN).search(text[max(0, m.start() - MAX_STEM - 4) : m.start()])
            stem = _trim(run.group(0)) if run else ""
            if (
                MIN_STEM <= len(stem) <= MAX_STEM
                and _name_like(stem, is_common)
                and not ends_with_suffix(stem)
                and not any(text.startswith(c, m.end()) for c in (suffix, *entity_words().continuations))
            ):
                out.append(stem + suffix)
    longer = [n for n in out if len(n) >= 4]
    return [
        n for n in out if not any(o != n and o.endswith(n) and n in o for o in longer if _covers(text, o, n))
    ]


def _covers(text: str, longer: str, name: str) -> bool:
    """Every occurrence of `name` in `text` is inside `longer` (科技 of 芯澜科技 seen as its own name)."""
    return text.count(name) == text.count(longer)


def _name_like(stem: str, is_common: Callable[[str], bool], coded: bool = False) -> bool:
    """A stem that is not an ordinary phrase: none of its words is a common word, and it does not
    start or end with a particle (的, 在 …). A stock code vouches for a name the dictionary knows."""
    core = _without_place(stem)
    if len(core) < MIN_STEM or core[0] in _PARTICLES or core[-1] in _PARTICLES:
        return False
    if coded:
        return True
    if is_common(core):
        return False
    pieces = _pieces(core)
    return not any(is_common(w) for w in pieces if len(w) >= 2)


# Characters that start or end a phrase, never a company's stem.
_PARTICLES = set("的了在是和与及或对为由从向将被把让以于而且若按每各某该此这那其个们年月日所")


def _pieces(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text, HMM=False) if w.strip()]


def _without_place(stem: str) -> str:
    for place in entity_words().places:
        if stem.startswith(place) and len(stem) - len(place) >= MIN_STEM:
            return stem[len(place) :]
    return stem


def _trim(run: str) -> str:
    """The name at the end of a run of text: what follows the last boundary word (企业, 为, 的 …)."""
    words = entity_words()
    cut = 0
    for b in words.boundaries:
        at = run.rfind(b)
        if at >= 0 and at + len(b) > cut and at + len(b) < len(run):
            cut = at + len(b)
    name = run[cut:]
    latin = re.match(
        r"[A-Za-z]+(?=[\u4e00-\u9fff])", name
    )  # 国产GPU芯澜 → 芯澜: an acronym before is a description
    if latin and len(name) - latin.end() >= MIN_STEM:
        name = name[latin.end() :]
    return name


def _people(text: str, is_common: Callable[[str], bool]) -> list[tuple[str, str]]:
    words = entity_words()
    roles = "|".join(re.escape(r) for r in sorted(words.roles, key=len, reverse=True))
    pattern = re.compile(
        rf"(?P<role>(?:{roles})(?:[兼暨、及](?:{roles}))?)\s*(?:[为是]\s*)?(?P<name>[\u4e00-\u9fff]{{2,4}})"
    )
    out = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        run = m.group("name")
        name = "" if run.startswith(tuple(words.roles)) else _person_name(run, words)
        if name and not is_common(name[1:]) and not is_common(name):
            out.append((name, m.group("role")))
            pos = m.end()
        else:  # "实际控制人为董事长陈立衡": a second title may follow the first, then the name
            pos = m.end("role")
    return out


def _person_name(run: str, words: EntityWords) -> str:
    """A family name and one or two given characters; a third character that starts a verb or a
    particle (表示, 称, 在 …) is not part of the name."""
    surname = next((s for s in words.surnames if run.startswith(s)), "")
    if not surname:
        return ""
    rest = run[len(surname) :]
    given = rest[:2]
    if len(given) == 2 and (
        given[1] in "表称说在的对将于等和与也则说指认曾已是为向透回" or given in ("表示", "指出")
    ):
        given = given[:1]
    if not given or given[0] in "表称说在的对将于等和与也则指认曾已是为先女士":
        return ""
    return surname + given


def _unambiguous(entities: list[Entity]) -> list[Entity]:
    """A short name two entities share belongs to the one company among them (启衡 is 启衡微电子,
    not the brokerage 启衡证券, which people call by its full name), else to neither."""
    sharing: dict[str, list[Entity]] = {}
    for e in entities:
        if e.short:
            sharing.setdefault(e.short, []).append(e)
    distinct = entity_words().distinct_suffixes
    out = []
    for e in entities:
        group = sharing.get(e.short, [])
        if len(group) > 1:
            companies = [g for g in group if not any(g.zh.endswith(s) for s in distinct)]
            if companies != [e] or len(companies) != 1:
                e = replace(e, short="")
        out.append(e)
    return out


def is_institution(name: str) -> bool:
    """A brokerage, fund, bank, law or audit firm (…证券, …资本, …律师事务所): named in a sentence about
    a company as its sponsor, investor or adviser, not as what the sentence is about."""
    return any(name.endswith(s) for s in entity_words().distinct_suffixes)


def as_profile(e: Entity):
    """An organisation found in the text as a company record without curated facts: searchable by
    any of its names, filterable in answers, listed with its mentions."""
    # a longer name the article also gives (扩位简称“芯擎微电子”) is written in English as its own
    # rendering too: "Xinqing Microelectronics" as well as "Xinqing Micro"
    spelled = [
        organisation_english(a)[0] for a in e.aliases if e.kind == ORGANISATION and ends_with_suffix(a)
    ]
    aliases = tuple(
        dict.fromkeys(a for a in (e.short, *e.aliases, *name_forms(e.zh, e.en, e.short), *spelled) if a)
    )
    return CompanyProfile(
        id=e.id,
        name_zh=e.zh,
        name_en=e.en,
        full_names=(),
        aliases=aliases,
        sources=(),
        facts=(),
        discovered=True,
    )


def found_entities(manifest: dict) -> list[Entity]:
    """The entities a build found (its manifest's "entities"); none from an index that has none."""
    out = []
    for d in manifest.get("entities") or ():
        try:
            out.append(Entity.from_json(d))
        except (KeyError, TypeError, AttributeError):
            continue  # a damaged record costs that name, not the index
    return out
