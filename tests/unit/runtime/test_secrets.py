"""Secrets: a password in a database URL is refused at configuration load, and masked in any text that leaves."""

import io
import logging

import pytest

from config import ConfigError, load_config
from config.secrets import REDACTOR, RedactingFilter, Redactor, password_in_url, redact

ADVICE = "put the URL in an environment variable and name it in database_url_env"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("mysql+pymysql://user:S3c/ret@db.example/opd", "a password after the user name"),
        ("postgresql://:secret@db.example/opd", "a password after the user name"),
        ("postgresql://u:p@ss@db.example/opd", "a password after the user name"),
        ("postgresql://u:S3cr3t%2Fx@db.example/opd", "a password after the user name"),
        ("postgresql://u%3AS3cr3t@db.example/opd", "a password after the user name (written as %3A)"),
        ("postgresql://u@db.example/opd?password=S3cr3t", "query parameter 'password'"),
        ("mysql+pymysql://u@db.example/opd?PASSWD=S3cr3t", "query parameter 'PASSWD'"),
        ("mssql+pyodbc://u@db.example/opd?PWD=S3cr3t", "query parameter 'PWD'"),
        ("postgresql://u@db.example/opd?sslpassword=S3cr3t", "query parameter 'sslpassword'"),
        ("postgresql://u@db.example/opd?pass%77ord=S3cr3t", "query parameter 'password'"),
        ("postgresql://u@db.example/opd?pass%2577ord=S3cr3t", "query parameter 'pass%77ord'"),
        ("postgresql://db.example/opd?options=-c%20password%3DS3cr3t", "a password inside query parameter 'options'"),
        ("postgresql://db.example/host%3Dh%20password%3DS3cr3t", "a password inside the database name"),
    ],
)
def test_a_password_anywhere_in_a_database_url_is_refused_naming_the_key(tmp_path, url, where):
    path = tmp_path / "pantau.toml"
    path.write_text(f"[sources.dukcapil]\ndatabase_url = '{url}'\n")
    with pytest.raises(ConfigError) as refused:
        load_config(path, env={})
    assert str(refused.value) == f"config file {path}: key sources.dukcapil.database_url: contains a password ({where}); {ADVICE}"
    assert "S3cr3t" not in str(refused.value) and "secret" not in str(refused.value).replace("secrets", "")


@pytest.mark.parametrize(
    "url",
    ["sqlite:///data/opd.sqlite", "mysql+pymysql://pantau@db.example/opd?charset=utf8mb4", "postgresql://pantau@db.example/opd?passfile=/etc/pantau/pgpass",
     "postgresql://u:@db.example/opd"],
)
def test_a_url_without_a_password_is_accepted(url):
    assert password_in_url(url) is None
    assert load_config(env={"PANTAU_SOURCES__DUKCAPIL__DATABASE_URL": url}).sources["dukcapil"].database_url == url


def test_a_password_set_through_the_environment_override_is_refused_too():
    with pytest.raises(ConfigError, match=r"^environment variable PANTAU_SOURCES__DUKCAPIL__DATABASE_URL: key sources.dukcapil.database_url: contains a password"):
        load_config(env={"PANTAU_SOURCES__DUKCAPIL__DATABASE_URL": "postgresql://u@h/db?Password=S3cr3t"})


SECRET_URL = "postgresql://u:S3cr3t%2Fx@127.0.0.1:1/db?password=S3cr3t"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # What SQLAlchemy renders with hide_password=True still carries the query password.
        ("basis data postgresql://u:***@127.0.0.1:1/db?password=S3cr3t: OperationalError: refused", "basis data postgresql://u:***@127.0.0.1:1/db?password=***: OperationalError: refused"),
        ("connect postgresql://u:S3cr3t%2Fx@127.0.0.1:1/db failed", "connect postgresql://u:***@127.0.0.1:1/db failed"),
        ("the password S3cr3t/x echoed alone, and encoded S3cr3t%2Fx", "the password *** echoed alone, and encoded ***"),
        ("mysql://u:p@ss/w0rd@db.example/opd", "mysql://u:***@db.example/opd"),
        ("mysql://:hunter22@db.example/opd", "mysql://:***@db.example/opd"),
        ("GET https://api.example/v1/x?page=2&API_KEY=k3yk3y&per_page=5", "GET https://api.example/v1/x?page=2&API_KEY=***&per_page=5"),
        ("https://api.example/x?pass%77ord=hunter22", "https://api.example/x?pass%77ord=***"),
        ("libpq: host=h user=u password='hunter 22' dbname=d", "libpq: host=h user=u password='***' dbname=d"),
        ("{'user': 'u', 'password': 'hunter22'}", "{'user': 'u', 'password': '***'}"),
        ("Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer ***"),
        ("{'Authorization': 'Basic dTpodW50ZXIyMg=='}", "{'Authorization': 'Basic ***'}"),
        ("headers bearer abcdefghijklmnop sent", "headers bearer *** sent"),
    ],
)
def test_the_redactor_masks_secrets_by_value_and_by_shape(text, kept):
    redacted = Redactor([SECRET_URL])(text)
    assert redacted == kept
    for secret in ("S3cr3t", "hunter", "p@ss", "k3yk3y", "abc.def", "dTpodW50", "abcdefghijklmnop"):
        assert secret not in redacted


def test_the_redactor_leaves_ordinary_text_and_password_free_urls_alone():
    redact_ = Redactor([SECRET_URL, "operator-token-value"])
    for text in ("http://127.0.0.1:9/down gagal setelah 4 percobaan: ConnectError: [Errno 111] Connection refused",
                 "basis data sqlite:////tmp/sim/dukcapil.sqlite: OperationalError: no such table: kelahiran",
                 "permohonan halaman 1: ditolak (HTTP 401); periksa token atau kunci API"):
        assert redact_(text) == text
    assert redact_("kept operator-token-value and operator-token-value") == "kept *** and ***"


def test_redact_adds_the_values_of_one_call_and_keeps_none():
    assert redact(None) is None
    assert redact("token abc-123-xyz in text", "abc-123-xyz") == "token *** in text"


def test_log_records_and_their_tracebacks_are_masked():
    REDACTOR.add("log-secret-9f2c")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.secrets")
    logger.addHandler(handler)
    logger.propagate = False
    message = f"connect {SECRET_URL.replace('S3cr3t%2Fx', '***')} failed, token log-secret-9f2c"  # as a driver might word it
    try:
        logger.warning("reading %s with %s", "https://api.example/x?api_key=k3yk3y", "log-secret-9f2c")
        try:
            raise RuntimeError(message)
        except RuntimeError:
            logger.exception("load failed")
    finally:
        logger.removeHandler(handler)
    written = out.getvalue()
    assert "api_key=***" in written and "Traceback" in written and "RuntimeError: connect postgresql://u:***@127.0.0.1:1/db?password=***" in written
    assert "k3yk3y" not in written and "log-secret-9f2c" not in written and "S3cr3t" not in written
