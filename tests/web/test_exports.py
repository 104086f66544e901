"""An answer as Markdown with its citations, and the conversation as Markdown and JSON (web/exports.py):
built from the Answer records, every source with its passage id, title, date and quote."""

from __future__ import annotations

import json

from assistant.schema import Answer, Citation
from assistant.web.exports import (
    EXPORT_FORMAT,
    ExportTurn,
    answer_markdown,
    conversation_json,
    conversation_markdown,
)


def cite(n: int, **kw) -> Citation:
    values = dict(
        n=n,
        passage_id=f"xinghe#p{n}",
        doc_id="xinghe",
        title="星河芯片的上市之路",
        section="融资",
        text="公司累计融资约 20 亿元人民币。最新一轮融资后，星河芯片的估值约为 150 亿元。",
        quote="最新一轮融资后，星河芯片的估值约为 150 亿元。",
        score=0.9,
        published="2025-05-01",
    )
    values.update(kw)
    return Citation(**values)


ANSWER = Answer("星河芯片的估值是多少？", "约为 150 亿元[1]", False, "zh", [cite(1)], intent="lookup")
DECLINE = Answer(
    "星河芯片有多少员工？",
    "文中没有提到星河芯片的员工。",
    True,
    "zh",
    closest=[cite(2, quote="公司累计融资约 20 亿元人民币。")],
)


def test_an_answer_as_markdown_keeps_its_markers_and_lists_the_sources_they_point_at():
    md = answer_markdown(ANSWER, "zh")
    text, sources = md.split("\n\n来源:\n")
    assert text == "约为 150 亿元[1]"
    assert sources.splitlines() == [
        "[1] 星河芯片的上市之路 · 融资 · 2025-05-01 (xinghe#p1)",
        "    > 最新一轮融资后，星河芯片的估值约为 150 亿元。",
    ]


def test_an_english_export_gives_the_english_quote_first_and_the_original_under_it():
    answer = Answer(
        "What is Xinghe's valuation?",
        "About RMB 15 billion [1]",
        False,
        "en",
        [
            cite(
                1,
                title_en="Xinghe's road to listing",
                quote_en="After the latest round, about RMB 15 billion.",
            )
        ],
    )
    md = answer_markdown(answer, "en")
    assert "Sources:\n[1] Xinghe's road to listing · 融资 · 2025-05-01 (xinghe#p1)" in md
    assert md.endswith(
        "    > After the latest round, about RMB 15 billion.\n"
        "    > original: 最新一轮融资后，星河芯片的估值约为 150 亿元。"
    )


def test_a_decline_lists_its_closest_material_as_not_an_answer():
    md = answer_markdown(DECLINE, "zh")
    assert "最接近的材料（不是答案）:\n[2] 星河芯片的上市之路" in md and "来源:" not in md


def test_the_conversation_as_markdown_has_each_question_then_its_answer():
    md = conversation_markdown(
        [ExportTurn(ANSWER.question, ANSWER), ExportTurn("？？", error="没有问题")], "zh"
    )
    assert md.index("## 1. 星河芯片的估值是多少？") < md.index("约为 150 亿元[1]") < md.index("## 2. ？？")
    assert md.rstrip().endswith("没有问题")


def test_the_conversation_as_json_carries_every_source_with_id_title_date_and_quote():
    data = json.loads(
        conversation_json([ExportTurn(ANSWER.question, ANSWER), ExportTurn(DECLINE.question, DECLINE)], "now")
    )
    assert data["format"] == EXPORT_FORMAT and data["exported_at"] == "now"
    first, second = data["turns"]
    assert first["answer"] == "约为 150 亿元[1]" and not first["abstained"]
    [source] = first["sources"]
    assert (source["n"], source["passage_id"], source["title"], source["published"], source["quote"]) == (
        1,
        "xinghe#p1",
        "星河芯片的上市之路",
        "2025-05-01",
        "最新一轮融资后，星河芯片的估值约为 150 亿元。",
    )
    assert (
        second["abstained"] and second["sources"] == [] and second["closest"][0]["passage_id"] == "xinghe#p2"
    )
