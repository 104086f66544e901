"""The word-by-word English gloss of an untranslated quote (language/gloss.py), on a dictionary and a
tagger of our own: which reading each word gets, and what is never glossed word by word."""

from __future__ import annotations

from assistant.language.gloss import ChineseEnglish, GlossWords, gloss, short_sense

WORDS = GlossWords(
    function_words={"的": "", "为": "is", "将": "will", "于": "on"},
    senses={"月": "month", "供货": "supply", "报告期内": "in the reporting period"},
)
DICTIONARY = ChineseEnglish(
    {
        "公司": "company",
        "显存": "video memory",
        "供应": "supply",
        "紧张": "nervous",
        "规模": "scale",
        "小": "small",
    }
)


def tagger(*words: tuple[str, str]):
    """A tagger that cuts the text into `words` (jieba's cut, as the test says it)."""

    def tagged(text: str) -> list[tuple[str, str]]:
        assert "".join(w for w, _ in words) == text
        return list(words)

    return tagged


def test_each_word_gets_the_table_then_the_dictionary_reading_and_function_words_drop():
    said = gloss(
        "公司的显存供应紧张",
        [],
        [],
        tagger(("公司", "n"), ("的", "uj"), ("显存", "n"), ("供应", "v"), ("紧张", "a")),
        DICTIONARY,
        WORDS,
    )
    assert said == "Company video memory supply nervous"


def test_fixed_spans_stand_for_their_words_and_the_rest_keeps_its_order_and_commas():
    text = "报告期内，公司营收为48.6亿元"
    said = gloss(
        text,
        [(10, 16, "RMB 4.86 billion"), (7, 9, "revenue")],
        [],
        tagger(
            ("报告", "n"),
            ("期内", "f"),
            ("，", "x"),
            ("公司", "n"),
            ("营收", "n"),
            ("为", "p"),
            ("48.6", "m"),
            ("亿元", "m"),
        ),
        DICTIONARY,
        WORDS,
    )
    # 报告期内 is a phrase of the table even where the tagger cuts it in two
    assert said == "In the reporting period, company revenue is RMB 4.86 billion"


def test_a_glossary_term_counts_only_as_a_whole_word_of_the_text():
    text = "发布会"
    said = gloss(
        text,
        [],
        [(0, 2, "launch")],
        tagger(("发布会", "n")),
        ChineseEnglish({"发布会": "news conference"}),
        WORDS,
    )
    assert said == "News conference"  # 发布 is no term inside 发布会
    said = gloss("发布", [], [(0, 2, "launch")], tagger(("发布", "v")), ChineseEnglish({}), WORDS)
    assert said == "Launch"


def test_an_unknown_word_is_read_by_its_longest_known_parts_and_a_character_nobody_knows_in_pinyin():
    said = gloss("小规模澜", [], [], tagger(("小规模", "b"), ("澜", "n")), DICTIONARY, WORDS)
    assert said == "Small scale Lan"


def test_a_guessed_person_is_pinyin_only_at_three_characters_and_places_always():
    three = gloss("孙启航", [], [], tagger(("孙启航", "nr")), ChineseEnglish({}), WORDS)
    assert three == "Sun Qihang"
    two = gloss(
        "季增", [], [], tagger(("季增", "nr")), ChineseEnglish({"季": "season", "增": "increase"}), WORDS
    )
    assert two == "Season increase"  # jieba tags unknown pairs nr: no person
    assert gloss("深圳", [], [], tagger(("深圳", "ns")), ChineseEnglish({}), WORDS) == "Shenzhen"
    # a place the dictionary has only in parts, the first a name: Middle East region, not Zhongdongdiqu
    parts = ChineseEnglish({"中东": "Middle East", "地区": "region"})
    assert gloss("中东地区", [], [], tagger(("中东地区", "ns")), parts, WORDS) == "Middle East region"


def test_latin_text_keeps_its_capitals():
    said = gloss(
        "AI服务器",
        [],
        [],
        lambda t: [("ai", "eng"), ("服务器", "n")],
        ChineseEnglish({"服务器": "server"}),
        WORDS,
    )
    assert said == "AI server"


def test_the_short_sense_is_a_reading_not_a_definition_or_a_note():
    assert short_sense(["surname Kan", "to see", "to look at"]) == "see"
    assert short_sense(["CL:個|个[ge4]", "(literary) to release", "to issue"]) == "release"
    assert short_sense(["Shenzhen subprovincial city in Guangdong"]) == "Shenzhen"
    assert short_sense(["the process of making a decision among many options"]) == ""


def test_the_dictionary_takes_the_everyday_reading_of_a_word_with_several(tmp_path):
    path = tmp_path / "cedict.u8"
    path.write_text(
        "# comment\n看 看 [kan1] /to look after/\n看 看 [kan4] /to see/to look at/to read/\n",
        encoding="utf-8",
    )
    assert ChineseEnglish.load(path).get("看") == "see"


def test_a_latin_word_the_tagger_cuts_in_two_is_one_word():
    said = gloss(
        "Stellanet公司",
        [],
        [],
        lambda t: [("st", "eng"), ("ellanet", "eng"), ("公司", "n")],
        DICTIONARY,
        WORDS,
    )
    assert said == "Stellanet company"
