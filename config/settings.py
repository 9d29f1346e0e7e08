"""Every setting, declared once with its default and help text.

The README's configuration section documents each of them (a test fails when one is missing). Secrets are never
settings themselves: a setting names the environment variable that holds them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from config.durations import Duration


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(_Section):
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8050, ge=0, le=65535, description="Port the web server listens on (0: any free port).")
    threads: int = Field(8, ge=1, le=64, description="Worker threads of the WSGI server.")
    operator_token_env: str = Field(
        "PANTAU_OPERATOR_TOKEN",
        description="Environment variable holding the operator token that control actions (ingest now) require. "
        "When it is unset, the server makes a token at start and keeps it in the warehouse folder for local CLI use.",
    )


class WarehouseSettings(_Section):
    path: str = Field("data/pantau.duckdb", description="DuckDB warehouse file; relative paths are under the project root.")


class SimulatorSettings(_Section):
    seed: int = Field(2019, description="Seed of the simulated OPD systems: the same seed gives the same records.")
    history_days: int = Field(800, ge=30, le=4000, description="Days of history the simulated systems hold at start.")
    data_dir: str = Field("data/sim", description="Folder for the simulated systems' own files (SQLite database, CSV drops).")
    port: int = Field(0, ge=0, le=65535, description="Port of the simulated REST systems (0: any free port).")
    sync_every: Duration = Field(dt.timedelta(seconds=30), description="How often the simulated systems add new records.")


class WallSettings(_Section):
    refresh_every: Duration = Field(dt.timedelta(seconds=30), description="How often wall tiles fetch new values.")


_PASSWORD_IN_URL = re.compile(r"://[^/@:]+:[^/@]+@")


class SourceConfig(_Section):
    """Where and how often to read one OPD system. What the source is (table, keys, fields) is in ingest.sources."""

    kind: Literal["rest", "sql", "file"] = Field(description="Connector kind: rest, sql or file.")
    enabled: bool = Field(True, description="Whether the source is scheduled and shown.")
    schedule: str = Field("1m", description="Interval (30s, 5m, 1h) or a cron line in WIB ('*/5 * * * *').")
    fresh_within: Duration = Field(dt.timedelta(minutes=15), description="A successful read within this age is fresh.")
    stale_after: Duration = Field(dt.timedelta(hours=2), description="With no successful read for this long, the source is stale (in between: late).")
    lookback: Duration = Field(
        dt.timedelta(minutes=10),
        description="rest, sql: how far before the saved cursor each read starts, to catch records that arrive late; re-read records merge unchanged.",
    )
    url: str | None = Field(None, description="rest: base URL of the API; empty: the embedded simulator.")
    token_env: str | None = Field(None, description="rest: environment variable with a bearer token, if the API needs one.")
    timeout: Duration = Field(dt.timedelta(seconds=15), description="rest: time limit of one HTTP request.")
    page_size: int = Field(500, ge=1, le=10000, description="rest: records asked for per page.")
    database_url: str | None = Field(None, description="sql: SQLAlchemy URL without a password; empty: the embedded simulator.")
    database_url_env: str | None = Field(None, description="sql: environment variable holding the SQLAlchemy URL (use this when it has a password).")
    folder: str | None = Field(None, description="file: folder where files are dropped; empty: the embedded simulator.")

    @model_validator(mode="after")
    def _check(self) -> SourceConfig:
        if self.database_url and _PASSWORD_IN_URL.search(self.database_url):
            raise ValueError("database_url contains a password; put the URL in an environment variable and name it in database_url_env")
        if self.fresh_within >= self.stale_after:
            raise ValueError("fresh_within must be shorter than stale_after")
        return self

    @property
    def simulated(self) -> bool:
        """True when no connection is configured, so the embedded simulator provides this source."""
        return {"rest": self.url, "sql": self.database_url or self.database_url_env, "file": self.folder}[self.kind] is None


def default_sources() -> dict[str, SourceConfig]:
    """The embedded default: each OPD system served by the simulator."""
    return {
        "perizinan": SourceConfig(kind="rest", schedule="1m"),
        "dukcapil": SourceConfig(kind="sql", schedule="2m"),
        "absensi": SourceConfig(kind="file", schedule="5m", fresh_within=dt.timedelta(minutes=30), stale_after=dt.timedelta(hours=3)),
    }


class Config(_Section):
    server: ServerSettings = Field(default_factory=ServerSettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)
    simulator: SimulatorSettings = Field(default_factory=SimulatorSettings)
    wall: WallSettings = Field(default_factory=WallSettings)
    sources: dict[str, SourceConfig] = Field(default_factory=default_sources, description="One table per OPD source, [sources.NAME].")

    @property
    def enabled_sources(self) -> dict[str, SourceConfig]:
        return {name: s for name, s in self.sources.items() if s.enabled}

    @property
    def needs_simulator(self) -> bool:
        return any(s.simulated for s in self.enabled_sources.values())


def documented_settings() -> list[tuple[str, object, str]]:
    """Every setting as (dotted name, default, help); source settings are listed as sources.NAME.key."""
    rows: list[tuple[str, object, str]] = []
    for section_name, section in Config.model_fields.items():
        if section_name == "sources":
            for key, field in SourceConfig.model_fields.items():
                rows.append((f"sources.NAME.{key}", field.default, field.description or ""))
            continue
        for key, field in section.annotation.model_fields.items():  # type: ignore[union-attr]
            rows.append((f"{section_name}.{key}", field.default, field.description or ""))
    return rows
