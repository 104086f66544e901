"""The embedder interface (index/embedding/protocol.py), and the fake of tests/fakes.py that implements it."""

from assistant.index.embedding.protocol import TextEmbedder
from tests.fakes import FakeEmbedder


def test_the_fake_embedder_is_deterministic_and_similar_texts_are_near():
    a, b = FakeEmbedder(), FakeEmbedder()
    q = "星河芯片的估值是多少？"
    assert (a.query(q) == b.query(q)).all() and abs(float(a.query(q) @ a.query(q)) - 1) < 1e-5
    near = float(a.vector(q) @ a.vector("星河芯片的估值约为 150 亿元。"))
    far = float(a.vector(q) @ a.vector("股东包括多家地方产业基金。"))
    assert near > far + 0.1


def test_the_fake_is_an_embedder():
    assert isinstance(FakeEmbedder(), TextEmbedder)
