"""Typed records that cross module lines (schema.py): an answer serialises to JSON."""


def test_answer_serialises_to_json_with_chinese_kept(bot):
    import json

    d = bot.ask("燧原是哪一年成立的？").to_json()
    text = json.dumps(d, ensure_ascii=False)
    assert "燧原" in text and d["citations"][0]["quote"]
