"""Read the TOML file, apply PANTAU_SECTION__KEY environment overrides, validate with readable messages."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.settings import Config, default_sources

ENV_PREFIX = "PANTAU_"


class ConfigError(Exception):
    """A configuration problem, worded for the operator: which file, which key, what is wrong."""


def _env_overrides(data: dict[str, Any], env: Mapping[str, str]) -> None:
    # PANTAU_SERVER__PORT=8060 sets server.port; PANTAU_SOURCES__PERIZINAN__URL sets sources.perizinan.url.
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__")]
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"environment variable {name}: {'.'.join(path)} is not a section")
        node[path[-1]] = value


def _describe(error: ValidationError, origin: str) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{origin}: key {key}: {message}")
    return "\n".join(lines)


def load_config(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load the configuration.

    Args:
        path: TOML file; None means no file, i.e. the embedded default.
        env: environment to read overrides from (defaults to os.environ).

    Returns:
        The validated configuration.

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    origin = "default configuration"
    if path is not None:
        path = Path(path)
        origin = f"config file {path}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{origin}: file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{origin}: not valid TOML: {exc}") from None
    if "sources" not in data and any(k.startswith(f"{ENV_PREFIX}SOURCES__") for k in env):
        # An override of one default source must not drop the others.
        data["sources"] = {name: s.model_dump(exclude_defaults=True) | {"kind": s.kind} for name, s in default_sources().items()}
    _env_overrides(data, env)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin)) from None
