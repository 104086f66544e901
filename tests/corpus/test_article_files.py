"""Reading one article file into text (corpus/article_files.py)."""


def test_a_stray_nul_deep_in_an_article_does_not_lose_the_article(tmp_path):
    from assistant.corpus.ingest import ingest_corpus

    arts = tmp_path / "articles"
    arts.mkdir()
    text = "第一段内容,是正常的文字。\n" * 800 + "这里有一个\x00空字符和\x07响铃。\n"
    (arts / "a.txt").write_text(text, encoding="utf-8")
    doc = ingest_corpus(tmp_path).documents[0]
    assert "\x00" not in doc.text and "\x07" not in doc.text and len(doc.text) == len(text)
    assert any("空字符" in p.text for p in doc.paragraphs)
