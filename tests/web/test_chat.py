"""The chat lays an answer out from its typed parts (web/chat.py), and shows typed text as typed."""

from __future__ import annotations

import html
import re

import pytest
from bs4 import BeautifulSoup

from assistant.schema import Answer, AnswerPart, Citation
from assistant.web import chat, page_text

NAMES = {"xinghe": "星河芯片", "yunfan": "云帆智算"}


def cite(n: int, **kw) -> Citation:
    values = dict(
        n=n,
        passage_id=f"doc#p{n}",
        doc_id="doc",
        title="星河芯片报道",
        section="融资",
        text=f"第{n}段。",
        quote=f"第{n}段。",
        score=1.0,
        title_en="A report on Xinghe",
        section_en="Funding",
    )
    values.update(kw)
    return Citation(**values)


def page(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def test_each_marker_is_a_link_to_its_source_named_after_the_source():
    answer = Answer(
        "q",
        "星河芯片的估值约为 150 亿元。[1]",
        False,
        "zh",
        [cite(1)],
        intent="lookup",
        parts=[AnswerPart("direct", "星河芯片的估值约为 150 亿元。[1]", (1,), "xinghe")],
    )
    [link] = page(chat.answer_message(7, answer, "zh", NAMES)).select("a.cite-n")
    assert link["href"] == "#cite-7-1" and link.get_text(" ", strip=True) == "[1] 星河芯片报道"
    assert "星河芯片报道" in link["title"]


def test_the_source_title_is_in_english_on_an_english_page():
    answer = Answer("q", "x [1]", False, "en", [cite(1)], parts=[AnswerPart("direct", "x [1]", (1,))])
    [link] = page(chat.answer_message(0, answer, "en", NAMES)).select("a.cite-n")
    assert link.select_one(".sr-only").get_text(strip=True) == "A report on Xinghe"


def test_a_bracketed_number_the_answer_does_not_cite_stays_text():
    answer = Answer(
        "q", "见 [3] 与 [1]", False, "zh", [cite(1)], parts=[AnswerPart("direct", "见 [3] 与 [1]", (1,))]
    )
    shown = page(chat.answer_message(0, answer, "zh", NAMES))
    assert [a["href"] for a in shown.select("a.cite-n")] == ["#cite-0-1"] and "[3]" in shown.get_text()


def test_the_direct_line_comes_first_and_the_supporting_quote_below_it():
    answer = Answer(
        "q",
        "a[1]\nb[2]",
        False,
        "zh",
        [cite(1), cite(2)],
        intent="lookup",
        parts=[AnswerPart("direct", "a[1]", (1,)), AnswerPart("support", "b[2]", (2,))],
    )
    lines = page(chat.answer_message(0, answer, "zh", NAMES)).select(".part")
    assert [line["class"][1] for line in lines] == ["direct", "support"]


def test_a_comparison_is_a_table_with_a_cited_cell_per_company():
    parts = [
        AnswerPart("company", "星河 a[1]", (1,), "xinghe"),
        AnswerPart("company", "星河 b[2]", (2,), "xinghe"),
        AnswerPart("company", "云帆 c[3]", (3,), "yunfan"),
    ]
    answer = Answer("q", "", False, "zh", [cite(1), cite(2), cite(3)], intent="comparison", parts=parts)
    rows = page(chat.answer_message(0, answer, "zh", NAMES)).select("table.cmp-chat tr")
    assert [r.th.get_text() for r in rows] == ["星河芯片", "云帆智算"]
    assert [len(r.td.select("a.cite-n")) for r in rows] == [2, 1]


def test_a_list_is_a_list():
    parts = [
        AnswerPart("direct", "两家：", ()),
        AnswerPart("company", "星河[1]", (1,), "xinghe"),
        AnswerPart("company", "云帆[2]", (2,), "yunfan"),
    ]
    answer = Answer("q", "", False, "zh", [cite(1), cite(2)], intent="list", parts=parts)
    shown = page(chat.answer_message(0, answer, "zh", NAMES))
    assert len(shown.select("ul.parts > li")) == 2 and shown.select_one(".part.direct")


def test_an_english_line_shows_the_english_first_and_the_original_below_labelled():
    text = "Xinghe is valued at about RMB 15 billion. [1] — original: “星河芯片的估值约为 150 亿元。”"
    part = AnswerPart("direct", text, (1,), "xinghe", original="星河芯片的估值约为 150 亿元。")
    answer = Answer("q", text, False, "en", [cite(1)], intent="lookup", parts=[part])
    line = page(chat.answer_message(0, answer, "en", NAMES)).select_one(".part.direct")
    assert line.select_one(".line-text").get_text().startswith("Xinghe is valued")
    assert "original:" not in line.select_one(".line-text").get_text()
    original = line.select_one(".orig")
    assert original["lang"] == "zh" and page_text.t("original", "en") in original.get_text()
    assert "150 亿元" in original.get_text()


def test_a_decline_shows_its_closest_material_inline_collapsed_and_marked():
    parts = [
        AnswerPart("not_stated", "语料库没有涉及「寒武纪」，无法回答。"),
        AnswerPart("closest", "下面是最接近的材料，仅供参考，并非答案。"),
    ]
    answer = Answer(
        "q", "", True, "zh", [], [cite(1, quote=""), cite(2, quote="")], intent="lookup", parts=parts
    )
    details = page(chat.answer_message(3, answer, "zh", NAMES)).select_one("details.closest")
    assert details is not None and not details.has_attr("open")
    assert page_text.t("not_answer", "zh") in details.summary.get_text()
    assert [a["href"] for a in details.select("a.cite-n")] == ["#near-3-1", "#near-3-2"]
    assert "第1段" in details.get_text()


def test_a_decline_with_nothing_close_says_so():
    answer = Answer("q", "x", True, "en", [], [], parts=[AnswerPart("closest", "The closest material:")])
    shown = page(chat.answer_message(0, answer, "en", NAMES, closest=[]))
    assert page_text.t("closest_none", "en") in shown.get_text()


def test_a_question_that_was_cut_says_so_in_the_answer():
    answer = Answer(
        "q", "x", True, "zh", notice="question truncated to 500 characters", parts=[AnswerPart("direct", "x")]
    )
    notice = page(chat.answer_message(0, answer, "zh", NAMES, cut=500)).select_one(".notice.cut")
    assert notice is not None and "500" in notice.get_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_text_in_questions_answers_and_errors_is_shown_as_typed(lang):
    c = cite(
        1,
        title=HOSTILE,
        section=HOSTILE,
        text=HOSTILE,
        quote=HOSTILE,
        title_en=HOSTILE,
        quote_en=HOSTILE,
        text_en=HOSTILE,
    )
    answered = Answer(
        HOSTILE,
        HOSTILE + "[1]",
        False,
        lang,
        [c],
        intent="comparison",
        parts=[
            AnswerPart("company", HOSTILE + "[1]", (1,), "xinghe", original=HOSTILE),
            AnswerPart("direct", HOSTILE, ()),
        ],
    )
    declined = Answer(
        HOSTILE, HOSTILE, True, lang, [], [c], notice=HOSTILE, parts=[AnswerPart("closest", HOSTILE)]
    )
    for markup in (
        chat.user_message(HOSTILE),
        chat.answer_message(0, answered, lang, {"xinghe": HOSTILE}),
        chat.answer_message(0, declined, lang, NAMES),
        chat.error_message(HOSTILE, lang),
    ):
        shown = page(markup)
        assert not shown.find_all(["script", "img"])
        assert not [a for a in shown.find_all("a") if not a["href"].startswith("#")]
        assert not [t for t in shown.find_all(True) if any(k.startswith("on") for k in t.attrs)]
        assert "<script>alert(1)</script>" in shown.get_text() and "**b**" in shown.get_text()


def test_a_real_answer_keeps_every_citation_as_a_link(tiny_bot):
    answer = tiny_bot.ask("星河芯片的估值是多少？")
    links = page(chat.answer_message(0, answer, answer.language, NAMES)).select("a.cite-n")
    assert answer.citations and {a["href"] for a in links} == {f"#cite-0-{c.n}" for c in answer.citations}


HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) **b** ${1+1} {{x}}"
)


