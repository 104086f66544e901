"""The floors on the labelled question sets, measured the way `assistant eval` measures them.

dev.jsonl (the engine issue's set) and dev2.jsonl (people's own wording, open questions,
follow-ups, off-corpus questions; English items scored as a reader without Chinese sees them)
live in ../shared/eval and are skipped when it is not beside the checkout; the project's own
questions (tests/data/own_questions.jsonl, worded apart from both) always run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.evaluation import english_readable, evaluate, load_items, summary
from tests.conftest import CORPUS, DEV_SET

DEV2_SET = DEV_SET.with_name("dev2.jsonl")
OWN_SET = Path(__file__).resolve().parent / "data" / "own_questions.jsonl"


def _report(bot, path: Path) -> dict:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return summary(evaluate(bot, load_items(path)))


@pytest.fixture(scope="module")
def dev(bot):
    return _report(bot, DEV_SET)


@pytest.fixture(scope="module")
def dev2(bot):
    return _report(bot, DEV2_SET)


@pytest.fixture(scope="module")
def own(bot):
    return _report(bot, OWN_SET)


# ---- dev.jsonl: stays where it was before the English and real-questions work ----------------------
def test_dev_retrieval_recall_at_5(dev):
    assert dev["all"]["recall@5"] >= 0.95


def test_dev_every_answerable_question_is_answered_right(dev):
    assert dev["all"]["accuracy"] == 1.0 and dev["all"]["false_abstention"] == 0.0


def test_dev_every_unanswerable_question_is_declined(dev):
    assert dev["unanswerable"]["abstention"] == 1.0


def test_dev_company_lookups_find_the_right_company_first(dev):
    assert dev["company"]["top1"] == 1.0


# ---- dev2.jsonl: the floors of the English and real-questions issues --------------------------------
def test_dev2_english_readers_get_the_answer_in_english(dev2):
    assert dev2["english readable"]["accuracy"] >= 0.85


def test_dev2_chinese_accuracy(dev2):
    assert dev2["lang=zh"]["accuracy"] >= 0.92


def test_dev2_open_questions(dev2):
    assert dev2["type=open"]["accuracy"] >= 0.75


def test_dev2_follow_ups(dev2):
    assert dev2["type=followup"]["accuracy"] >= 0.9


def test_dev2_every_unanswerable_question_is_declined(dev2):
    assert dev2["unanswerable"]["abstention"] == 1.0


def test_dev2_few_false_declines(dev2):
    assert dev2["all"]["false_abstention"] <= 0.03


# ---- our own questions ---------------------------------------------------------------------------
def test_own_questions_are_answered(own):
    assert own["all"]["accuracy"] >= 0.9 and own["all"]["false_abstention"] == 0.0


def test_own_unanswerable_questions_are_declined(own):
    assert own["unanswerable"]["abstention"] == 1.0


# ---- fresh batches (tests/data/README.md): regression floors at what this session measured -----------
FRESH_BUILTIN = OWN_SET.with_name("fresh_builtin_questions.jsonl")
FRESH_NEWMAT = OWN_SET.with_name("fresh_newmat_questions.jsonl")
FRESH3 = OWN_SET.parent / "fresh3" / "questions.jsonl"
FRESH4 = OWN_SET.parent / "fresh4" / "questions.jsonl"
FRESH5 = OWN_SET.parent / "fresh5" / "questions.jsonl"
FRESH6 = OWN_SET.parent / "fresh6" / "questions.jsonl"
FRESH7 = OWN_SET.parent / "fresh7" / "questions.jsonl"
FRESH8 = OWN_SET.parent / "fresh8" / "questions.jsonl"
FRESH9 = OWN_SET.parent / "fresh9" / "questions.jsonl"
FRESH10 = OWN_SET.parent / "fresh10" / "questions.jsonl"
NEWMAT_DEV = DEV_SET.parent / "newmat-dev"


@pytest.fixture(scope="module")
def fresh_builtin(bot):
    return _report(bot, FRESH_BUILTIN)


@pytest.fixture(scope="module")
def newmat_bot(tmp_path_factory, index_dir):
    """The built-in corpus plus articles nobody prepared: newmat-dev (when ../shared is here) and the
    fresh batches' articles, as a user would add them, with no profile, translation or table entry."""
    from assistant import Assistant

    root = tmp_path_factory.mktemp("newmat") / "corpus"
    shutil.copytree(CORPUS, root)
    news = root / "articles" / "news"
    shutil.copytree(OWN_SET.parent / "articles", news)
    for f in FRESH3.parent.glob("*.txt"):  # the second session's three (their questions stay outside)
        shutil.copy(f, news / f.name)
        shutil.copy(f.with_suffix(".meta.yaml"), news / f.with_suffix(".meta.yaml").name)
    for batch in (
        FRESH4,
        FRESH5,
        FRESH6,
        FRESH7,
        FRESH8,
        FRESH9,
        FRESH10,
    ):  # later sessions' articles: labelled headers
        for f in batch.parent.glob("*.txt"):
            shutil.copy(f, news / f.name)
    if NEWMAT_DEV.is_dir():
        for f in NEWMAT_DEV.glob("*.txt"):
            shutil.copy(f, news / f.name)
            shutil.copy(f.with_suffix(".meta.yaml"), news / f.with_suffix(".meta.yaml").name)
    index = tmp_path_factory.mktemp("newmat-index")
    if (index_dir / "cache").exists():  # the built-in article's vectors: only the new articles are embedded
        shutil.copytree(index_dir / "cache", index / "cache", dirs_exist_ok=True)
    return Assistant.load(corpus_dir=root, index_dir=index)


