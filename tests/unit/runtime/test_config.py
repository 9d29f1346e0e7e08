"""Configuration: defaults, TOML, environment overrides, and messages that name file, key and problem."""

import datetime as dt
import subprocess
import sys

import pytest

from config import ConfigError, load_config
from config.durations import format_duration, parse_duration
from config.loader import CONTRACTS
from region.paths import PROJECT_ROOT
from runtime.configuration import load_checked

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


def test_sources_that_revise_declare_their_revision_window(tmp_path):
    sources = load_config(None, env={}).sources
    assert {n: s.revision_window for n, s in sources.items() if s.revision_window} == {
        "pariwisata": dt.timedelta(days=45), "kesehatan": dt.timedelta(days=14), "pendapatan": dt.timedelta(days=14)}
    path = tmp_path / "pantau.toml"
    path.write_text("[sources.perizinan]\nrevision_window = '3d'\n[sources.pariwisata]\n", encoding="utf-8")
    assert load_config(path, env={}).sources["perizinan"].revision_window == dt.timedelta(days=3)


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
        ("[sources.dukcapil]\ndatabase_url = 'mysql://u:secret@h/db'\n", "key sources.dukcapil.database_url: contains a password (a password after the user name); put the URL in an environment variable and name it in database_url_env"),
        ("[sources.baru]\nkind = 'rest'\n", "key sources.baru.opd: missing: this key is required"),
        ("[sources.perizinan]\nopd = 'DINAS_X'\n", "key sources.perizinan.opd: unknown OPD code 'DINAS_X'"),
        ("[sources.perizinan.streams.permohonan]\nkey = ['nomor']\n", "key sources.perizinan.streams.permohonan: 'nomor' is not a canonical column"),
        ("[[sources.absensi.streams.harian.checks]]\nvalid = 'jam_pulang > jam_datang'\nfield = 'x'\nreason = 'y'\n",
         "rule does not compile over the stream's columns"),
        ("[sources.absensi.streams.harian.fields]\nnip = { from = 'nip', type = 'uang' }\n", "key sources.absensi.streams.harian.fields.nip.type: Input should be"),
        ("[sources.absensi.derive.presensi_harian]\nleave = 'cuti'\n", "key sources.absensi: derive.presensi_harian.leave: no stream 'cuti'; streams: harian, presensi, pegawai, izin"),
        ("[sources.absensi.derive.presensi_harian]\nroster = 'izin'\n", "derive.presensi_harian.roster: stream 'izin' lacks the columns nama VARCHAR, kode_opd VARCHAR"),
        ("[sources.absensi.streams.harian.fields]\nlokasi = { from = 'lokasi' }\n",
         "derive.presensi_harian: table 'absensi_harian' is also written by stream 'harian' with other columns or another key"),
        ("[sources.absensi.derive.presensi_harian]\ngap_minutes = -5\n", "key sources.absensi.derive.presensi_harian.gap_minutes: Input should be greater than or equal to 0"),
        ("[server\nport = 1\n", "not valid TOML"),
        ("[wall]\nrefresh_every = '0.001s'\n", "key wall.refresh_every: 0.001s is too short; the least is 1s"),
        ("[wall]\nreload_every = '1s'\n", "key wall.reload_every: 1s is too short; the least is 5s"),
        ("[[wall.screens.1]]\npage = 'peta'\ndwell = '1s'\n", "key wall.screens.1.0.dwell: 1s is too short"),
        ("[sources.perizinan]\nfresh_within = '99999999999999d'\n", "key sources.perizinan.fresh_within: '99999999999999d' is longer than any duration"),
        ("[server]\nembed_origins = ['portal.example.go.id']\n", "key server.embed_origins.0: String should match pattern"),
        ("[sources.tte]\nurl = 'http://10.1.2.3/tte'\n", "key sources.tte: auth api_key needs token_env: the environment variable that holds the token"),
        ("[alerts]\nsmtp_host = 'mail.example.go.id'\n", "key alerts: smtp_host is set but mail_to names no recipient"),
        ("[alerts]\ncheck_every = '1s'\n", "key alerts.check_every: 1s is too short; the least is 5s"),
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


