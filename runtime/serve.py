"""Serve Pantau: the web app on a production WSGI server, with the simulator and the scheduler beside it."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from access.service import Access
from dashboard.app import create_app
from dashboard.http_policy import SERVER_BODY_LIMIT
from dashboard.paparan.library import Paparan
from dashboard.services import DashboardServices
from province.view import ProvinceRollup
from region import regency
from region.paths import project_path
from runtime import http_server, server_info, snapshots
from runtime.context import Pantau
from runtime.control import PantauControls
from runtime.prometheus import PantauCollector
from runtime.signals import stop_on_signals
from runtime.token import server_token, session_secret
from runtime.wall_live import LiveWallSettings

log = logging.getLogger(__name__)
REGION_NAME = regency.NAME


def serve(pantau: Pantau, host: str, port: int, on_ready: Callable[[str], None], config_path: Path | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop everything cleanly. `on_ready` gets the base URL once listening.

    Args:
        config_path: the configuration file, re-read for the wall's settings when it changes (None: the default).
    """
    cfg = pantau.config
    token = server_token(cfg.server.operator_token_env, pantau.warehouse_path)
    identity = server_info.ServerIdentity(token, pantau.warehouse_path)
    services = DashboardServices(
        metrics=pantau.metrics,
        controls=PantauControls(pantau),
        operator_token=token,
        region_name=REGION_NAME,
        wall=LiveWallSettings(config_path, cfg),
        embed_origins=tuple(cfg.server.embed_origins),
        identity=identity.answer,
        paparan=Paparan(snapshots.of(pantau), lambda: cfg.paparan),
        collector=PantauCollector(pantau),
        metrics_token=os.environ.get(cfg.server.metrics_token_env) or None,
        access=Access(pantau.warehouse, cfg.access, session_secret(cfg.access.secret_key_env, pantau.warehouse_path)),
        province=ProvinceRollup(project_path(cfg.province.rollup_warehouse)) if cfg.province.rollup_warehouse else None,
    )
    app = create_app(services)
    server = http_server.create(app.server, host, port, cfg.server.threads, SERVER_BODY_LIMIT)
    url = f"http://{host}:{server.effective_port}"
    identity.url = url
    pantau.alerts.server_url = pantau.alerts.server_url or url
    server_info.publish(pantau.warehouse_path, url)

    # After the port is open, so the wall is reachable while the simulator builds its history.
    starter = threading.Thread(target=pantau.start_loading, name="pantau-start", daemon=True)
    stop_on_signals()
    try:
        pantau.warehouse.watch.start()
        starter.start()
        on_ready(url)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        pantau.stopping.set()
        server.close()
        starter.join(timeout=30)
        server_info.withdraw(pantau.warehouse_path)
        pantau.close()
