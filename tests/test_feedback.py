"""Readers' verdicts (assistant/feedback.py): appended as JSON lines next to the index, limited in size,
the latest record of an id winning, and turned into a question set `assistant eval` reads."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation import evaluate
from assistant.feedback import (
    FEEDBACK_FILE,
    MAX_COMMENT_CHARS,
    FeedbackFull,
    FeedbackRecord,
    FeedbackStore,
    Verdict,
    labelled_items,
)
from assistant.schema import Answer, AnswerPart, Citation

CITE = Citation(1, "xinghe#p2", "xinghe", "t", "", "passage", "星河芯片的估值约为 150 亿元。", 0.9)
ANSWER = Answer(
    "星河芯片的估值是多少？",
    "约为 150 亿元[1]\n最新一轮融资后，星河芯片的估值约为 150 亿元。[1]",
    False,
    "zh",
    [CITE],
    parts=[AnswerPart("direct", "约为 150 亿元[1]", (1,)), AnswerPart("support", "…[1]", (1,))],
)
DECLINE = Answer("星河芯片有多少员工？", "文中没有提到星河芯片的员工。", True, "zh")


def test_a_verdict_is_one_json_line_in_the_index_folder(tmp_path):
    store = FeedbackStore(tmp_path)
    store.append(FeedbackRecord.of(ANSWER, [], Verdict.UP))
    [line] = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert (record["verdict"], record["question"], record["direct"]) == (
        "up",
        ANSWER.question,
        "约为 150 亿元",
    )
    assert record["citations"] == [{"n": 1, "passage_id": "xinghe#p2", "quote": CITE.quote, "quote_en": ""}]


def test_a_comment_is_a_second_record_of_the_same_id_and_the_latest_wins(tmp_path):
    store = FeedbackStore(tmp_path)
    first = FeedbackRecord.of(ANSWER, [], Verdict.DOWN)
    store.append(first)
    assert store.comment(first.id, "x" * (MAX_COMMENT_CHARS + 50)).comment == "x" * MAX_COMMENT_CHARS
    assert store.comment("no-such-id", "hi") is None
    assert len((tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()) == 2
    [record] = store.read()
    assert record.id == first.id and record.comment == "x" * MAX_COMMENT_CHARS


def test_the_file_stops_growing_at_its_limit_and_says_so(tmp_path):
    store = FeedbackStore(tmp_path, max_bytes=1500)
    store.append(FeedbackRecord.of(ANSWER, [], Verdict.UP))
    with pytest.raises(FeedbackFull):
        for _ in range(5):
            store.append(FeedbackRecord.of(ANSWER, [], Verdict.UP))
    assert (tmp_path / FEEDBACK_FILE).stat().st_size <= 1500


def test_a_torn_or_foreign_line_is_skipped(tmp_path):
    store = FeedbackStore(tmp_path)
    store.append(FeedbackRecord.of(ANSWER, [], Verdict.UP))
    with open(tmp_path / FEEDBACK_FILE, "a", encoding="utf-8") as f:
        f.write('{"id": "x", "verdict": "maybe"}\n{"torn": \n')
    assert [r.question for r in store.read()] == [ANSWER.question]


def test_verdicts_become_items_in_the_dev_sets_format():
    up = FeedbackRecord.of(ANSWER, ["星河芯片是哪一年成立的？"], Verdict.UP)
    declined = FeedbackRecord.of(DECLINE, [], Verdict.UP)
    down = FeedbackRecord.of(DECLINE, [], Verdict.DOWN, comment="the article does say it")
    fact, review = labelled_items([up, declined, down])  # the later verdict on the same question wins
    assert fact["type"] == "followup" and fact["history"] == ["星河芯片是哪一年成立的？"]
    assert fact["evidence"] == [CITE.quote] and fact["answer"] == [["约为 150 亿元"]]
    assert review["type"] == "review" and review["comment"] == "the article does say it"
    assert labelled_items([declined])[0]["type"] == "unanswerable"


def test_eval_scores_the_labelled_items_and_skips_those_left_for_review(tiny_bot):
    asked = tiny_bot.ask("星河芯片的估值是多少？")
    items = labelled_items(
        [FeedbackRecord.of(asked, [], Verdict.UP), FeedbackRecord.of(DECLINE, [], Verdict.DOWN)]
    )
    report = evaluate(tiny_bot, items)
    assert [i.ok for i in report.items] == [True] and report.skipped == {"review": 1}
