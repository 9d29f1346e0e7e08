"""The operator token goes only to the server that proves it owns the warehouse, and secrets are never shown."""

import http.server
import json
import os
import socket
import stat
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.integration

FILE_TOKEN = "file-token-" + "x" * 32


class Impostor(http.server.ThreadingHTTPServer):
    """Something else listening at server.json's URL: it records every request and answers 200 to all."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        # It even claims the recorded PID and gives a proof-looking answer, and "succeeds" at everything.
        payload = json.dumps({"service": "pantau", "pid": os.getpid(), "proof": "0" * 64, "results": [], "sources": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def impostor():
    server = Impostor()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def stale_server_json(workdir, url: str) -> None:
    """A server.json left behind, whose PID (this test's) is alive, and a token file a CLI would present."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "server.json").write_text(json.dumps({"pid": os.getpid(), "url": url}))
    token = workdir / ".operator-token"
    token.write_text(FILE_TOKEN)
    token.chmod(0o600)


def test_a_stale_server_json_never_gets_the_token(server_factory, impostor):
    server = server_factory()  # configured, never started
    stale_server_json(server.workdir, impostor.url)
    for command in (("ingest", "perizinan"), ("pause", "perizinan"), ("status",)):
        result = server.run_cli(*command)
        assert result.returncode == 1, (command, result.stdout)
        assert f"server.json menunjuk {impostor.url}, tetapi bukti identitasnya tidak cocok" in result.stderr, result.stderr
        assert "token operator tidak dikirim" in result.stderr and "Traceback" not in result.stderr
    assert impostor.requests, "the CLI asked who listens there"
    for method, path, headers, body in impostor.requests:
        assert (method, path.split("?")[0]) == ("GET", "/api/v1/server/identity")
        assert "authorization" not in {k.lower() for k in headers}
        assert FILE_TOKEN not in path + json.dumps(headers) + body.decode()


def test_a_server_json_whose_address_answers_nothing_is_stale(server_factory):
    server = server_factory()
    with socket.socket() as s:  # a port that was free a moment ago, and that nothing listens on now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stale_server_json(server.workdir, f"http://127.0.0.1:{port}")
    result = server.run_cli("ingest", "dukcapil")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("dukcapil     ok")


def test_the_token_file_is_private_and_never_followed(server_factory):
    server = server_factory()
    server.workdir.mkdir(parents=True)
    path = server.workdir / ".operator-token"
    path.write_text("an old token")
    path.chmod(0o644)
    server.start()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() != "an old token"
    assert stat.S_IMODE((server.workdir / "server.json").stat().st_mode) == 0o644
    assert httpx.get(f"{server.url}/api/v1/server/identity", params={"challenge": "short"}).status_code == 400
    answer = httpx.get(f"{server.url}/api/v1/server/identity", params={"challenge": "c" * 43})
    assert answer.status_code == 200 and set(answer.json()) == {"service", "pid", "proof"}
    assert path.read_text() not in answer.text
    paused = server.run_cli("pause", "perizinan")  # the server proves itself to the CLI, which then sends the token
    assert paused.returncode == 0 and "perizinan: dijeda" in paused.stdout, paused.stderr

    path.chmod(0o644)  # as if someone loosened it while the server runs: the CLI will not present it
    refused = server.run_cli("resume", "perizinan")
    assert refused.returncode == 1 and "dapat dibaca atau diubah pengguna lain (mode 644)" in refused.stderr
    assert "Traceback" not in refused.stderr
    server.stop()

    victim = server.workdir / "elsewhere.txt"
    victim.write_text("not a token")
    victim.chmod(0o644)
    path.unlink()
    path.symlink_to(victim)
    server.start()
    assert victim.read_text() == "not a token" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server.run_cli("resume", "perizinan").returncode == 0


SECRET_URL = "postgresql://u:S3cr3t%2Fx@127.0.0.1:1/db?password=S3cr3t"  # port 1: nothing listens, the load fails


def test_a_database_password_appears_nowhere(server_factory):
    server = server_factory(PANTAU_SOURCES__DUKCAPIL__DATABASE_URL_ENV="DUKCAPIL_DATABASE_URL", DUKCAPIL_DATABASE_URL=SECRET_URL).start()
    deadline = time.monotonic() + 120
    while True:
        sources = httpx.get(f"{server.url}/api/v1/sources", timeout=10)
        dukcapil = next(r for r in sources.json()["sources"] if r["source"] == "dukcapil")
        if dukcapil["last_status"] == "failed" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert dukcapil["last_status"] == "failed" and dukcapil["state"] == "failing"
    # Still says what went wrong, where.
    assert dukcapil["last_error"].startswith("basis data postgresql://u:***@127.0.0.1:1/db?password=***: OperationalError")
    shown = {
        "/api/v1/sources": sources.text,
        "/api/health": httpx.get(f"{server.url}/api/health", timeout=10).text,
        "/api/v1/indicators": httpx.get(f"{server.url}/api/v1/indicators", timeout=30).text,
    }
    status = server.run_cli("status", "--json")
    assert status.returncode == 0, status.stderr
    shown["status --json"] = status.stdout + status.stderr
    ingest = server.run_cli("ingest", "dukcapil")
    assert ingest.returncode == 1 and "galat: basis data postgresql://u:***@127.0.0.1:1/db?password=***" in ingest.stdout
    shown["ingest"] = ingest.stdout + ingest.stderr
    assert server.stop() == 0
    shown["server log"] = "".join(server.stdout) + server.stderr
    assert "load dukcapil-" in shown["server log"] and "failed" in shown["server log"]
    for where, text in shown.items():
        assert "S3cr3t" not in text, where
