"""Reading the article files of a corpus folder (corpus/ingest.py): boilerplate, sections, offsets, and
files that cannot be used, skipped by name while the rest still answers."""

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.corpus import ingest
from assistant.corpus.article_files import SkipFile
from assistant.corpus.chunking import document_passages
from assistant.corpus.ingest import ingest_corpus, read_article
from tests.conftest import ARTICLE_ID, CORPUS


def _article():
    return next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE_ID)


def test_site_boilerplate_is_dropped_and_content_kept():
    texts = [p.text for p in _article().paragraphs]
    joined = "\n".join(texts)
    for junk in ("当前位置", "点个爱心", "免责声明", "邮箱 |"):
        assert junk not in joined
    assert "1" not in texts  # lone section counters
    assert any(t.startswith("过去两年,国产 GPU 的叙事") for t in texts)
    assert any(t.startswith("国产GPU公司的上市潮即将到来") for t in texts)


def test_section_headings_become_the_section_of_following_paragraphs():
    paras = _article().paragraphs
    revenue = next(p for p in paras if "2024 年约 4.38 亿元" in p.text)
    assert revenue.section == "摩尔线程,国产英伟达?"
    tencent = next(p for p in paras if "腾讯持股" in p.text)
    assert tencent.section.startswith("燧原科技")


def test_paragraph_offsets_point_into_the_document_text():
    doc = _article()
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text


def test_markdown_front_matter_and_html_are_read(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "a.md").write_text(
        "---\ntitle: 测试文章\nsource: 测试源\npublished: 2025-01-02\n---\n"
        "# 第一节\n\n第一段内容,很长的一段话。\n",
        encoding="utf-8",
    )
    (arts / "b.html").write_text(
        "<html lang='zh'><head><title>网页标题</title><meta name='author' content='张三'>"
        "<script>var x = '不要我';</script></head><body><nav>导航</nav>"
        "<h2>小节</h2><p>正文第一段。</p></body></html>",
        encoding="utf-8",
    )
    result = ingest_corpus(tmp_path)
    docs = {d.doc_id: d for d in result.documents}
    assert docs["a"].title == "测试文章" and docs["a"].published == "2025-01-02"
    assert [(p.kind, p.section) for p in docs["a"].paragraphs] == [("heading", "第一节"), ("body", "第一节")]
    assert docs["b"].title == "网页标题" and docs["b"].author == "张三"
    assert [p.text for p in docs["b"].paragraphs] == ["小节", "正文第一段。"]
    assert "不要我" not in docs["b"].text and "导航" not in docs["b"].text


def test_unusable_files_are_skipped_with_a_warning_naming_them(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "good.txt").write_text("这是一段正常的文章内容。\n", encoding="utf-8")
    (arts / "empty.txt").write_text("", encoding="utf-8")
    (arts / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (arts / "bad.md").write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    (arts / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    result = ingest_corpus(tmp_path)
    assert [d.doc_id for d in result.documents] == ["good"]
    warnings = "\n".join(result.warnings)
    for name, reason in (
        ("empty.txt", "empty"),
        ("latin1.txt", "UTF-8"),
        ("bad.md", "front matter"),
        ("blob.txt", "binary"),
    ):
        assert name in warnings and reason in warnings


QUESTION = "沐曦计划募资多少？"


def _load(corpus, index):
    messages: list[str] = []
    bot = Assistant.load(corpus_dir=corpus, index_dir=index, log=messages.append)
    return bot, "\n".join(messages)


def test_unusable_articles_are_skipped_by_name_and_the_rest_still_answers(
    bot, corpus_copy, tmp_path, shared_cache
):
    arts = corpus_copy / "articles"
    (arts / "latin1.txt").write_bytes("Résumé des GPU chinois, écrit en Latin-1.".encode("latin-1"))
    (arts / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (arts / "empty.md").write_bytes(b"")
    (arts / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    with open(arts / "huge.txt", "wb") as f:  # 50 MB of real text
        line = "国产 GPU 公司的上市潮即将到来,这是一行很长的测试文字。\n".encode()
        f.write(line * (50 * 2**20 // len(line) + 1))
    bot, log = _load(corpus_copy, shared_cache(tmp_path / "index"))
    for name, problem in (
        ("latin1.txt", "not valid UTF-8"),
        ("image.html", "binary"),
        ("empty.md", "empty"),
        ("blank.txt", "empty"),
        ("huge.txt", "MB, over the"),
    ):
        assert any(name in w and problem in w for w in bot.load_report.build.warnings), name
        assert name in log
    assert {p.doc_id for p in bot.index.passages if p.is_article} == {ARTICLE_ID}
    a = bot.ask(QUESTION)
    assert not a.abstained and "39.04" in a.text


def test_articles_with_the_same_name_keep_apart(tmp_path):
    from assistant.corpus.ingest import ingest_corpus

    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "a.md").write_text("第一篇文章的正文内容。\n", encoding="utf-8")
    (arts / "a.txt").write_text("第二篇文章的正文内容。\n", encoding="utf-8")
    result = ingest_corpus(tmp_path)
    assert [d.doc_id for d in result.documents] == ["a", "a.txt"]
    assert any("a.txt" in w and "same name" in w for w in result.warnings)


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(
    text=st.text(st.characters(exclude_categories=["Cs"]), max_size=600),
    suffix=st.sampled_from([".txt", ".md", ".html"]),
)
def test_ingest_reads_any_text_file_or_skips_it_with_a_reason(text, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / f"a{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            doc = read_article(path, root)
        except SkipFile as exc:
            assert str(exc)
            return
    assert doc.doc_id == "a" and any(p.kind == "body" for p in doc.paragraphs)
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text and p.text.strip()
    for p in document_passages(doc)[1:]:
        assert p.text == doc.text[p.start : p.end]


def test_a_file_over_the_reading_budget_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("标题\n正文在这里。\n", encoding="utf-8")
    result = ingest.ingest_corpus(tmp_path, budget=0.0)
    assert result.documents == [] and "to read, over the" in result.warnings[0]
    assert len(ingest.ingest_corpus(tmp_path).documents) == 1


def test_the_headline_and_the_dateline_of_an_unlabelled_article_are_no_paragraphs(tmp_path):
    """The first line is the title and the dateline under it gives source and date; a summary or a
    look-up quoted them as the article's opening sentences ("申江财经 2026-03-18" as a key sentence)."""
    articles = tmp_path / "corpus" / "articles"
    articles.mkdir(parents=True)
    path = articles / "ir.txt"
    path.write_text(
        "芯澜微业绩说明会：在手订单9.36亿元\n申江财经 2026-03-18\n\n3月17日，公司召开业绩说明会。\n", "utf-8"
    )
    doc = read_article(path, articles)
    assert (doc.title, doc.source, doc.published) == (
        "芯澜微业绩说明会：在手订单9.36亿元",
        "申江财经",
        "2026-03-18",
    )
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "芯澜微业绩说明会：在手订单9.36亿元"),
        ("body", "3月17日，公司召开业绩说明会。"),
    ]
    one_line = articles / "one.txt"
    one_line.write_text("只有一行的短讯，公司今日发布公告。\n", "utf-8")
    assert [p.kind for p in read_article(one_line, articles).paragraphs] == ["body"]  # no text lost
