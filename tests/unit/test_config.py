"""Configuration: defaults, TOML, environment overrides, and messages that name file, key and problem."""

import datetime as dt

import pytest

from config import ConfigError, load_config
from config.durations import format_duration, parse_duration
from config.loader import CONTRACTS

BUILT_IN = {p.stem for p in CONTRACTS.glob("*.toml")}


def test_no_file_gives_the_embedded_default():
    config = load_config(None, env={})
    assert config.server.port == 8050
    assert config.warehouse.path == "data/pantau.duckdb"
    assert set(config.sources) == BUILT_IN >= {"perizinan", "dukcapil", "absensi"}
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
    perizinan = config.sources["perizinan"]
    assert not perizinan.simulated and not config.needs_simulator
    assert perizinan.schedule == "*/5 * * * *" and "permohonan" in perizinan.streams  # the rest from the contract


def test_overriding_one_default_source_keeps_the_others():
    config = load_config(None, env={"PANTAU_SOURCES__PERIZINAN__URL": "http://127.0.0.1:9/x"})
    assert set(config.sources) == BUILT_IN
    assert config.sources["perizinan"].url == "http://127.0.0.1:9/x"
    assert config.sources["dukcapil"].simulated


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[server]\nport = 'abc'\n", "key server.port: Input should be a valid integer"),
        ("[server]\nprot = 1\n", "key server.prot: unknown key"),
        ("[sources.perizinan]\nkind = 'ftp'\n", "key sources.perizinan.kind: Input should be 'rest', 'sql' or 'file'"),
        ("[sources.perizinan]\nfresh_within = 'soon'\n", "key sources.perizinan.fresh_within: 'soon' is not a duration"),
        ("[sources.dukcapil]\ndatabase_url = 'mysql://u:secret@h/db'\n", "key sources.dukcapil: database_url contains a password"),
        ("[sources.baru]\nkind = 'rest'\n", "key sources.baru.opd: missing: this key is required"),
        ("[sources.perizinan]\nopd = 'DINAS_X'\n", "key sources.perizinan.opd: unknown OPD code 'DINAS_X'"),
        ("[sources.perizinan.streams.permohonan]\nkey = ['nomor']\n", "key sources.perizinan.streams.permohonan: 'nomor' is not a canonical column"),
        ("[[sources.absensi.streams.harian.checks]]\nvalid = 'jam_pulang > jam_datang'\nfield = 'x'\nreason = 'y'\n",
         "rule does not compile over the stream's columns"),
        ("[sources.absensi.streams.harian.fields]\nnip = { from = 'nip', type = 'uang' }\n", "key sources.absensi.streams.harian.fields.nip.type: Input should be"),
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


def test_a_new_source_by_configuration_alone(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text(
        '[sources.bansos]\nkind = "sql"\nopd = "DPMD"\ndatabase_url_env = "BANSOS_DB"\n'
        '[sources.bansos.streams.penerima]\ntable = "bansos_penerima"\nlocation = "penerima"\nkey = ["nik"]\ncursor_field = "updated_at"\n'
        '[sources.bansos.streams.penerima.fields]\nnik = { from = "nik", required = true }\ndiubah = { from = "updated_at", type = "instant" }\n'
    )
    source = load_config(path, env={}).sources["bansos"]
    assert source.streams["penerima"].columns() == {"nik": "VARCHAR", "diubah_utc": "TIMESTAMP", "diubah_tgl": "DATE"}
    assert not source.simulated
