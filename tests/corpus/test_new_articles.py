"""An article added from the web page, checked before anything is written (corpus/new_articles.py):
what it may be and be called, and what is refused."""

from __future__ import annotations

import pytest

from assistant.corpus.new_articles import (
    MAX_ARTICLE_BYTES,
    MAX_NAME_CHARS,
    ArticleMeta,
    UploadedFile,
    UploadError,
    article_from_file,
    pair_files,
    safe_name,
)
from assistant.messages import Msg

ARTICLE = (
    "海川微电子完成新一轮融资\n\n海川微电子成立于 2019 年，总部位于苏州。\n\n公司的估值约为 60 亿元。\n"
).encode()


def _folder(corpus):
    return corpus / "articles" / "uploads"


# ---- names ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "hint, expected",
    [
        ("../../etc/passwd", "etc-passwd"),
        (".bashrc", "bashrc"),
        ("report.en", "report-en"),  # never NAME.en: that would make it a translation
        ("海川 微电子：融资！", "海川-微电子-融资"),
        ("a\\b/c\x00d", "a-b-c-d"),
        ("...", "article"),
        ("", "article"),
    ],
)
def test_a_file_name_is_made_from_the_hint_with_no_separator_dot_or_control(hint, expected):
    assert safe_name(hint) == expected


def test_a_long_title_gives_a_name_of_at_most_the_cap():
    assert len(safe_name("很长的标题" * 50)) == MAX_NAME_CHARS


# ---- refusals ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "file, key",
    [
        (UploadedFile("x.pdf", b"%PDF-1.4"), Msg.UPLOAD_TYPE),
        (UploadedFile("x.exe", b"MZ"), Msg.UPLOAD_TYPE),
        (UploadedFile("x.txt", b""), Msg.UPLOAD_EMPTY),
        (UploadedFile("x.txt", b"  \n "), Msg.UPLOAD_EMPTY),
        (UploadedFile("x.txt", "报告".encode("gbk")), Msg.UPLOAD_ENCODING),
        (UploadedFile("x.txt", b"abc\x00def"), Msg.UPLOAD_BINARY),
        (UploadedFile("x.txt", b"a" * (MAX_ARTICLE_BYTES + 1)), Msg.UPLOAD_TOO_BIG),
    ],
)
def test_a_file_the_corpus_cannot_use_is_refused_with_a_message_in_both_languages(corpus, file, key):
    with pytest.raises(UploadError) as err:
        article_from_file(file, ArticleMeta())
    assert err.value.msg is key
    assert err.value.text("zh") != err.value.text("en") and "x." in err.value.text("en")
    assert not _folder(corpus).exists()


def test_a_translation_that_is_not_text_is_refused(corpus):
    with pytest.raises(UploadError) as err:
        article_from_file(
            UploadedFile("x.txt", ARTICLE), ArticleMeta(), UploadedFile("x.en.html", b"<p>x</p>")
        )
    assert err.value.msg is Msg.UPLOAD_TRANSLATION_TYPE


@pytest.mark.parametrize(
    "meta, key",
    [
        (ArticleMeta(published="next week"), Msg.UPLOAD_DATE),
        (ArticleMeta(published="2025-13-01"), Msg.UPLOAD_DATE),
        (ArticleMeta(title="标" * 201), Msg.UPLOAD_FIELD_LONG),
    ],
)
def test_bad_metadata_is_refused(meta, key):
    with pytest.raises(UploadError) as err:
        article_from_file(UploadedFile("x.txt", ARTICLE), meta)
    assert err.value.msg is key


def test_two_articles_at_once_are_refused():
    with pytest.raises(UploadError) as err:
        pair_files([UploadedFile("a.txt", ARTICLE), UploadedFile("b.txt", ARTICLE)])
    assert err.value.msg is Msg.UPLOAD_FILES
