"""The message catalog: every sentence the assistant writes itself, in both languages."""

from __future__ import annotations

from assistant.messages import Msg


def test_a_name_ending_in_s_takes_a_bare_apostrophe_in_english():
    assert Msg.NO_FIELD.say("en", company="Moore Threads", label="valuation") == (
        "The article does not give Moore Threads' valuation."
    )
    assert (
        Msg.NO_FIELD.say("en", company="Biren", label="valuation")
        == "The article does not give Biren's valuation."
    )
    assert "Moore Threads' revenue" in Msg.HIGHER.say(
        "en", a="Moore Threads", label="revenue", va="1", c="Biren", vc="2"
    )
    assert Msg.NO_FIELD.say("zh", company="摩尔线程", label="估值") == "文中没有提到摩尔线程的估值。"
