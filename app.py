"""Pantau's command line: serve (the default), ingest, status, simulate."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

import click

from config import ConfigError
from config.secrets import REDACTOR, RedactingFilter, secret_env_names

log = logging.getLogger("pantau")


class DefaultToServe(click.Group):
    """A command group whose default command is `serve`, so `python app.py --port 9000` serves."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


def _config(path: str | None, judged: bool = True):
    """The configuration; judged in full (every part's checks) unless it only serves to find the running server."""
    if judged:
        from runtime.configuration import load_checked as load
    else:
        from config.loader import read_config as load

    try:
        config = load(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    # Whatever this process writes from here on (log, stored errors) has these values masked.
    REDACTOR.add(*(os.environ.get(name) for name in secret_env_names(config)))
    return config


def _open(config):
    """This process's Pantau, or a clear message when the warehouse cannot be opened (held by another process,
    a folder, not a DuckDB file, in a folder that cannot be made or read)."""
    import duckdb

    from ingest.tables import TableMismatch
    from region.paths import project_path
    from runtime.context import Pantau
    from warehouse import WarehouseBusy

    path = project_path(config.warehouse.path)
    if path.is_dir():
        raise click.ClickException(f"warehouse.path {path}: is a folder; give the path of a DuckDB file, e.g. data/pantau.duckdb")
    if path.parent.exists() and not path.parent.is_dir():
        raise click.ClickException(f"warehouse.path {path}: {path.parent} is a file, not a folder")
    try:
        return Pantau(config)
    except WarehouseBusy as exc:
        raise click.ClickException(f"{exc}. Hentikan proses itu, atau jalankan perintah ini saat server berjalan agar dikerjakan lewat server.") from None
    except TableMismatch as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"warehouse.path {path}: folder {exc.filename or path.parent} cannot be used: {exc.strerror or exc}") from None
    except duckdb.Error as exc:
        raise click.ClickException(f"warehouse.path {path}: cannot be opened as a DuckDB warehouse: {str(exc).splitlines()[0]}") from None


config_option = click.option("--config", "config_path", envvar="PANTAU_CONFIG", type=click.Path(dir_okay=False), help="TOML configuration file (default: the embedded default).")