def test_fresh_builtin_questions(fresh_builtin):
    assert fresh_builtin["all"]["accuracy"] >= 0.88 and fresh_builtin["all"]["false_abstention"] == 0.0
    assert fresh_builtin["unanswerable"]["abstention"] == 1.0


def test_fresh_questions_about_articles_nobody_prepared(newmat_bot):
    # measured with every fresh article in the corpus (issue 19, seventh session): 0.630, 0.500 (3 of 4
    # declined), 0.500, 0.639 (no answerable question declined); fresh3's 澜曜微 and fresh9's 澜曜光电
    # share a stem and are two companies (corpus/entities.py _namesakes)
    fresh = summary(evaluate(newmat_bot, load_items(FRESH_NEWMAT)))
    assert fresh["all"]["accuracy"] >= 0.6 and fresh["all"]["false_abstention"] <= 0.05
    third = summary(evaluate(newmat_bot, load_items(FRESH3)))
    assert third["all"]["accuracy"] >= 0.5 and third["unanswerable"]["abstention"] >= 0.5
    fourth = summary(evaluate(newmat_bot, load_items(FRESH4)))
    assert fourth["all"]["accuracy"] >= 0.47
    fifth = summary(evaluate(newmat_bot, load_items(FRESH5)))
    assert fifth["all"]["accuracy"] >= 0.6 and fifth["all"]["false_abstention"] <= 0.05
    # an exchange's listing notice and a Taiwan merger report in traditional characters (fifth session:
    # 0.194 before, 0.444 after, 1 of 36 answerable wrongly declined)
    sixth = summary(evaluate(newmat_bot, load_items(FRESH6)))
    assert sixth["all"]["accuracy"] >= 0.6 and sixth["all"]["false_abstention"] <= 0.06  # 0.639 now
    seventh = summary(evaluate(newmat_bot, load_items(FRESH7)))
    eighth = summary(evaluate(newmat_bot, load_items(FRESH8)))
    # a STAR Market debut and a Hong Kong interim report (held out in the fifth session), an incentive
    # plan and a memory-chip sector piece (sixth): measured in this corpus at 0.417 (3 of 36 answerable
    # declined) and 0.486 (1 of 35) with the sixth session's changes
    assert seventh["all"]["accuracy"] >= 0.39 and seventh["all"]["false_abstention"] <= 0.09
    assert eighth["all"]["accuracy"] >= 0.45 and eighth["all"]["false_abstention"] <= 0.05
    # an equipment maker's major contract and an optical-module maker's profit pre-announcement (seventh
    # session, blind; 0.457 with its articles beside the built-in one before the session, 0.571 after):
    # 0.457 here, 4 of 35 answerable declined
    ninth = summary(evaluate(newmat_bot, load_items(FRESH9)))
    assert ninth["all"]["accuracy"] >= 0.43 and ninth["all"]["false_abstention"] <= 0.12
    # a chip maker's results briefing and an AI-chip maker put on the US Entity List (eighth session,
    # blind; 0.543 with its articles beside the built-in one before the session, 0.800 after): 0.629
    # here, no answerable question declined
    tenth = summary(evaluate(newmat_bot, load_items(FRESH10)))
    assert tenth["all"]["accuracy"] >= 0.6 and tenth["all"]["false_abstention"] <= 0.03


