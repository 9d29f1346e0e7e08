"""Configuration: defaults, TOML, environment overrides, and messages that name file, key and problem."""

import datetime as dt

import pytest

from config import ConfigError, load_config
from config.durations import format_duration, parse_duration


def test_no_file_gives_the_embedded_default():
    config = load_config(None, env={})
    assert config.server.port == 8050
    assert config.warehouse.path == "data/pantau.duckdb"
    assert set(config.sources) == {"perizinan", "dukcapil", "absensi"}
    assert {s.kind for s in config.sources.values()} == {"rest", "sql", "file"}
    assert all(s.simulated for s in config.sources.values())
    assert config.needs_simulator


def test_toml_file_and_environment_override(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text('[server]\nport = 9000\n[sources.perizinan]\nkind = "rest"\nurl = "http://10.1.2.3/api"\nschedule = "*/5 * * * *"\n')
    config = load_config(path, env={"PANTAU_SERVER__PORT": "9100", "PANTAU_SIMULATOR__SEED": "7"})
    assert config.server.port == 9100
    assert config.simulator.seed == 7
    assert set(config.sources) == {"perizinan"}
    assert not config.sources["perizinan"].simulated
    assert not config.needs_simulator


def test_overriding_one_default_source_keeps_the_others():
    config = load_config(None, env={"PANTAU_SOURCES__PERIZINAN__URL": "http://127.0.0.1:9/x"})
    assert set(config.sources) == {"perizinan", "dukcapil", "absensi"}
    assert config.sources["perizinan"].url == "http://127.0.0.1:9/x"
    assert config.sources["dukcapil"].simulated


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[server]\nport = 'abc'\n", "key server.port: Input should be a valid integer"),
        ("[server]\nprot = 1\n", "key server.prot: unknown key"),
        ("[sources.x]\nkind = 'ftp'\n", "key sources.x.kind: Input should be 'rest', 'sql' or 'file'"),
        ("[sources.x]\nkind = 'rest'\nschedule = '5m'\nfresh_within = 'soon'\n", "key sources.x.fresh_within: 'soon' is not a duration"),
        ("[sources.db]\nkind = 'sql'\ndatabase_url = 'mysql://u:secret@h/db'\n", "key sources.db: database_url contains a password"),
        ("[server\nport = 1\n", "not valid TOML"),
    ],
)
def test_bad_config_names_file_key_and_problem(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert str(caught.value).startswith(f"config file {path}")
    assert expected in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_durations_round_trip():
    assert parse_duration("90s") == dt.timedelta(seconds=90)
    assert parse_duration("2h") == dt.timedelta(hours=2)
    assert format_duration(dt.timedelta(minutes=30)) == "30m"
    with pytest.raises(ValueError):
        parse_duration("0m")