def test_typed_text_is_shown_exactly_and_never_parsed_as_html():
    shown = chat.user_message(HOSTILE)
    assert not re.search(
        r"[<>]", shown
    )  # nothing a browser would read as a tag (the chat renders no markdown)
    assert html.unescape(shown) == HOSTILE  # …and nothing lost: the user sees what they typed


def test_answer_keeps_every_citation_marker_as_a_link(bot):
    answer = bot.ask("沐曦计划募资多少？")
    message = chat.answer_message(0, answer, answer.language, {})
    markers = set(re.findall(r"\[(\d+)\]", answer.text))
    assert markers and markers == set(re.findall(r'href="#cite-0-(\d+)"', message))


# ---- issue 21, points 6 and 8: the short answer bold, a quote not; the company label apart ---------
PASSAGE = "星河芯片成立于 2019 年,总部位于苏州。最新一轮融资后,其估值约为 150 亿元人民币。"


def _lookup(*parts: AnswerPart, language: str = "zh") -> Answer:
    c = cite(1, text=PASSAGE, quote="最新一轮融资后,其估值约为 150 亿元人民币。")
    return Answer(
        "q", "\n".join(p.text for p in parts), False, language, [c], intent="lookup", parts=list(parts)
    )


def test_a_short_answer_is_bold_first_and_its_quote_follows_unbold():
    answer = _lookup(
        AnswerPart("direct", "约为 150 亿元人民币[1]", (1,), "xinghe"),
        AnswerPart("support", "【星河芯片】最新一轮融资后,其估值约为 150 亿元人民币。[1]", (1,), "xinghe"),
    )
    first, second = page(chat.answer_message(0, answer, "zh", NAMES)).select(".part")
    assert first["class"] == ["part", "direct"]  # bold (the page's style for a direct line)
    assert "quote" in second["class"] and "support" in second["class"]