@click.group(cls=DefaultToServe)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
def cli(verbose: bool) -> None:
    """Pantau: the command-center dashboard of Kabupaten Padang Pariaman."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())  # on the handlers, so records of every logger pass through it
    if not verbose:
        # One line per page or per job run is noise; loads log their own one-line summary.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: server.host, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (default: server.port, 8050).")
@config_option
def serve(host: str | None, port: int | None, config_path: str | None) -> None:
    """Serve the wall and the API, load sources on their schedules. Ctrl-C stops it."""
    from runtime.memory import settle_allocators
    from runtime.serve import serve as run_server

    settle_allocators()
    config = _config(config_path)
    pantau = _open(config)

    def ready(url: str) -> None:
        click.echo(f"Pantau berjalan: {url}/wall  (API: {url}/api/v1/indicators; Ctrl-C untuk berhenti)", err=False)
        sys.stdout.flush()

    run_server(pantau, host or config.server.host, config.server.port if port is None else port, ready, Path(config_path) if config_path else None)
    click.echo("Pantau berhenti.")


def _through_server_or_here(config_path: str | None, path: str, body: dict | None, here, files: dict | None = None):
    """Do a job through the running server when there is one (it owns the warehouse), else in this process.

    The server judged its own configuration when it started: this process reads its own only as far as finding the
    server needs (the warehouse path, the token variable), and judges it in full only to do the job itself.

    Args:
        path: the server's API path; a POST with the operator token when `body` is given, else a GET.
        here: function of a Pantau that does the job locally.
    """
    import httpx

    from region.paths import project_path
    from runtime.client import ServerProblem, ask, running_server

    config = _config(config_path, judged=False)
    try:
        with httpx.Client() as client:  # one client for the identity check and the job, so its set-up is paid once
            server = running_server(project_path(config.warehouse.path), config.server.operator_token_env, client)
            if server:
                return ask(server, client, path, body, files)
    except ServerProblem as exc:
        raise click.ClickException(str(exc)) from None
    pantau = _open(_config(config_path))
    try:
        return here(pantau)
    finally:
        pantau.close()


def _check_names(pantau, names) -> list[str]:
    """The named sources, or all when none are named; a clear error for a name that is not configured."""
    from runtime.context import UnknownSource

    try:
        for name in names:
            pantau.source(name)
    except UnknownSource as exc:
        raise click.ClickException(str(exc)) from None
    return list(names) or list(pantau.sources)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Backfill: read again everything from this day (WIB), YYYY-MM-DD.")
@config_option
def ingest(sources: tuple[str, ...], since, config_path: str | None) -> None:
    """Load SOURCES now (all when none are named). Goes through the running server when there is one."""
    day = since.date() if since else None

    def here(pantau):
        names = _check_names(pantau, sources)
        pantau.start_simulator()
        return {"results": [pantau.load(name, day).as_dict() for name in names]}

    results = _through_server_or_here(config_path, "/api/v1/ingest", {"sources": list(sources), "since": day.isoformat() if day else None}, here)["results"]
    for r in results:
        # The reconciliation: dibaca = baru + berubah + sama + versi lama (superseded in the same load) + ditolak
        # + dilewati (rows that are no records, such as a total row).
        line = (f"{r['source']:<12} {r['status']:<8} dibaca {r['rows_read']:>8}  baru {r['inserted']:>8}  berubah {r['updated']:>7}  "
                f"sama {r['unchanged']:>8}  versi lama {r['superseded']:>5}  ditolak {r['rejected']:>5}  dilewati {r['skipped']:>4}")
        click.echo(line + (f"  galat: {r['error']}" if r["error"] else "") + (f"  catatan: {r['notes']}" if r.get("notes") else ""))
    if any(r["status"] == "failed" for r in results):
        sys.exit(1)


@cli.command()
@click.argument("source")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--preview", "preview_only", is_flag=True, help="Only show what loading the file would do; nothing is written.")
@click.option("--stream", default=None, help="The source's stream the file is for (default: told by its name).")
@config_option
def upload(source: str, file: str, preview_only: bool, stream: str | None, config_path: str | None) -> None:
    """Preview FILE as a load of file source SOURCE would take it (rows, rejects, reconciliation), then load exactly
    that file unless --preview. Goes through the running server when there is one."""
    path = Path(file)
    content = path.read_bytes()

    def here(pantau):
        from runtime.context import UnknownSource
        from runtime.control import PantauControls
        from runtime.uploads import UploadRefused

        controls = PantauControls(pantau)
        try:
            answer = controls.preview_upload(source, path.name, content, stream)
        except (UnknownSource, UploadRefused) as exc:
            raise click.ClickException(str(exc)) from None
        _show_preview(answer)
        if preview_only or answer["preview"]["error"]:
            controls.cancel_upload(source, answer["id"])
            return answer
        return controls.commit_upload(source, answer["id"])

    fields = {"aliran": stream} if stream else {}
    answer = _through_server_or_here(config_path, f"/api/v1/sumber/{source}/unggah", fields, here, files={"berkas": (path.name, content)})
    if "preview" in answer and "load" not in answer and not preview_only and not answer["preview"]["error"]:
        _show_preview(answer)  # the server answered the preview: load it there too
        answer = _through_server_or_here(config_path, f"/api/v1/sumber/{source}/unggah/{answer['id']}/muat", {}, here)
    elif "preview" in answer and "load" not in answer and answer.get("id") and not answer.get("cancelled"):
        _show_preview(answer)
        _through_server_or_here(config_path, f"/api/v1/sumber/{source}/unggah/{answer['id']}/batal", {}, here)
    if "load" in answer:
        r = answer["load"]
        click.echo(f"dimuat: {r['source']} {r['status']} pemuatan {r['load_id']}: dibaca {r['rows_read']}, baru {r['inserted']}, berubah {r['updated']}, "
                   f"ditolak {r['rejected']}" + (f"; galat: {r['error']}" if r["error"] else ""))
        for e in answer.get("spbe", []):
            click.echo(f"indeks SPBE {e['year']}: {e['index']:.2f} ({e['predicate']})")
        if r["status"] != "ok":
            sys.exit(1)
    elif answer.get("preview", {}).get("error"):
        sys.exit(1)


def _show_preview(answer: dict) -> None:
    from spreadsheets import describe_size

    p = answer["preview"]
    click.echo(f"pratinjau {answer['client_name']} (sha256 {answer['sha256'][:12]}, {describe_size(answer['size_bytes'])}) untuk {answer['source']}.{answer['stream']}")
    if p["error"]:
        click.echo(f"tidak dapat dimuat: {p['error']}")
        return
    if p["already_loaded"]:
        click.echo("berkas yang sama persis sudah pernah dimuat")
    click.echo(f"dibaca {p['rows_read']} = dimuat {p['loaded']} + ditolak {p['rejected']} + dilewati {p['skipped']}"
               f" (baru {p['inserted']}, berubah {p['updated']}, sama {p['unchanged']})")
    click.echo("  " + " | ".join(["asal", *p["columns"]]))
    for row in p["rows"][:10]:
        click.echo("  " + " | ".join("" if v is None else str(v) for v in row))
    if len(p["rows"]) < p["loaded"]:
        click.echo(f"  ... {p['loaded'] - min(len(p['rows']), 10)} baris lagi")
    for r in p["rejects"]:
        click.echo(f"ditolak: {r['origin']}, kolom {r['field']}: {r['reason']}")
    for e in p.get("inspected") or []:
        if e["index"] is None:
            click.echo(f"indeks SPBE {e['year']}: tidak dapat dihitung ({e['problem']})")
        else:
            change = f", berubah {e['change']:+.2f} dari {e['stored_index']:.2f}" if e["stored_index"] is not None else ""
            click.echo(f"indeks SPBE {e['year']} jika dimuat: {e['index']:.2f} ({e['predicate']}){change}")


def _pause_or_resume(sources: tuple[str, ...], paused: bool, config_path: str | None) -> None:
    def here(pantau):
        for name in _check_names(pantau, sources):
            pantau.set_paused(name, paused)
        return {}

    _through_server_or_here(config_path, f"/api/v1/sources/{'pause' if paused else 'resume'}", {"sources": list(sources)}, here)
    click.echo(f"{', '.join(sources)}: {'dijeda' if paused else 'dilanjutkan'}")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@config_option
def pause(sources: tuple[str, ...], config_path: str | None) -> None:
    """Hold the scheduled loads of SOURCES (kept across restarts) until `resume`."""
    _pause_or_resume(sources, True, config_path)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@config_option
def resume(sources: tuple[str, ...], config_path: str | None) -> None:
    """Release the scheduled loads of SOURCES."""
    _pause_or_resume(sources, False, config_path)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@config_option
def status(as_json: bool, config_path: str | None) -> None:
    """Each source: freshness, last run, rows read, rejected and skipped, next run, paused; then an unset token or
    database-URL variable, and the last run's error or note."""

    def here(pantau):
        from runtime.control import source_status

        return {"sources": source_status(pantau)}

    rows = _through_server_or_here(config_path, "/api/v1/sources", None, here)["sources"]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return

    def when(iso: str | None) -> str:
        from datetime import datetime

        from region.timezone import WIB

        return datetime.fromisoformat(iso).astimezone(WIB).strftime("%d-%m %H:%M WIB") if iso else "-"

    click.echo(f"{'sumber':<11} {'jenis':<5} {'kesegaran':<9} {'terakhir':<15} {'status':<7} {'dibaca':>8} {'ditolak':>7} {'dilewati':>8}  {'berikutnya':<15} galat / catatan")

    def number(value: int | None) -> str:
        return "-" if value is None else str(value)

    for r in rows:
        upcoming = "dijeda" if r["paused"] else when(r["next_run_at"])
        click.echo(
            f"{r['source']:<11} {r['kind']:<5} {r['state']:<9} {when(r['last_run_at']):<15} {r['last_status'] or '-':<7} "
            f"{number(r['last_rows_read']):>8} {number(r['last_rejected']):>7} {number(r.get('last_skipped')):>8}  "
            f"{upcoming:<15} {_remarks(r)}"
        )