def test_a_file_that_is_not_utf8_or_not_a_file_is_named(tmp_path):
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[server]\nhost = 'Pariaman Selatan \u2013 \xe9'\n".encode("cp1252"))
    with pytest.raises(ConfigError, match=rf"config file {latin}: not UTF-8 text \(byte \d+\); save it as UTF-8"):
        load_config(latin, env={})
    with pytest.raises(ConfigError, match=rf"config file {tmp_path}: is a folder"):
        load_config(tmp_path, env={})


def test_a_bad_environment_override_names_the_variable():
    with pytest.raises(ConfigError) as caught:
        load_config(None, env={"PANTAU_SERVER__PORT": "delapan", "PANTAU_SOURCES__PERIZINAN__OPD": "DINAS_X"})
    lines = str(caught.value).splitlines()
    assert lines == ["environment variable PANTAU_SERVER__PORT: key server.port: Input should be a valid integer, unable to parse string as an integer"]
    with pytest.raises(ConfigError, match="^environment variable PANTAU_SOURCES__PERIZINAN__OPD: key sources.perizinan.opd: unknown OPD code"):
        load_config(None, env={"PANTAU_SOURCES__PERIZINAN__OPD": "DINAS_X"})


def test_an_unset_token_or_database_url_variable_is_named():
    config = load_config(None, env={
        "PANTAU_SOURCES__PENGADUAN__URL": "http://10.1.2.3/lapor", "PANTAU_SOURCES__PENGADUAN__TOKEN_ENV": "LAPOR_TOKEN",
        "PANTAU_SOURCES__DAMKAR__URL": "http://10.1.2.4/damkar", "PANTAU_SOURCES__DUKCAPIL__DATABASE_URL_ENV": "DUKCAPIL_DB",
    })
    assert config.sources["pengaduan"].unset_secret_env({}) == "LAPOR_TOKEN"
    assert config.sources["pengaduan"].unset_secret_env({"LAPOR_TOKEN": ""}) == "LAPOR_TOKEN"  # empty is as good as unset
    assert config.sources["pengaduan"].unset_secret_env({"LAPOR_TOKEN": "t0ken"}) is None
    assert config.sources["dukcapil"].unset_secret_env({}) == "DUKCAPIL_DB"
    assert config.sources["damkar"].unset_secret_env({}) is None  # auth none
    assert config.sources["tte"].unset_secret_env({}) is None  # simulated: the simulator gives the key


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


def test_indicator_targets_thresholds_and_parameters_are_configuration(tmp_path):
    from metrics.catalogue import BY_ID, configured
    from metrics.indicator_settings import indicator_overrides

    path = tmp_path / "pantau.toml"
    path.write_text(
        '[indicators.izin_tepat_waktu]\ntarget = 90\ngreen = 90\namber = 80\n'
        '[indicators.sampah_terangkut]\nparams = { kg_per_orang_per_hari = 0.7 }\n'
        '[indicators.pad_realisasi]\nparams = { target_tahunan_miliar = 120 }\namber = 75\n'
        '[calendar]\nextra_holidays = [2026-12-07]\n'
    )
    config = load_checked(path, env={})
    catalogue = {i.id: i for i in configured(indicator_overrides(config))}
    changed = catalogue["izin_tepat_waktu"]
    assert (changed.target.value, changed.thresholds.green, changed.thresholds.amber) == (90, 90, 80)
    assert changed.target.basis == "Target daerah (konfigurasi)" and BY_ID["izin_tepat_waktu"].target.value == 95
    assert catalogue["sampah_terangkut"].params == {"penduduk": 451_388.0, "kg_per_orang_per_hari": 0.7}
    assert catalogue["lahir_tercatat_60h"] is BY_ID["lahir_tercatat_60h"]
    realisation = catalogue["pad_realisasi"]  # the year's APBD target, and judged sooner than at the year's end
    assert (realisation.params, realisation.thresholds.amber, realisation.target.value) == ({"target_tahunan_miliar": 120}, 75, 100)
    assert config.calendar.extra_holidays == [dt.date(2026, 12, 7)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[indicators.tidak_ada]\ntarget = 1\n", "key indicators.tidak_ada: indikator tidak dikenal"),
        ("[indicators.izin_daring]\nparams = { penduduk = 1 }\n", "key indicators.izin_daring: izin_daring: parameter tidak dikenal: penduduk"),
        ("[indicators.izin_daring]\ngreen = 70\namber = 80\n", "key indicators.izin_daring: izin_daring: ambang kuning (80.0) harus lebih rendah"),
        ("[indicators.tte_gagal]\ngreen = 5\n", "key indicators.tte_gagal: tte_gagal: ambang kuning (3.0) harus lebih tinggi"),
        ("[calendar]\nextra_holidays = ['kemarin']\n", "calendar.extra_holidays"),
        ("[wall]\nmap_indicator = 'tte_porsi'\n", "key wall.map_indicator: 'tte_porsi' is not an indicator with a kecamatan breakdown"),
        ("[[wall.screens.2]]\npage = 'peta'\nindikator = 'x'\n", "key wall.screens.2.0.indikator: 'x' is not an indicator"),
        ("[[wall.screens.2]]\npage = 'Ringkasan!'\n", "wall.screens.2.0.page"),
        ("[[wall.screens.2]]\npage = 'peta'\n[[wall.screens.2]]\npage = 'beranda'\n", "key wall.screens.2.1.page: 'beranda' is not a wall page"),
    ],
)
def test_bad_indicator_or_calendar_settings_name_the_key(tmp_path, text, expected):
    path = tmp_path / "pantau.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_checked(path, env={})
    assert expected in str(error.value) and str(path) in str(error.value)