def test_a_direct_line_that_is_a_whole_quote_is_marked_as_a_quote_not_bold():
    answer = _lookup(
        AnswerPart("direct", "【星河芯片】最新一轮融资后,其估值约为 150 亿元人民币。[1]", (1,), "xinghe")
    )
    [line] = page(chat.answer_message(0, answer, "zh", NAMES)).select(".part")
    assert line["class"] == ["part", "direct", "quote"]


def test_an_english_rendering_of_a_quote_is_a_quote():
    part = AnswerPart(
        "direct",
        "After its latest round it is valued at about RMB 15 billion. [1]"
        " — original: “最新一轮融资后,其估值约为 150 亿元人民币。”",
        (1,),
        original="最新一轮融资后,其估值约为 150 亿元人民币。",
    )
    [line] = page(chat.answer_message(0, _lookup(part, language="en"), "en", NAMES)).select(".part")
    assert "quote" in line["class"]


@pytest.mark.parametrize(
    "text, label, rest",
    [
        ("【星河芯片】最新一轮融资后,其估值约为 150 亿元人民币。[1]", "星河芯片", "最新一轮融资后"),
        ("Xinghe — After its latest round it is valued at RMB 15 billion. [1]", "Xinghe", "After its latest"),
    ],
)
def test_the_company_label_is_shown_apart_from_the_quote(text, label, rest):
    answer = _lookup(AnswerPart("support", text, (1,), "xinghe"))
    shown = page(chat.answer_message(0, answer, "zh", {**NAMES, "xinghe-en": "Xinghe"}))
    assert shown.select_one(".part .who").get_text() == label
    quote = shown.select_one(".part .line-text").get_text()
    assert quote.startswith(rest) and "【" not in quote  # the quote starts with its own words


def test_a_bracket_or_dash_that_is_not_a_company_label_stays_in_the_quote():
    answer = _lookup(
        AnswerPart("support", "【编者按：以下为节选】最新一轮融资后[1]", (1,)),
        AnswerPart("support", "In short — it is valued at RMB 15 billion [1]", (1,)),
    )
    shown = page(chat.answer_message(0, answer, "zh", NAMES))
    assert shown.select(".who") == []
    assert "【编者按：以下为节选】" in shown.get_text() and "In short —" in shown.get_text()
