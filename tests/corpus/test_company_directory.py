"""Finding companies by their names (corpus/company_directory.py): generated forms only where one
can be, without pypinyin elsewhere (issue 20)."""

from __future__ import annotations

from assistant.corpus import company_directory
from assistant.corpus.companies import load_profiles
from assistant.corpus.company_directory import CompanyDirectory
from assistant.language.word_tables import pinyin_reading

TEXTS = (
    "沐曦股份成立于 2020 年 9 月,主要用于新型高性能通用 GPU 研发",
    "muxi and suiyuan raised money",
    "What did Mu Xi say? And moer xiancheng?",
    "Biren and Enflame, MetaX",
    "AI GPU 芯片,IPO",
    "",
)


def test_the_readings_table_finds_the_same_names_and_spares_the_generated_forms(monkeypatch):
    made: list[str] = []
    real = company_directory.name_forms
    monkeypatch.setattr(company_directory, "name_forms", lambda *a: made.append(a[0]) or real(*a))
    profiles = load_profiles("corpus")
    gated, plain = CompanyDirectory(profiles, pinyin_reading), CompanyDirectory(profiles)
    gated.mentions("AI GPU 芯片,IPO and the STAR Market")
    assert made == []  # Latin letters, but no company's pinyin can be in them
    for text in TEXTS:
        assert gated.mention_spans(text.lower()) == plain.mention_spans(text.lower()), text
    assert gated.mentions("muxi") == plain.mentions("muxi") != []
    assert made  # a text that can hold a pinyin form makes the forms


def test_warming_makes_the_forms_before_any_text_needs_them(monkeypatch):
    made: list[str] = []
    real = company_directory.name_forms
    monkeypatch.setattr(company_directory, "name_forms", lambda *a: made.append(a[0]) or real(*a))
    directory = CompanyDirectory(load_profiles("corpus"), pinyin_reading)
    directory.warm()
    assert made and True in directory._patterns
    assert directory.mentions("suiyuan") == CompanyDirectory(load_profiles("corpus")).mentions("suiyuan")
