"""Pantau's command line: serve (the default), ingest, status, simulate."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click
import httpx

from config import ConfigError, load_config

log = logging.getLogger("pantau")


class DefaultToServe(click.Group):
    """A command group whose default command is `serve`, so `python app.py --port 9000` serves."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


def _config(path: str | None):
    try:
        return load_config(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _open(config):
    """This process's Pantau, or a clear message when another process holds the warehouse."""
    from runtime.context import Pantau, UnknownSource
    from warehouse import WarehouseBusy

    try:
        return Pantau(config)
    except WarehouseBusy as exc:
        raise click.ClickException(f"{exc}. Hentikan proses itu, atau jalankan perintah ini saat server berjalan agar dikerjakan lewat server.") from None
    except UnknownSource as exc:
        raise click.ClickException(str(exc)) from None


def _server(config) -> str | None:
    from runtime import server_info
    from runtime.context import project_path

    return server_info.running_server(project_path(config.warehouse.path))


config_option = click.option("--config", "config_path", envvar="PANTAU_CONFIG", type=click.Path(dir_okay=False), help="TOML configuration file (default: the embedded default).")


@click.group(cls=DefaultToServe)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
def cli(verbose: bool) -> None:
    """Pantau: the command-center dashboard of Kabupaten Padang Pariaman."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
    from runtime.serve import serve as run_server

    config = _config(config_path)
    pantau = _open(config)

    def ready(url: str) -> None:
        click.echo(f"Pantau berjalan: {url}/wall  (API: {url}/api/v1/indicators; Ctrl-C untuk berhenti)", err=False)
        sys.stdout.flush()

    run_server(pantau, host or config.server.host, config.server.port if port is None else port, ready)
    click.echo("Pantau berhenti.")


@cli.command()
@click.argument("sources", nargs=-1)
@config_option
def ingest(sources: tuple[str, ...], config_path: str | None) -> None:
    """Load SOURCES now (all when none are named). Goes through the running server when there is one."""
    from runtime.context import project_path
    from runtime.token import client_token

    config = _config(config_path)
    url = _server(config)
    if url:
        token = client_token(config.server.operator_token_env, project_path(config.warehouse.path))
        if not token:
            raise click.ClickException(f"server berjalan di {url}, tetapi token operator tidak ada; setel {config.server.operator_token_env}")
        try:
            response = httpx.post(f"{url}/api/v1/ingest", json={"sources": list(sources)}, headers={"Authorization": f"Bearer {token}"}, timeout=600)
        except httpx.HTTPError as exc:
            raise click.ClickException(f"server di {url} tidak menjawab: {exc}") from None
        if response.status_code != 200:
            raise click.ClickException(f"server di {url} menolak: HTTP {response.status_code} {response.text}")
        results = response.json()["results"]
    else:
        pantau = _open(config)
        try:
            unknown = [s for s in sources if s not in pantau.sources]
            if unknown:
                raise click.ClickException(f"sumber tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(pantau.sources)}")
            pantau.start_simulator()
            results = [pantau.load(name).as_dict() for name in (sources or pantau.sources)]
        finally:
            pantau.close()
    for r in results:
        line = f"{r['source']:<12} {r['status']:<8} dibaca {r['rows_read']:>8}  baru {r['inserted']:>8}  berubah {r['updated']:>7}  ditolak {r['rejected']:>5}"
        click.echo(line + (f"  galat: {r['error']}" if r["error"] else ""))
    if any(r["status"] == "failed" for r in results):
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@config_option
def status(as_json: bool, config_path: str | None) -> None:
    """Each source: last run, rows, rejects, freshness and next run."""
    from dashboard.formatting import wib

    config = _config(config_path)
    url = _server(config)
    if url:
        try:
            rows = httpx.get(f"{url}/api/v1/sources", timeout=30).raise_for_status().json()["sources"]
        except httpx.HTTPError as exc:
            raise click.ClickException(f"server di {url} tidak menjawab: {exc}") from None
    else:
        pantau = _open(config)
        try:
            rows = pantau.source_status()
        finally:
            pantau.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return

    def when(iso: str | None) -> str:
        from datetime import datetime

        return wib(datetime.fromisoformat(iso)).strftime("%d-%m %H:%M WIB") if iso else "-"

    click.echo(f"{'sumber':<11} {'jenis':<5} {'kesegaran':<9} {'terakhir':<15} {'status':<7} {'dibaca':>8} {'ditolak':>7}  {'berikutnya':<15} galat")
    for r in rows:
        click.echo(
            f"{r['source']:<11} {r['kind']:<5} {r['state']:<9} {when(r['last_run_at']):<15} {r['last_status'] or '-':<7} "
            f"{r['last_rows_read'] if r['last_rows_read'] is not None else '-':>8} {r['last_rejected'] if r['last_rejected'] is not None else '-':>7}  "
            f"{when(r['next_run_at']):<15} {r['last_error'] or ''}"
        )


@cli.command()
@click.option("--port", default=8060, show_default=True, help="Port of the simulated REST systems.")
@click.option("--data-dir", default="data/sim-standalone", show_default=True, type=click.Path(file_okay=False), help="Folder for the simulated SQLite database and CSV drops.")
@config_option
def simulate(port: int, data_dir: str, config_path: str | None) -> None:
    """Run the simulated OPD systems on their own, so another Pantau can be pointed at them."""
    import time

    from runtime.context import project_path
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
    )
    sim.start()
    click.echo("Sistem OPD simulasi berjalan. Arahkan Pantau lain ke sana dengan konfigurasi ini:\n")
    click.echo(f'[sources.perizinan]\nkind = "rest"\nurl = "{sim.perizinan_url}"\n')
    click.echo(f'[sources.dukcapil]\nkind = "sql"\ndatabase_url = "{sim.dukcapil_url}"\n')
    click.echo(f'[sources.absensi]\nkind = "file"\nfolder = "{Path(sim.absensi_inbox).resolve()}"\n')
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