def _remarks(row: dict) -> str:
    """What the operator must know of a source beyond its counts: an unset secret variable, then its last run's error
    or note (all of the last run: an earlier run's error is gone once a run succeeds)."""
    found = []
    if row.get("missing_env"):
        what = "URL basis data" if row["kind"] == "sql" else "token"
        found.append(f"{what} tidak ada: variabel lingkungan {row['missing_env']} belum disetel")
    if row["last_error"] and not (row.get("missing_env") and row["missing_env"] in row["last_error"]):  # said once
        found.append(row["last_error"])
    if row.get("last_notes"):
        found.append(f"catatan: {row['last_notes']}")
    return "; ".join(found)


@cli.group()
def spbe() -> None:
    """SPBE self-assessment: score a file, plan the raises that reach a target."""


framework_option = click.option("--framework", "framework_id", default="permenpanrb-59-2020", show_default=True, help="Framework version (see metrics/spbe/frameworks/).")


def _assessment(path: str, framework_id: str):
    from metrics.spbe.assessment import AssessmentError, read_assessment
    from metrics.spbe.framework import framework

    try:
        version = framework(framework_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    try:
        return version, read_assessment(Path(path), version)
    except AssessmentError as exc:
        raise click.ClickException(str(exc)) from None


@spbe.command("score")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@framework_option
def spbe_score(file: str, framework_id: str) -> None:
    """Print the index, predicate, domain and aspect indices of a self-assessment FILE as JSON."""
    version, assessment = _assessment(file, framework_id)
    click.echo(json.dumps({**version.score(assessment.levels), "year": assessment.year}, indent=2, ensure_ascii=False))


@spbe.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), help="Assessment year, when the file has no `tahun` column.")
@framework_option
@config_option
def spbe_import(file: str, year: int | None, framework_id: str, config_path: str | None) -> None:
    """Store the self-assessment FILE as its year's SPBE levels, all or nothing, and recompute the index."""
    version, assessment = _assessment(file, framework_id)
    if assessment.year and year and assessment.year != year:
        raise click.ClickException(f"{Path(file).name}: kolom tahun {assessment.year} tidak sama dengan --year {year}")
    year = year or assessment.year
    if year is None:
        raise click.ClickException(f"{Path(file).name}: tidak ada kolom tahun; beri --year")
    body = {"framework": version.id, "year": year, "levels": {str(n): v for n, v in assessment.levels.items()}}
    result = _through_server_or_here(config_path, "/api/v1/spbe/import", body, lambda pantau: pantau.import_spbe(version.id, year, assessment.levels))
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@spbe.command("plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--target", type=float, required=True, help="Index to reach, e.g. 4.2.")
@framework_option
def spbe_plan(file: str, target: float, framework_id: str) -> None:
    """Print the fewest one-level raises that bring the index of FILE to --target, as JSON."""
    from metrics.spbe.plan import plan

    version, assessment = _assessment(file, framework_id)
    click.echo(json.dumps(plan(version, assessment.levels, target), indent=2, ensure_ascii=False))


