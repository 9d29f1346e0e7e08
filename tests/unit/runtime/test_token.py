"""The operator token file and server.json: written whole, private, never through a link; read only when safe."""

import json
import os
import stat

import pytest

from runtime import server_info
from runtime.token import UnsafeTokenFile, client_token, server_token, token_file

ENV = "PANTAU_OPERATOR_TOKEN"


def mode(path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_token_file_readable_by_others_becomes_private_at_start(tmp_path):
    path = token_file(tmp_path / "pantau.duckdb")
    path.write_text("old")
    path.chmod(0o644)
    token = server_token(ENV, tmp_path / "pantau.duckdb", env={})
    assert mode(path) == 0o600 and path.read_text() == token != "old"
    assert client_token(ENV, tmp_path / "pantau.duckdb", env={}) == token


def test_a_link_at_the_token_path_is_replaced_and_its_target_left_alone(tmp_path):
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("keep me")
    victim.chmod(0o644)
    path = token_file(tmp_path / "pantau.duckdb")
    path.symlink_to(victim)
    token = server_token(ENV, tmp_path / "pantau.duckdb", env={})
    assert victim.read_text() == "keep me" and mode(victim) == 0o644
    assert not path.is_symlink() and path.read_text() == token and mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("..operator-token")] == []  # no temporary left


def test_the_environment_token_leaves_no_file_behind(tmp_path):
    path = token_file(tmp_path / "pantau.duckdb")
    server_token(ENV, tmp_path / "pantau.duckdb", env={})
    assert server_token(ENV, tmp_path / "pantau.duckdb", env={ENV: "from-env"}) == "from-env"
    assert not path.exists()
    assert client_token(ENV, tmp_path / "pantau.duckdb", env={ENV: "from-env"}) == "from-env"
    assert client_token(ENV, tmp_path / "pantau.duckdb", env={}) is None


def test_the_client_refuses_a_token_file_others_can_read(tmp_path):
    server_token(ENV, tmp_path / "pantau.duckdb", env={})
    token_file(tmp_path / "pantau.duckdb").chmod(0o640)
    with pytest.raises(UnsafeTokenFile, match=r"dapat dibaca atau diubah pengguna lain \(mode 640\); token tidak dipakai; jalankan ulang server"):
        client_token(ENV, tmp_path / "pantau.duckdb", env={})


def test_the_client_refuses_a_token_file_that_is_a_link(tmp_path):
    real = tmp_path / "real-token"
    real.write_text("t" * 40)
    real.chmod(0o600)
    token_file(tmp_path / "pantau.duckdb").symlink_to(real)
    with pytest.raises(UnsafeTokenFile, match="adalah tautan simbolik"):
        client_token(ENV, tmp_path / "pantau.duckdb", env={})


def test_the_client_refuses_a_fifo_without_hanging(tmp_path):
    os.mkfifo(token_file(tmp_path / "pantau.duckdb"), 0o600)
    with pytest.raises(UnsafeTokenFile, match="bukan berkas biasa"):
        client_token(ENV, tmp_path / "pantau.duckdb", env={})


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_the_client_refuses_a_token_file_of_another_user(tmp_path):
    server_token(ENV, tmp_path / "pantau.duckdb", env={})
    os.chown(token_file(tmp_path / "pantau.duckdb"), 4242, -1)
    with pytest.raises(UnsafeTokenFile, match=r"milik pengguna lain \(uid 4242\)"):
        client_token(ENV, tmp_path / "pantau.duckdb", env={})


def test_server_json_is_replaced_whole_never_through_a_link(tmp_path):
    victim = tmp_path / "elsewhere.json"
    victim.write_text("keep me")
    info = server_info.info_path(tmp_path / "pantau.duckdb")
    info.symlink_to(victim)
    server_info.publish(tmp_path / "pantau.duckdb", "http://127.0.0.1:8050")
    assert victim.read_text() == "keep me"
    assert not info.is_symlink() and mode(info) == 0o644
    assert json.loads(info.read_text()) == {"pid": os.getpid(), "url": "http://127.0.0.1:8050"}
    assert server_info.recorded_server(tmp_path / "pantau.duckdb") == server_info.Recorded(os.getpid(), "http://127.0.0.1:8050")
    server_info.withdraw(tmp_path / "pantau.duckdb")
    assert not info.exists() and server_info.recorded_server(tmp_path / "pantau.duckdb") is None


def test_the_proof_is_bound_to_token_challenge_process_address_and_warehouse(tmp_path):
    identity = server_info.ServerIdentity("the-token", tmp_path / "pantau.duckdb")
    identity.url = "http://127.0.0.1:8050"
    answer = identity.answer("c" * 32)
    assert answer["pid"] == os.getpid() and answer["service"] == "pantau"
    same = server_info.proof("the-token", "c" * 32, os.getpid(), "http://127.0.0.1:8050", tmp_path / "pantau.duckdb")
    assert answer["proof"] == same
    others = {
        server_info.proof("other-token", "c" * 32, os.getpid(), "http://127.0.0.1:8050", tmp_path / "pantau.duckdb"),
        server_info.proof("the-token", "d" * 32, os.getpid(), "http://127.0.0.1:8050", tmp_path / "pantau.duckdb"),
        server_info.proof("the-token", "c" * 32, os.getpid() + 1, "http://127.0.0.1:8050", tmp_path / "pantau.duckdb"),
        server_info.proof("the-token", "c" * 32, os.getpid(), "http://127.0.0.1:8051", tmp_path / "pantau.duckdb"),
        server_info.proof("the-token", "c" * 32, os.getpid(), "http://127.0.0.1:8050", tmp_path / "other.duckdb"),
    }
    assert same not in others and len(others) == 5