@pytest.fixture(scope="module")
def newmat_dev_bot(tmp_path_factory, index_dir):
    """The built-in corpus plus newmat-dev's six articles, as issue 19 measures it."""
    from assistant import Assistant

    if not NEWMAT_DEV.is_dir():
        pytest.skip(f"{NEWMAT_DEV} is not here")
    root = tmp_path_factory.mktemp("newmat-dev") / "corpus"
    shutil.copytree(CORPUS, root)
    for f in NEWMAT_DEV.glob("*.txt"):
        shutil.copy(f, root / "articles" / f.name)
        shutil.copy(f.with_suffix(".meta.yaml"), root / "articles" / f.with_suffix(".meta.yaml").name)
    index = tmp_path_factory.mktemp("newmat-dev-index")
    if (index_dir / "cache").exists():
        shutil.copytree(index_dir / "cache", index / "cache", dirs_exist_ok=True)
    return Assistant.load(corpus_dir=root, index_dir=index)


def test_newmat_dev_meets_issue_19s_floors(newmat_dev_bot):
    """Issue 19's floors, on the corpus it names (corpus/ plus newmat-dev's articles); measured 1.000
    Chinese, 0.950 English, 6 of 6 open, 6 of 6 follow-ups, 8 of 8 declined, 0.019, 0.981 (eighth
    session)."""
    report = _report(newmat_dev_bot, NEWMAT_DEV / "questions.jsonl")
    assert report["lang=zh"]["accuracy"] >= 0.85 and report["english readable"]["accuracy"] >= 0.75
    assert report["type=open"]["accuracy"] >= 0.7 and report["type=followup"]["accuracy"] >= 0.8
    assert report["unanswerable"]["abstention"] == 1.0 and report["all"]["false_abstention"] <= 0.05
    assert report["all"]["recall@5"] >= 0.9


def test_newmat_dev(newmat_bot):
    """newmat-dev with every fresh article beside it: floors against a step back."""
    report = _report(newmat_bot, NEWMAT_DEV / "questions.jsonl")
    # measured 0.923 / 0.938 / 0.90 / 7 of 8 with every fresh article beside it (issue 19, eighth
    # session; 0.981 / 1.000 / 0.95 / 8 of 8 with newmat-dev's articles alone)
    assert report["all"]["accuracy"] >= 0.85 and report["lang=zh"]["accuracy"] >= 0.88
    assert report["english readable"]["accuracy"] >= 0.8 and report["unanswerable"]["abstention"] >= 0.875


def test_an_english_reader_gets_the_answer_without_chinese_quotes_or_characters():
    text = 'MetaX raised RMB 3.9 billion [1] — original: “拟募资约 39.04 亿元”\n「沐曦」 said "hello" 沐曦'
    assert english_readable(text) == 'MetaX raised RMB 3.9 billion [1] — original: \n said "hello" '
