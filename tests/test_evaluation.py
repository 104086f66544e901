"""The dev set floors from the engine issue, measured the way `assistant eval` measures them."""
import pytest

from assistant.evaluation import evaluate, load_items, summary

from .conftest import DEV_SET


@pytest.fixture(scope="module")
def report(bot):
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} is not here")
    return summary(evaluate(bot, load_items(DEV_SET)))


def test_retrieval_recall_at_5(report):
    assert report["all"]["recall@5"] >= 0.90


def test_answer_accuracy_by_language(report):
    assert report["lang=zh"]["accuracy"] >= 0.80
    assert report["lang=en"]["accuracy"] >= 0.65


def test_every_unanswerable_question_abstains(report):
    assert report["unanswerable"]["abstention"] == 1.0


def test_few_false_abstentions(report):
    assert report["all"]["false_abstention"] <= 0.05


def test_company_lookups_find_the_right_company_first(report):
    assert report["company"]["top1"] == 1.0
