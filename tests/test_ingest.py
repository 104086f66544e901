"""Reading article files: metadata, boilerplate, sections, offsets, and files that cannot be used."""

from assistant.corpus.chunking import document_passages
from assistant.corpus.ingest import ingest_corpus

from .conftest import ARTICLE_ID, CORPUS


def _article():
    return next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE_ID)


def test_builtin_article_metadata_comes_from_its_sidecar():
    doc = _article()
    assert doc.title == "一篇文章告诉你:国产 GPU 背后的技术和商业路线异同"
    assert (doc.source, doc.author, doc.published, doc.language) == ("硅星人", "董道力", "2025-11-04 12:15:33", "zh")


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
        "---\ntitle: 测试文章\nsource: 测试源\npublished: 2025-01-02\n---\n# 第一节\n\n第一段内容,很长的一段话。\n",
        encoding="utf-8",
    )
    (arts / "b.html").write_text(
        "<html lang='zh'><head><title>网页标题</title><meta name='author' content='张三'>"
        "<script>var x = '不要我';</script></head><body><nav>导航</nav><h2>小节</h2><p>正文第一段。</p></body></html>",
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
    for name, reason in (("empty.txt", "empty"), ("latin1.txt", "UTF-8"), ("bad.md", "front matter"), ("blob.txt", "binary")):
        assert name in warnings and reason in warnings


def test_passage_ids_are_stable_and_long_paragraphs_are_split():
    doc = _article()
    first = document_passages(doc, max_chars=120, overlap=1)
    again = document_passages(_article(), max_chars=120, overlap=1)
    assert [p.passage_id for p in first] == [p.passage_id for p in again]
    body = [p for p in first if p.kind == "body"]
    assert all(p.text == doc.text[p.start : p.end] for p in body)
    long_parts = [p for p in body if "64GB HBM2E" in p.text or "邃思3.0" in p.text]
    assert len(long_parts) >= 2  # the 276-character 燧原 paragraph was cut at sentence ends
    assert all(len(p.text) <= 200 for p in long_parts)
