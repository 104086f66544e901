"""The bilingual domain dictionary (language/glossary.py): the built-in glossary, its forms, bad entries."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.language.glossary import load_glossary
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    "text, field, problem",
    [
        ("", "terms", "expected a list"),
        ("terms: [x]\n", "terms[0]", "expected a mapping with en and zh"),
        ("terms:\n  - {en: valuation}\n", "terms[0].zh", "missing"),
        (
            "terms:\n  - {en: ['valuation', ''], zh: 估值}\n",
            "terms[0].en",
            "expected text or a list of text, none of it blank",
        ),
        ("terms:\n  - {en: {a: 1}, zh: 估值}\n", "terms[0].en", "expected text or a list of text"),
    ],
)
def test_a_malformed_glossary_names_file_field_and_problem(tmp_path, text, field, problem):
    (tmp_path / "glossary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AssistantError) as err:
        load_glossary(tmp_path)
    msg = str(err.value)
    assert "glossary.yaml" in msg and f"field '{field}': {problem}" in msg, msg


def test_the_built_in_glossary_loads(tmp_path):
    g = load_glossary(CORPUS)
    assert "估值" in g.expand("What is the valuation?")


GLOSSARY = load_glossary(CORPUS)


def test_a_chinese_term_expands_to_its_other_forms_in_the_articles():
    assert "营业收入" in GLOSSARY.expand("恒擎信息去年营收多少")


def test_a_short_form_of_many_meanings_is_no_gloss_but_a_long_term_or_a_headword_is():
    glossary = load_glossary(CORPUS)
    assert glossary.glosses("信用等级") and glossary.glosses("领投")
    assert not glossary.glosses("最高")  # also the day's "intraday high"
    assert glossary.same_as("董秘") == ("董事会秘书",)


def _in_fresh_processes(code: str) -> set[str]:
    """What `code` prints in processes with different hash seeds (a set's order changes with it)."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(
            subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
    return outs


def test_a_chinese_terms_forms_come_in_one_order_in_every_process():
    code = (
        "from assistant.language.glossary import load_glossary;from tests.conftest import CORPUS;"
        "g=load_glossary(CORPUS);print(g.concepts('毛利率和募资净额、市盈率分别是多少'))"
    )
    outs = _in_fresh_processes(code)
    assert len(outs) == 1 and "毛利率" in outs.pop()


def test_a_latin_form_is_found_as_a_whole_word_only():
    # the Chinese side's "CTO" was found inside "sector" and "director": a chief technology officer
    assert not [w for w, _ in GLOSSARY.concepts("Compare the start-ups in the sector round-up") if w == "cto"]
    assert ("cto", ("首席技术官", "CTO")) in GLOSSARY.concepts("谁是CTO")