@cli.group()
def paparan() -> None:
    """Presentation snapshots: freeze the figures at an as-of moment, list them, export a deck's files."""


def _who() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return "cli"


@paparan.command("snapshot")
@click.option("--as-of", "as_of", help='Freeze the figures for periods ending at this WIB moment, "YYYY-MM-DD HH:MM" (default: now).')
@click.option("--title", help="The deck's title (default: paparan.title).")
@config_option
def paparan_snapshot(as_of: str | None, title: str | None, config_path: str | None) -> None:
    """Freeze every figure a deck can show; prints the new snapshot's id alone on the last line."""
    from metrics.snapshot import TooManySnapshots, as_of_from_text

    try:
        moment = as_of_from_text(as_of) if as_of else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    who = _who()
    body = {"as_of": as_of, "title": title, "created_by": who}

    def here(pantau):
        from runtime import snapshots

        try:
            made = snapshots.of(pantau).take(moment, title, who)
        except (ValueError, TooManySnapshots) as exc:
            raise click.ClickException(str(exc)) from None
        return {"snapshot": {"id": made.id, "title": made.title, "as_of": made.body["as_of"], "past_as_of": made.past_as_of,
                             "checksum": made.checksum}, "computed": made.body["computed"]}

    result = _through_server_or_here(config_path, "/api/v1/paparan", body, here)
    made = result["snapshot"]
    click.echo(f"{made['title']} · per {_wib_text(made['as_of'])} · checksum {made['checksum'][:12]}")
    if made["past_as_of"]:
        click.echo("Waktu per di masa lalu: angka dihitung untuk periode yang berakhir saat itu dari data yang dimuat sekarang.")
    click.echo(made["id"])


def _wib_text(iso: str) -> str:
    import datetime as dt

    from region.timezone import WIB

    return f"{dt.datetime.fromisoformat(iso).astimezone(WIB):%Y-%m-%d %H:%M} WIB"


