"""Config validation: defaults filled in, every problem named by key with what was expected."""

from __future__ import annotations

import copy

import pytest

from engbench.config import ConfigError, parse_webcare_hours, validate_config
from tests.conftest import ROOT, load_config


@pytest.fixture()
def config(test_config) -> dict:
    return copy.deepcopy(test_config)


def test_shipped_configs_are_valid():
    for name in ("config.yaml", "test/config.yaml"):
        cfg = load_config(ROOT / "config" / name)
        assert cfg["timezone"] == "Europe/Amsterdam"
        assert cfg["answer_window_days"] == 7


def test_defaults_are_filled_in(config):
    del config["answer_window_days"]
    del config["webcare_hours"]
    del config["language"]
    validate_config(config)
    assert config["answer_window_days"] == 7
    assert config["language"] == "nl"
    assert config["webcare_hours"]["sunday"] == "closed"
    assert config["webcare_hours"]["monday"] == "08:00-22:00"


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (
            lambda c: c.update(answer_window_days="seven"),
            "answer_window_days",
            "expected type number",
        ),
        (lambda c: c.update(answer_window_days=0), "answer_window_days", "expected more than 0"),
        (lambda c: c.update(language="de"), "language", "expected one of nl, en"),
        (lambda c: c["webcare_hours"].update(monday="8-22"), "webcare_hours.monday", "HH:MM-HH:MM"),
        (lambda c: c["period"].update(start="1-1-2017"), "period.start", "YYYY-MM-DD"),
        (lambda c: c.pop("organisations"), "organisations", "missing; this key is required"),
        (
            lambda c: c.update(answer_windw_days=7),
            "answer_windw_days",
            "unknown key; expected one of: answer_window_days",
        ),
        (lambda c: c["sources"][0].update(format="csv"), "sources[0].format", "x_api_v2"),
        (
            lambda c: c["panel"]["variables"].pop("respondent_id"),
            "panel.variables.respondent_id",
            "missing",
        ),
        (lambda c: c.update(panel="data/panel.sav"), "panel", "expected type object or null"),
        (lambda c: c["edition"].update(name="Demo 2017"), "edition.name", "lower case"),
        (lambda c: c["period"].update(end="2016-12-31"), "period.end", "after period.start"),
        (lambda c: c.update(timezone="Europe/Amsterdm"), "timezone", "IANA time zone"),
        (
            lambda c: c["webcare_hours"].update(friday="22:00-08:00"),
            "webcare_hours.friday",
            "closing time after",
        ),
    ],
)
def test_invalid_config_names_key_and_expectation(config, change, key, expected):
    change(config)
    with pytest.raises(ConfigError) as error:
        validate_config(config, source="my.yaml")
    message = str(error.value)
    assert message.startswith("my.yaml is not a valid engbench configuration")
    assert f"key `{key}`" in message
    assert expected in message


@pytest.mark.parametrize("remove", [lambda c: c.pop("panel"), lambda c: c.update(panel=None)])
def test_an_edition_without_a_panel_is_valid(config, remove):
    """`panel` left out or null: a webcare-only edition (the report has no loyalty chapter)."""
    remove(config)
    assert validate_config(config)["panel"] is None


def test_every_problem_is_listed(config):
    config["language"] = "fr"
    config["answer_window_days"] = -1
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    assert "key `language`" in str(error.value)
    assert "key `answer_window_days`" in str(error.value)


def test_real_edition_needs_sources(config):
    config["demo"]["enabled"] = False
    config["sources"] = []
    with pytest.raises(ConfigError, match="key `sources`"):
        validate_config(config)


def test_webcare_hours_parse_to_minutes():
    hours = parse_webcare_hours(
        {"monday": "08:00-22:00", "saturday": "00:00-24:00", "sunday": "closed"}
    )
    assert hours[0] == (480, 1320)
    assert hours[5] == (0, 1440)
    assert hours[6] is None
    assert hours[1] is None  # a day not given is closed


def test_real_edition_needs_a_pseudonymisation_key(config, monkeypatch, tmp_path):
    monkeypatch.delenv("ENGBENCH_PSEUDONYM_KEY", raising=False)
    config["demo"]["enabled"] = False
    with pytest.raises(ConfigError, match=r"ENGBENCH_PSEUDONYM_KEY or `privacy\.key_file`"):
        validate_config(config)
    monkeypatch.setenv("ENGBENCH_PSEUDONYM_KEY", "a-long-enough-secret-key")
    validate_config(config)
