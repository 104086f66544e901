"""corpus/ → index (index/build.py): what is rebuilt and embedded again."""

from assistant import Assistant


def test_up_to_date_index_is_reused_not_rebuilt(bot, index_dir):
    again = Assistant.load(corpus_dir=bot.settings.corpus_dir, index_dir=index_dir)
    assert not again.load_report.built and again.index.path == bot.index.path


def test_adding_an_article_rebuilds_and_embeds_only_the_new_text(corpus_copy, tmp_path, shared_cache):
    index = shared_cache(tmp_path / "index")
    first = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert first.load_report.built and first.load_report.build.embedded == 0  # all from the cache
    (corpus_copy / "articles" / "new.txt").write_text(
        "新文章标题\n\n某新公司成立于 2021 年,总部位于深圳。\n\n它的第一款芯片叫做 XY100。\n",
        encoding="utf-8",
    )
    second = Assistant.load(corpus_dir=corpus_copy, index_dir=index)
    assert second.load_report.built and "stale" in second.load_report.reason
    # the new document: a metadata passage, a title-like heading is not repeated, two body paragraphs
    # and their sentences
    assert 0 < second.load_report.build.embedded <= 8
    assert any(p.doc_id == "new" for p in second.index.passages)


def test_a_paragraph_naming_no_company_under_a_title_naming_two_is_about_both(uncurated_bot):
    ctx = uncurated_bot.answering
    timing = next(p for p in ctx.passages if "時程方面" in p.text)
    names = {uncurated_bot.directory.by_id[c].name_zh for c in timing.companies}
    assert {"瑞升科技", "华铠半导体"} <= names
    money = next(p for p in ctx.passages if "財務面" in p.text)  # names both itself: as written
    assert len(money.companies) == 2