@paparan.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@config_option
def paparan_list(as_json: bool, config_path: str | None) -> None:
    """List the snapshots, newest first: id, as-of, made when and by whom, title."""
    def here(pantau):
        from runtime import snapshots

        return {"snapshots": snapshots.of(pantau).listing()}

    rows = _through_server_or_here(config_path, "/api/v1/paparan", None, here)["snapshots"]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'snapshot':<22} {'per (WIB)':<17} {'dibuat (WIB)':<17} {'oleh':<18} judul")
    for r in rows:
        past = " (dihitung mundur)" if r["past_as_of"] else ""
        click.echo(f"{r['id']:<22} {_wib_text(r['as_of'])[:16]:<17} {_wib_text(r['created_at'])[:16]:<17} {r['created_by'][:18]:<18} {r['title']}{past}")


@paparan.command("export")
@click.argument("snapshot_id")
@click.option("--pdf", is_flag=True, help="The deck as PDF, one 16:9 page per slide.")
@click.option("--pptx", is_flag=True, help="The deck as an editable PowerPoint with native charts and speaker notes.")
@click.option("--data", is_flag=True, help="The data pack: XLSX and CSV of every figure, definitions, sources, manifest.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True, help="The deck's language.")
@click.option("--tema", "theme", type=click.Choice(["terang", "gelap"]), help="The PDF's theme (default: paparan.theme).")
@click.option("--out", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False), help="Folder to write the files into.")
@config_option
def paparan_export(snapshot_id: str, pdf: bool, pptx: bool, data: bool, lang: str, theme: str | None, out_dir: str, config_path: str | None) -> None:
    """Write SNAPSHOT_ID's PDF, PPTX and data pack (all three when none is chosen) into --out."""
    from dashboard.paparan.deck import build
    from dashboard.paparan.library import export
    from metrics.snapshot import Snapshot, SnapshotCorrupt, UnknownSnapshot

    if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", snapshot_id):
        raise click.ClickException(f"'{snapshot_id[:64]}' bukan id snapshot; lihat app.py paparan list")

    def here(pantau):
        from runtime import snapshots

        try:
            found = snapshots.of(pantau).get(snapshot_id)
        except UnknownSnapshot:
            raise click.ClickException(f"snapshot {snapshot_id} tidak ada; lihat app.py paparan list") from None
        except SnapshotCorrupt as exc:
            raise click.ClickException(str(exc)) from None
        return {"id": found.id, "checksum": found.checksum, "body": found.body}

    got = _through_server_or_here(config_path, f"/api/v1/paparan/{snapshot_id}", None, here)
    try:
        snapshot = Snapshot(got["id"], got["checksum"], got["body"]).verified()
    except SnapshotCorrupt as exc:
        raise click.ClickException(str(exc)) from None
    settings = _config(config_path).paparan
    deck = build(snapshot, settings, lang)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for kind, chosen in (("pdf", pdf), ("pptx", pptx), ("data", data)):
        if chosen or not (pdf or pptx or data):
            try:
                made = export(deck, snapshot, kind, theme or settings.theme)
            except RuntimeError as exc:  # the PDF printer: no Chromium, or it took too long
                raise click.ClickException(str(exc)) from None
            target = folder / made.filename
            target.write_bytes(made.content)
            click.echo(f"{target}  ({len(made.content):,} bita)".replace(",", "."))


@paparan.command("delete")
@click.argument("snapshot_id")
@config_option
def paparan_delete(snapshot_id: str, config_path: str | None) -> None:
    """Delete SNAPSHOT_ID (operators only: through the server, the operator token)."""
    def here(pantau):
        from runtime import snapshots

        if not snapshots.of(pantau).delete(snapshot_id, _who()):
            raise click.ClickException(f"snapshot {snapshot_id} tidak ada")
        return {"deleted": snapshot_id}

    if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", snapshot_id):
        raise click.ClickException(f"'{snapshot_id[:64]}' bukan id snapshot; lihat app.py paparan list")
    _through_server_or_here(config_path, f"/api/v1/paparan/{snapshot_id}/hapus", {}, here)
    click.echo(f"snapshot {snapshot_id} dihapus")


@cli.group()
def user() -> None:
    """Accounts that sign in at /masuk: add, passwd, role, disable, enable, unlock, list."""


def _administer(config_path: str | None, body: dict) -> dict:
    from access.admin import administer

    def here(pantau):
        from access.accounts import Accounts

        try:
            return administer(Accounts(pantau.warehouse), pantau.warehouse, body, _who())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    return _through_server_or_here(config_path, "/api/v1/access/users", {**body, "by": _who()}, here)


