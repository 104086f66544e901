"""Settings: one validated path from flags, environment and defaults; a bad value is one clear line."""

from __future__ import annotations

import argparse
import dataclasses

import pytest

from assistant import Assistant
from assistant.cli import main
from assistant.errors import AssistantError
from assistant.settings import FLAGS, Settings, usable_cores
from assistant.text import MAX_SHOWN_CHARS


def test_defaults_then_environment_then_arguments():
    assert Settings.from_env({}).top_k == 5
    assert Settings.from_env({"ASSISTANT_TOP_K": "7"}).top_k == 7
    assert Settings.from_env({"ASSISTANT_TOP_K": "7"}, top_k=3).top_k == 3
    assert Settings.from_env({"ASSISTANT_TOP_K": ""}).top_k == 5  # an empty variable is not set
    assert Settings.from_env({}, top_k=None).top_k == 5  # an option not given


def test_folders_are_paths_whatever_they_are_given_as():
    s = Settings.from_env({"ASSISTANT_INDEX_DIR": "/tmp/i"}, corpus_dir="c")
    assert s.corpus_dir.name == "c" and str(s.index_dir) == "/tmp/i"


@pytest.mark.parametrize("raw", ["rrf", "RRF", " Rrf "])
def test_fusion_names_are_read_case_insensitively(raw):
    assert Settings.from_env({"ASSISTANT_FUSION": raw}).fusion == "rrf"


@pytest.mark.parametrize(
    "env, words",
    [
        ({"ASSISTANT_TOP_K": "five"}, ("ASSISTANT_TOP_K='five'", "top_k must be a whole number, at least 1")),
        ({"ASSISTANT_TOP_K": "0"}, ("ASSISTANT_TOP_K='0'", "at least 1")),
        ({"ASSISTANT_FUSION": "RRFX"}, ("ASSISTANT_FUSION='RRFX'", "fusion must be one of weighted, rrf")),
        ({"ASSISTANT_DENSE_WEIGHT": "1.5"}, ("ASSISTANT_DENSE_WEIGHT='1.5'", "a number from 0 to 1")),
        ({"ASSISTANT_DENSE_WEIGHT": "nan"}, ("ASSISTANT_DENSE_WEIGHT='nan'", "a number from 0 to 1")),
        ({"ASSISTANT_WORKERS": "-1"}, ("ASSISTANT_WORKERS='-1'", "from 0 to")),
        ({"ASSISTANT_MAX_QUESTION_CHARS": "2.5"}, ("ASSISTANT_MAX_QUESTION_CHARS='2.5'", "whole number")),
    ],
)
def test_a_bad_variable_is_named_with_what_is_allowed(env, words):
    with pytest.raises(AssistantError) as err:
        Settings.from_env(env)
    msg = str(err.value)
    assert all(w in msg for w in words), msg
    assert "\n" not in msg and "Traceback" not in msg and "pydantic" not in msg.lower()


def test_a_bad_argument_is_named_by_its_keyword_or_its_flag():
    with pytest.raises(
        AssistantError, match=r"setting top_k=True is not valid: top_k must be a whole number"
    ):
        Settings.from_env({}, top_k=True)
    with pytest.raises(AssistantError, match=r"--corpus '' is not valid: corpus_dir must be a folder path"):
        Settings.from_args(argparse.Namespace(corpus="", index=None, model=None), env={})
    with pytest.raises(AssistantError, match=r"unknown setting 'topk'.*top_k"):
        Settings.from_env({}, topk=3)


def test_flags_map_to_fields_and_win_over_the_environment():
    args = argparse.Namespace(corpus="c", index="i", model="m")
    s = Settings.from_args(args, env={"ASSISTANT_MODEL": "other", "ASSISTANT_TOP_K": "9"})
    assert (str(s.corpus_dir), str(s.index_dir), s.model, s.top_k) == ("c", "i", "m", 9)
    assert set(FLAGS) <= set(Settings.names())


def test_settings_are_frozen_and_fingerprint_only_what_shapes_the_index():
    s = Settings.from_env({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.top_k = 3
    assert set(s.fingerprint_items()) == {"model", "max_passage_chars", "overlap_sentences"}
    assert Settings.from_env({}, top_k=9).fingerprint_items() == s.fingerprint_items()


def test_assistant_load_reads_the_same_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_FUSION", "weighted-ish")
    with pytest.raises(AssistantError, match="ASSISTANT_FUSION='weighted-ish'.*one of weighted, rrf"):
        Assistant.load(corpus_dir=tmp_path, index_dir=tmp_path / "index")


def test_the_cli_reports_a_bad_variable_in_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ASSISTANT_TOP_K", "five")
    status = main(["ask", "x", "--corpus", str(tmp_path), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert (
        status == 2 and err.startswith("error: ASSISTANT_TOP_K='five'") and len(err.strip().splitlines()) == 1
    )


def test_the_web_app_reports_a_bad_variable_in_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ASSISTANT_TOP_K", "five")
    monkeypatch.delenv("ASSISTANT_AUTH", raising=False)
    status = main(["serve", "--corpus", str(tmp_path), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert status == 2 and "error: ASSISTANT_TOP_K='five'" in err and "Traceback" not in err


@pytest.mark.parametrize("variable", ["ASSISTANT_TOP_K", "ASSISTANT_FUSION", "ASSISTANT_TRANSLATOR"])
def test_a_5000_character_bad_setting_is_cut_in_its_error_line(variable):
    with pytest.raises(AssistantError) as caught:
        Settings.from_env({variable: "x" * 5000})
    message = str(caught.value)
    assert len(message) < MAX_SHOWN_CHARS + 200 and "5,00" in message and variable in message


def test_workers_are_capped_at_the_cores_with_one_line():
    assert Settings.from_env({"ASSISTANT_WORKERS": str(usable_cores())}).workers == usable_cores()
    with pytest.raises(AssistantError, match=rf"workers must be a whole number from 0 to {usable_cores()}"):
        Settings.from_env({"ASSISTANT_WORKERS": "100"})


@pytest.mark.parametrize("value", ["bogus://x", "127.0.0.1", "five"])
def test_a_dask_value_that_is_no_address_is_one_line(value):
    with pytest.raises(AssistantError, match="dask must be"):
        Settings.from_env({"ASSISTANT_DASK": value})
