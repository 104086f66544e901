"""Names in a question written another way, rewritten to the corpus's name (corpus/resolver.py)."""

from __future__ import annotations


def test_a_homophone_and_initials_are_rewritten_to_the_name(uncurated_bot):
    assert "星河芯片" in uncurated_bot.resolver.canonical(
        "星合芯片的估值是多少？"
    )  # 合 for 河: the same sound
    assert "澜芯" in uncurated_bot.resolver.canonical("蓝芯的发行价是多少？")
    assert (
        uncurated_bot.resolver.canonical("收入是多少？") == "收入是多少？"
    )  # a real word is never a misspelt name


def _resolvers(monkeypatch):
    """The resolver over the built-in corpus's companies with the readings table and without it
    (then it asks pypinyin for every window), and a count of the texts pypinyin was asked about."""
    from assistant.corpus import resolver
    from assistant.corpus.companies import load_profiles
    from assistant.corpus.company_directory import CompanyDirectory
    from assistant.language.word_tables import common_english_words, pinyin_reading

    asked: list[str] = []
    real = resolver.syllables
    monkeypatch.setattr(resolver, "syllables", lambda text: asked.append(text) or real(text))
    directory = CompanyDirectory(load_profiles("corpus"))
    names = [(n, p.id) for p in directory.profiles for n in p.names]

    def make(readings):
        words = {"收入", "计划", "多少", "必然"}
        return resolver.NameResolver(
            names, directory.mentions, words.__contains__, common_english_words(), readings
        )

    return make(pinyin_reading), make(None), asked


QUESTIONS = (
    "沐曦计划募资多少？",
    "碧仞的估值是多少？",  # 碧 for 壁
    "木西计划募资多少？",  # 木西 for 沐曦
    "随缘的估值",  # 随缘 for 燧原
    "BR的估值是多少？",
    "MT valuation",
    "IT AS GPU",
    "What is Moor Threads' revenue?",
    "What is Enflame's valuation?",
    "收入是多少？",
)


def test_the_readings_table_changes_no_question_and_spares_pypinyin(monkeypatch):
    with_table, without, asked = _resolvers(monkeypatch)
    for q in ("沐曦计划募资多少？", "What is Enflame's valuation?", "IPO GPU AI"):
        with_table.canonical(q)
    assert asked == []  # no window can sound like a name, no capitals can be a Chinese name's initials
    assert with_table.canonical("碧仞的估值是多少？") == "壁仞的估值是多少？" and "碧仞" in asked
    for q in QUESTIONS:  # pypinyin is loaded now: the same answers either way
        assert with_table.canonical(q) == without.canonical(q), q
    fresh, _, _ = _resolvers(monkeypatch)
    assert [fresh.canonical(q) for q in QUESTIONS] == [without.canonical(q) for q in QUESTIONS]


def test_warming_loads_pypinyin_before_any_question(monkeypatch):
    with_table, without, asked = _resolvers(monkeypatch)
    with_table.warm()  # what the web app does before it opens
    assert asked  # the names' syllables were made
    asked.clear()
    assert with_table.canonical("随缘的估值") == without.canonical("随缘的估值") == "燧原的估值"