def _new_password(password_stdin: bool) -> str:
    from access.passwords import MIN_LENGTH

    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = click.prompt(f"Kata sandi (paling sedikit {MIN_LENGTH} karakter)", hide_input=True, confirmation_prompt="Ulangi kata sandi")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"kata sandi terlalu pendek: paling sedikit {MIN_LENGTH} karakter")
    return password


password_stdin_option = click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input (for scripts).")
ROLE_CHOICE = click.Choice(["viewer", "analyst", "operator", "admin"])


@user.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the account may see and do (see README: Sign-in, roles and audit).")
@password_stdin_option
@config_option
def user_add(name: str, role: str, password_stdin: bool, config_path: str | None) -> None:
    """Add the account NAME with a password asked twice."""
    _administer(config_path, {"op": "add", "name": name, "role": role, "password": _new_password(password_stdin)})
    click.echo(f"akun {name} ({role}) ditambahkan")


@user.command("passwd")
@click.argument("name")
@password_stdin_option
@config_option
def user_passwd(name: str, password_stdin: bool, config_path: str | None) -> None:
    """Give NAME a new password; its sessions end."""
    _administer(config_path, {"op": "passwd", "name": name, "password": _new_password(password_stdin)})
    click.echo(f"kata sandi {name} diganti; sesinya berakhir")


@user.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@config_option
def user_role(name: str, role: str, config_path: str | None) -> None:
    """Give NAME another ROLE."""
    _administer(config_path, {"op": "role", "name": name, "role": role})
    click.echo(f"peran {name}: {role}")


def _user_switch(op: str, said: str):
    @click.argument("name")
    @config_option
    def command(name: str, config_path: str | None) -> None:
        _administer(config_path, {"op": op, "name": name})
        click.echo(f"akun {name} {said}")

    return command


user.command("disable", help="Refuse NAME's sign-ins; its sessions end.")(_user_switch("disable", "dinonaktifkan"))
user.command("enable", help="Let NAME sign in again.")(_user_switch("enable", "diaktifkan"))
user.command("unlock", help="Lift NAME's lock after too many failed sign-ins.")(_user_switch("unlock", "dibuka kuncinya"))


@user.command("list")
@config_option
def user_list(config_path: str | None) -> None:
    """Every account: name, role, disabled, failed attempts, locked until."""
    for u in _administer(config_path, {"op": "list"})["users"]:
        state = "nonaktif" if u["disabled"] else ("terkunci" if u["locked_until"] else "aktif")
        click.echo(f"{u['name']:<24} {u['role']:<9} {state:<9} gagal {u['failed_attempts']}")


@cli.group(invoke_without_command=True)
@click.option("--since", help="Rows from this day (UTC) on, YYYY-MM-DD.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Write the rows to this CSV file instead of printing them.")
@config_option
@click.pass_context
def audit(ctx: click.Context, since: str | None, csv_path: str | None, config_path: str | None) -> None:
    """Read the audit trail (who did what, when, from where); `audit verify` checks its hash chain."""
    if ctx.invoked_subcommand:
        return
    from access.admin import trail

    def here(pantau):
        try:
            return trail(pantau.warehouse, since)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    rows = _through_server_or_here(config_path, "/api/v1/audit", {"since": since}, here)["entries"]
    if csv_path:
        import csv

        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            columns = ["id", "at", "who", "role", "action", "target", "detail", "client_address", "user_agent", "prev_hash", "row_hash"]
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(rows)
        click.echo(f"{csv_path}: {len(rows)} baris")
        return
    for r in rows:
        click.echo(f"{r['id']:>6} {r['at'][:19]} {r['who']:<20} {r['action']:<16} {r['target'] or '-':<24} {r['detail'] or ''}")


@audit.command("verify")
@config_option
def audit_verify(config_path: str | None) -> None:
    """Recompute the trail's hash chain; exit 1 naming the first row that was changed."""
    def here(pantau):
        from access.audit import verify_chain

        return verify_chain(pantau.warehouse).as_dict()

    report = _through_server_or_here(config_path, "/api/v1/audit", {"verify": True}, here)
    if not report["intact"]:
        click.echo(f"jejak audit rusak: {report['problem']}", err=True)
        sys.exit(1)
    click.echo(f"jejak audit utuh: {report['checked']} baris")