def test_config_and_indicator_problems_are_reported_together(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text("[wall]\nmap_indicator = 'x'\n")
    assert load_config(path, env={}).wall.map_indicator == "x"  # config alone does not know the indicators
    path.write_text("[sources.perizinan]\nopd = 'DINAS_X'\n[wall]\nmap_indicator = 'x'\n")
    with pytest.raises(ConfigError) as error:
        load_checked(path, env={})
    lines = str(error.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["key sources.perizinan.opd", "key wall.map_indicator"]
    assert all(line.startswith(f"config file {path}: ") for line in lines)


def test_loading_a_configuration_imports_neither_metrics_nor_ibis(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text("[indicators.izin_daring]\ntarget = 60\n[wall]\nmap_indicator = 'izin_tepat_waktu'\n")
    code = (
        "import sys; from config import load_config; load_config(None, env={}); load_config(sys.argv[1], env={}); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ibis', 'metrics'}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_an_operator_adds_and_renames_agencies(tmp_path):
    from region.opd import BUILTIN

    path = tmp_path / "pantau.toml"
    path.write_text(
        '[opd.disnakkeswan]\nnama = "Dinas Peternakan"\nnama_lengkap = "Dinas Peternakan dan Kesehatan Hewan"\nvariants = ["Disnakkeswan"]\n'
        '[opd.DISHUB]\nnama = "Dishub"\nnama_lengkap = "Dinas Perhubungan, Komunikasi dan Informatika"\n'
        '[sources.perizinan]\nopd = "DISNAKKESWAN"\n'
    )
    config = load_config(path, env={})
    directory = config.opd_directory()
    assert directory.normalise("dinas peternakan dan kesehatan hewan") == directory.normalise("DISNAKKESWAN") == "DISNAKKESWAN"
    assert directory.name("DISNAKKESWAN") == "Dinas Peternakan" and BUILTIN.normalise("Disnakkeswan") is None
    # Renamed: the new names, and the former ones still recognised.
    assert directory.name("DISHUB") == "Dishub" and directory.normalise("Dinas Perhubungan") == "DISHUB"
    assert directory.normalise("Dinas Perhubungan, Komunikasi dan Informatika") == "DISHUB"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[opd.DISX]\nnama = "Dinas X"\nvariants = ["Dinkes"]\n', "key opd.DISX: nama 'Dinkes' dipakai untuk dua OPD: DINKES dan DISX"),
        ('[opd.DISX]\nnama = ""\n', "key opd.DISX.nama"),
        ('[opd."DIS X"]\nnama = "Dinas X"\n', "key opd.DIS X"),
        ('[opd.DISX]\nnama = "Dinas X"\nalamat = "Parit Malintang"\n', "key opd.DISX.alamat: unknown key"),
    ],
)
def test_a_configured_agency_that_cannot_work_names_its_key(tmp_path, text, expected):
    path = tmp_path / "pantau.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(path, env={})
    assert expected in str(error.value), str(error.value)
