"""Issue 20: hostile files and careless settings, each attack as reported, without a server."""
from __future__ import annotations

import os
import time

import pytest

from assistant.corpus.files import file_problem, real_root
from assistant.errors import AssistantError
from assistant.settings import Settings, usable_cores
from assistant.text import MAX_SHOWN_CHARS, clip, split_english_sentences


def test_english_sentences_of_thousands_of_initials_split_in_linear_time():
    # "A. " * 24000 took minutes: the abbreviation check re-read the whole pending sentence at each
    # full stop. 8x the text may take at most ~8x the time (quadratic would be 64x), with a floor
    # for timer noise.
    def seconds(n: int) -> float:
        start = time.perf_counter()
        spans = split_english_sentences("A. " * n)
        assert spans == [(0, 3 * n - 1)]  # one sentence: every "A." is an initial
        return time.perf_counter() - start

    small, large = seconds(3000), seconds(24000)
    assert large < max(20 * small, 0.5)


def test_abbreviations_still_do_not_end_sentences():
    text = "Nvidia Corp. sells GPUs. The U.S. market is big. Approx. 5 units, e.g. A. B. Smith left."
    assert [text[a:b] for a, b in split_english_sentences(text)] == [
        "Nvidia Corp. sells GPUs.", "The U.S. market is big.", "Approx. 5 units, e.g. A. B. Smith left."]


@pytest.mark.parametrize("variable", ["ASSISTANT_TOP_K", "ASSISTANT_FUSION", "ASSISTANT_TRANSLATOR"])
def test_a_5000_character_bad_setting_is_cut_in_its_error_line(variable):
    with pytest.raises(AssistantError) as caught:
        Settings.from_env({variable: "x" * 5000})
    message = str(caught.value)
    assert len(message) < MAX_SHOWN_CHARS + 200 and "5,00" in message and variable in message


def test_clip_keeps_short_text_and_says_how_long_long_text_was():
    assert clip("short") == "short"
    cut = clip("a" * 100 + "b" * 4900)
    assert len(cut) <= MAX_SHOWN_CHARS + 30 and cut.startswith("a") and cut.endswith("b") and "5,000" in cut


def test_workers_are_capped_at_the_cores_with_one_line():
    assert Settings.from_env({"ASSISTANT_WORKERS": str(usable_cores())}).workers == usable_cores()
    with pytest.raises(AssistantError, match=rf"workers must be a whole number from 0 to {usable_cores()}"):
        Settings.from_env({"ASSISTANT_WORKERS": "100"})


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another owner needs root")
def test_a_hard_link_to_another_owners_file_is_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    os.chown(outside, 65534, 65534)  # like /etc/passwd: someone else's file
    os.link(outside, corpus / "articles" / "h.txt")
    problem = file_problem(corpus / "articles" / "h.txt", real_root(corpus))
    assert problem and "hard link" in problem
    mine = corpus / "articles" / "mine.txt"
    mine.write_text("一篇文章", encoding="utf-8")
    os.link(mine, corpus / "articles" / "again.txt")  # the owner's own second name is fine
    assert file_problem(corpus / "articles" / "again.txt", real_root(corpus)) is None