@cli.group()
def smartcity() -> None:
    """Smart-city evaluation: combine the five component scores."""


@smartcity.command("score")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--version", "version", default="2024", show_default=True, help="Evaluation guide whose weights apply (see metrics/smartcity/evaluations/).")
def smartcity_score(file: str, version: str) -> None:
    """Print the evaluation index of FILE (`komponen,nilai` rows, scores 0-5) and the weights used, as JSON."""
    from metrics.smartcity.evaluation import EvaluationError, read_scores, score

    try:
        click.echo(json.dumps(score(read_scores(Path(file)), version), indent=2, ensure_ascii=False))
    except (EvaluationError, KeyError) as exc:
        raise click.ClickException(str(exc.args[0]) if isinstance(exc, KeyError) else str(exc)) from None


@cli.command("export")
@click.option("--parquet", "parquet_dir", required=True, type=click.Path(file_okay=False), help="Collection folder the region's files and manifest go into.")
@config_option
def export_command(parquet_dir: str, config_path: str | None) -> None:
    """Write this region's source tables and calendar as Parquet, partitioned by region (and month), with a manifest."""
    import duckdb

    from metrics.catalogue import configured
    from metrics.indicator_settings import indicator_overrides
    from province.export import export_parquet, regency_tables
    from region.paths import project_path
    from warehouse import Warehouse, WarehouseBusy

    config = _config(config_path)
    params = {i.id: dict(i.params) for i in configured(indicator_overrides(config)) if i.params}
    try:
        warehouse = Warehouse(project_path(config.warehouse.path), memory_limit_mb=config.warehouse.memory_limit_mb)
    except WarehouseBusy as exc:
        raise click.ClickException(f"{exc}. Hentikan server sebentar untuk mengekspor.") from None
    except duckdb.Error as exc:
        raise click.ClickException(f"warehouse.path {config.warehouse.path}: {str(exc).splitlines()[0]}") from None
    try:
        manifest = export_parquet(warehouse.cursor(), project_path(parquet_dir), config.region.kode, regency_tables(config.enabled_sources), params)
    finally:
        warehouse.close()
    rows = sum(t["rows"] for t in manifest["tables"].values())
    files = sum(len(t["files"]) for t in manifest["tables"].values())
    click.echo(f"wilayah {manifest['region']['kode']} ({manifest['region']['nama']}): {len(manifest['tables'])} tabel, {rows} baris, "
               f"{files} berkas Parquet; data per {manifest['as_of']} UTC; manifest {parquet_dir}/manifests/{manifest['region']['kode']}.json")


