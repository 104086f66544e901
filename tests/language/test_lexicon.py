"""The one table of question language (language/lexicon.py, corpus/lexicon.yaml): read and checked."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.language.lexicon import load_lexicon
from tests.conftest import CORPUS


def test_the_kind_of_organisation_a_question_asks_for_is_read_from_its_words():
    lexicon = load_lexicon(CORPUS)
    assert lexicon.organisation_kinds_asked("哪家会计师事务所审计的") == {"auditor"}
    assert lexicon.organisation_kinds_asked("which law firm represented them") == {"law_firm"}
    assert lexicon.organisation_kinds_asked("沐曦营收多少") == set()


def test_an_organisation_kind_the_name_table_does_not_have_is_refused_with_its_place(tmp_path):
    bad = "organisation_kinds:\n  lawyer:\n    zh: [律所]\n    en: [law firm]\n"
    (tmp_path / "lexicon.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(AssistantError, match="organisation_kinds.lawyer"):
        load_lexicon(tmp_path)


def test_words_that_ask_arithmetic_are_listed_longest_first():
    words = load_lexicon(CORPUS).operation_words
    assert "一共" in words and words == sorted(words, key=len, reverse=True)


def test_the_question_word_lists_come_in_one_order_in_every_process():
    from tests.language.test_glossary import _in_fresh_processes

    code = (
        "from assistant.language.lexicon import load_lexicon;from tests.conftest import CORPUS;"
        "x=load_lexicon(CORPUS);print(x.question_words, x.operation_words, x.everyday_words)"
    )
    outs = _in_fresh_processes(code)
    assert len(outs) == 1 and "多少" in outs.pop()
