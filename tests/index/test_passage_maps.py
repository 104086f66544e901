"""What the load finds once instead of asking each time: passage lookups (index/passage_maps.py) give
what a walk over every passage gives; the article scan gives the files the fingerprint hashes."""

from assistant.index.passage_maps import passage_maps
from assistant.schema import Passage


def _passage(pid: str, doc: str, companies: tuple[str, ...] = ()) -> Passage:
    return Passage(
        passage_id=pid,
        doc_id=doc,
        title="",
        section="",
        text=pid,
        start=0,
        end=0,
        published="",
        companies=companies,
    )


def test_a_documents_passages_are_found_in_order_even_when_they_are_not_together():
    maps = passage_maps([_passage("a1", "a"), _passage("b1", "b"), _passage("a2", "a"), _passage("c1", "c")])
    assert list(maps.by_document["a"]) == [0, 2] and list(maps.by_document["c"]) == [3]
    assert maps.by_id["b1"] == 1


def test_a_companys_passages_are_those_about_it_in_passage_order():
    maps = passage_maps([_passage("a1", "a", ("x",)), _passage("a2", "a", ("y", "x")), _passage("a3", "a")])
    assert maps.of_companies(["x"]) == [0, 1] and maps.of_companies(["y", "x"]) == [0, 1]
    assert maps.of_companies(["z"]) == [] and maps.company_of[2] == frozenset()


def test_a_company_page_lists_what_a_walk_over_every_passage_finds(tiny_bot):
    found = 0
    for prof in tiny_bot.companies():
        walk = [
            p.passage_id
            for p in tiny_bot.index.passages
            if p.is_article and p.kind != "meta" and prof.id in tiny_bot.directory.mentions(p.text)
        ]
        assert [c.passage_id for c in tiny_bot.mentions_of(prof.id)] == walk
        found += len(walk)
    assert found


def test_a_documents_body_passages_are_what_a_walk_finds(tiny_bot):
    for doc in tiny_bot.index.documents:
        walk = [p for p in tiny_bot.index.passages if p.doc_id == doc and p.kind == "body"]
        assert walk and tiny_bot.document_passages(doc) == walk