@cli.command("rollup")
@click.argument("collection", type=click.Path(exists=True, file_okay=False))
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True, help="The engine the catalogue runs on.")
@click.option("--master", default="local[2]", show_default=True, help="Spark master: local[N], spark://HOST:PORT (a standalone cluster) or sc://HOST[:PORT] (Spark Connect).")
@click.option("--as-of", "as_of", default=None, help="UTC moment every region is computed at, YYYY-MM-DDTHH:MM (default: the newest region's data).")
@click.option("--warehouse", "warehouse_path", default=None, type=click.Path(dir_okay=False), help="Rollup warehouse to write (default: COLLECTION/rollup.duckdb).")
@click.option("--regions", "only", default=None, help="Only these regions of the collection, by code: 13.01,13.05 (default: all).")
@click.option("--conf", "spark_conf", multiple=True, help="A Spark setting, KEY=VALUE (repeatable): spark.driver.host=10.0.0.5, say.")
@click.option("--no-verify", is_flag=True, help="Skip checking every file against its manifest's checksum.")
def rollup_command(collection: str, engine: str, master: str, as_of: str | None, warehouse_path: str | None, only: str | None,
                   spark_conf: tuple[str, ...], no_verify: bool) -> None:
    """Compute every indicator for every region of a Parquet collection and for the province."""
    import datetime as dt
    import time

    from metrics.catalogue import INDICATORS
    from province.collection import CollectionError, read_manifests, tables_of
    from province.rollup import default_as_of, regions_frame, rollup, write

    root = Path(collection).resolve()
    started = time.perf_counter()
    try:
        manifests = read_manifests(root, verify=not no_verify)
        if only:
            wanted = [k.strip() for k in only.split(",") if k.strip()]
            unknown = sorted(set(wanted) - set(manifests))
            if unknown:
                raise CollectionError(f"--regions: {', '.join(unknown)} tidak ada di koleksi; yang ada: {', '.join(sorted(manifests))}")
            manifests = {k: manifests[k] for k in wanted}
        moment = dt.datetime.fromisoformat(as_of) if as_of else default_as_of(manifests)
    except (CollectionError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    session = None
    if engine == "spark":
        from province.engines import spark_backend, spark_session

        settings = dict(item.split("=", 1) for item in spark_conf if "=" in item)
        if len(settings) != len(spark_conf):
            raise click.ClickException("--conf: tulis KEY=VALUE, mis. spark.driver.host=10.0.0.5")
        session = spark_session(master, extra=settings)
        con = spark_backend(session, root, tables_of(manifests))
    else:
        from province.engines import duckdb_backend

        con = duckdb_backend(root, tables_of(manifests))
    try:
        values = rollup(con, manifests, INDICATORS, moment)
    finally:
        if session is not None:
            session.stop()
    written = write(values, regions_frame(manifests), root, Path(warehouse_path).resolve() if warehouse_path else root / "rollup.duckdb", engine)
    click.echo(f"{len(manifests)} wilayah × {len(INDICATORS)} indikator per {moment.isoformat(timespec='minutes')} UTC dengan {engine} "
               f"dalam {time.perf_counter() - started:.1f} s; Parquet {written['parquet']}, gudang rollup {written['warehouse']}")


@cli.command("simulate-province")
@click.argument("collection", type=click.Path(file_okay=False))
@click.option("--regions", "count", default=19, show_default=True, type=click.IntRange(1, 19), help="How many of the province's regions, in code order.")
@click.option("--history-days", default=730, show_default=True, type=click.IntRange(30, 4000), help="Days of records each region holds.")
@click.option("--seed", default=2019, show_default=True, help="Region i is simulated from seed + i.")
@click.option("--port", default=0, show_default=True, help="Port of each region's simulated REST systems in turn (0: any free one).")
@config_option
def simulate_province_command(collection: str, count: int, history_days: int, seed: int, port: int, config_path: str | None) -> None:
    """Simulate regions of the province from seeds of their own, load each and export it into a Parquet collection."""
    import datetime as dt

    from province.simulate import simulate_province
    from region.paths import project_path

    config = _config(config_path)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    for done in simulate_province(project_path(collection), config, count, history_days, now, seed, port=port):
        click.echo(f"{done.kode}: seed {done.seed}, {done.rows} baris, muat {done.load_s} s, ekspor {done.export_s} s")


@cli.command()
@click.option("--port", default=8060, show_default=True, help="Port of the simulated REST systems.")
@click.option("--data-dir", default="data/sim-standalone", show_default=True, type=click.Path(file_okay=False), help="Folder for the simulated SQLite database and CSV drops.")
@config_option
def simulate(port: int, data_dir: str, config_path: str | None) -> None:
    """Run the simulated OPD systems on their own, so another Pantau can be pointed at them."""
    import time

    from region.paths import project_path
    from runtime.signals import stop_on_signals
    from simulator.systems import SimulatedOPDs

    config = _config(config_path)
    stop_on_signals()
    sim = SimulatedOPDs(
        data_dir=project_path(data_dir),
        seed=config.simulator.seed,
        history_days=config.simulator.history_days,
        port=port,
        sync_every_s=config.simulator.sync_every.total_seconds(),
        absensi_export=config.simulator.absensi_export,
    )
    sim.start()
    click.echo("Sistem OPD simulasi berjalan. Arahkan Pantau lain ke sana dengan konfigurasi ini:\n")
    for name, source in config.sources.items():
        connection = sim.connection(name)
        lines = [f"[sources.{name}]", f'kind = "{source.kind}"']
        if "url" in connection:
            lines.append(f'url = "{connection["url"]}"')
            if connection.get("token"):
                lines.append(f'token_env = "{name.upper()}_TOKEN"   # {name.upper()}_TOKEN={connection["token"]}')
        if "database_url" in connection:
            lines.append(f'database_url = "{connection["database_url"]}"')
        if "folder" in connection:
            lines.append(f'folder = "{Path(connection["folder"]).resolve()}"')
        click.echo("\n".join(lines) + "\n")
    click.echo("Ctrl-C untuk berhenti.")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        click.echo("Simulator berhenti.")


if __name__ == "__main__":
    cli()
