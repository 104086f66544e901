"""Broken corpus files: an unusable article is skipped and named, a malformed profile stops the load
with its file and field, and everything else still works."""
import pytest
import yaml

from assistant import Assistant
from assistant.cli import main
from assistant.errors import AssistantError

from .conftest import ARTICLE_ID

QUESTION = "沐曦计划募资多少？"


def _load(corpus, index):
    messages: list[str] = []
    bot = Assistant.load(corpus_dir=corpus, index_dir=index, log=messages.append)
    return bot, "\n".join(messages)


def test_unusable_articles_are_skipped_by_name_and_the_rest_still_answers(bot, corpus_copy, tmp_path, shared_cache):
    arts = corpus_copy / "articles"
    (arts / "latin1.txt").write_bytes("Résumé des GPU chinois, écrit en Latin-1.".encode("latin-1"))
    (arts / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (arts / "empty.md").write_bytes(b"")
    (arts / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    with open(arts / "huge.txt", "wb") as f:  # 50 MB of real text
        line = "国产 GPU 公司的上市潮即将到来,这是一行很长的测试文字。\n".encode("utf-8")
        f.write(line * (50 * 2**20 // len(line) + 1))
    bot, log = _load(corpus_copy, shared_cache(tmp_path / "index"))
    for name, problem in (("latin1.txt", "not valid UTF-8"), ("image.html", "binary"), ("empty.md", "empty"),
                          ("blank.txt", "empty"), ("huge.txt", "MB, over the")):
        assert any(name in w and problem in w for w in bot.load_report.build.warnings), name
        assert name in log
    assert {p.doc_id for p in bot.index.passages if p.is_article} == {ARTICLE_ID}
    a = bot.ask(QUESTION)
    assert not a.abstained and "39.04" in a.text


def test_a_stray_nul_deep_in_an_article_does_not_lose_the_article(tmp_path):
    from assistant.corpus.ingest import ingest_corpus

    arts = tmp_path / "articles"
    arts.mkdir()
    text = "第一段内容,是正常的文字。\n" * 800 + "这里有一个\x00空字符和\x07响铃。\n"
    (arts / "a.txt").write_text(text, encoding="utf-8")
    doc = ingest_corpus(tmp_path).documents[0]
    assert "\x00" not in doc.text and "\x07" not in doc.text and len(doc.text) == len(text)
    assert any("空字符" in p.text for p in doc.paragraphs)


def test_articles_with_the_same_name_keep_apart(tmp_path):
    from assistant.corpus.ingest import ingest_corpus

    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "a.md").write_text("第一篇文章的正文内容。\n", encoding="utf-8")
    (arts / "a.txt").write_text("第二篇文章的正文内容。\n", encoding="utf-8")
    result = ingest_corpus(tmp_path)
    assert [d.doc_id for d in result.documents] == ["a", "a.txt"]
    assert any("a.txt" in w and "same name" in w for w in result.warnings)


def _edit_profile(corpus, change) -> None:
    path = corpus / "companies" / "enflame.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("change, field, problem", [
    (lambda d: d.pop("name_zh"), "name_zh", "missing"),
    (lambda d: d.__setitem__("name_en", ["Enflame"]), "name_en", "expected text"),
    (lambda d: d.__setitem__("aliases", {"a": 1}), "aliases", "list of text"),
    (lambda d: d.__setitem__("id", "Enflame Tech"), "id", "lower-case"),
    (lambda d: d.__setitem__("ceo", "x"), "ceo", "unknown field"),
    (lambda d: d.__setitem__("facts", "none"), "facts", "expected a list"),
    (lambda d: d["facts"][0].__setitem__("field", "ceo"), "facts[0].field", "not one of"),
    (lambda d: d["facts"][1].pop("source"), "facts[1].source", "missing"),
    (lambda d: d["facts"][1].__setitem__("source", "p12"), "facts[1].source", "passage id"),
    (lambda d: d["facts"][2].__setitem__("zh", ["x"]), "facts[2].zh", "expected text"),
    (lambda d: d["facts"][0].__setitem__("year", "2024"), "facts[0].year", "whole number"),
    (lambda d: d["facts"][0].__setitem__("year", True), "facts[0].year", "whole number"),
    (lambda d: d["facts"][0].__setitem__("value", {"amount": 1}), "facts[0].value", "number or a date"),
    (lambda d: d["facts"][0].__setitem__("note", "x"), "facts[0].note", "unknown key"),
])
def test_a_malformed_profile_stops_the_load_naming_file_and_field(corpus_copy, tmp_path, change, field, problem):
    _edit_profile(corpus_copy, change)
    with pytest.raises(AssistantError) as err:
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    msg = str(err.value)
    assert "enflame.yaml" in msg and f"field '{field}'" in msg and problem in msg


@pytest.mark.parametrize("content, problem", [
    (b"id: enflame\nname_zh: [unclosed\n", "not valid YAML/JSON"),
    (b"- just\n- a list\n", "expected a mapping"),
    (b"id: enflame\nname_zh: \xff\xfe\n", "not valid UTF-8"),
    (b"", "expected a mapping"),
])
def test_a_profile_that_is_not_a_yaml_mapping_is_named(corpus_copy, tmp_path, content, problem):
    (corpus_copy / "companies" / "enflame.yaml").write_bytes(content)
    with pytest.raises(AssistantError, match=problem) as err:
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
    assert "enflame.yaml" in str(err.value)


def test_yaml_errors_say_where(corpus_copy, tmp_path):
    (corpus_copy / "companies" / "enflame.yaml").write_text("id: enflame\nname_zh: 燧原\nname_en: [unclosed\n",
                                                            encoding="utf-8")
    with pytest.raises(AssistantError, match=r"line \d+, column \d+"):
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")


def test_two_profiles_with_one_id_are_refused(corpus_copy, tmp_path):
    src = corpus_copy / "companies" / "enflame.yaml"
    (corpus_copy / "companies" / "enflame-copy.yaml").write_bytes(src.read_bytes())
    with pytest.raises(AssistantError, match=r"field 'id'.*already used"):
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")


def test_the_cli_reports_a_malformed_profile_in_one_line(corpus_copy, tmp_path, capsys):
    _edit_profile(corpus_copy, lambda d: d["facts"][0].__setitem__("field", "ceo"))
    status = main(["build", "--corpus", str(corpus_copy), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: company profile") and "facts[0].field" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow  # loads the model to learn the vector size of nothing
def test_a_corpus_with_nothing_readable_is_a_clear_error(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / "blob.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(AssistantError, match="nothing to index") as err:
        Assistant.load(corpus_dir=corpus, index_dir=tmp_path / "index")
    assert "cannot build the index" in str(err.value)


def test_a_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(AssistantError, match="does not exist"):
        Assistant.load(corpus_dir=tmp_path / "nope", index_dir=tmp_path / "index")
