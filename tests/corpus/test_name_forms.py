"""Generated ways to write a name (corpus/name_forms.py): pinyin readings, English renderings."""

from __future__ import annotations

from assistant.corpus.name_forms import name_forms, organisation_english, person_english


def test_english_renderings_translate_known_parts_and_transliterate_the_rest():
    assert organisation_english("星澜资本") == ("Xinglan Capital", "星澜")
    assert person_english("欧阳明远") == "Ouyang Mingyuan"


def test_generated_forms_include_every_reading_of_a_character_with_several():
    forms = name_forms("钰晟科技", "Yucheng Technology", "钰晟")
    assert {"yusheng", "yu sheng", "Yusheng Technology", "yucheng"} <= set(forms)


def test_an_organisations_suffix_says_its_kind():
    from assistant.corpus.name_forms import organisation_kind

    assert organisation_kind("中信建投证券") == "brokerage"
    assert organisation_kind("立衡会计师事务所") == "auditor"
    assert organisation_kind("中证鹏元资信评估") == "rating_agency"
    assert organisation_kind("芯澜科技") == "company"


def test_a_family_name_is_read_as_a_family_name():
    assert person_english("曾立文") == "Zeng Liwen"  # not Ceng: 曾 as a word is ceng
    assert person_english("区志明") == "Ou Zhiming" and person_english("单立") == "Shan Li"
