"""Read the TOML file over the built-in source contracts, apply PANTAU_SECTION__KEY overrides, validate.

Messages name the file, the key and the problem, so an operator can fix a configuration without reading code.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.settings import Config

ENV_PREFIX = "PANTAU_"
CONTRACTS = Path(__file__).resolve().parent.parent / "ingest" / "contracts"
# A check of a loaded configuration by a part that reads it: (dotted key, problem) for each setting that cannot work.
Check = Callable[[Config], list[tuple[str, str]]]


class ConfigError(Exception):
    """A configuration problem, worded for the operator: which file, which key, what is wrong."""


def _read_toml(path: Path, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{origin}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{origin}: is a folder, not a file") from None
    except PermissionError:
        raise ConfigError(f"{origin}: cannot be read (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{origin}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from None


@cache
def builtin_contracts() -> dict[str, dict[str, Any]]:
    """The shipped contracts of the built-in sources, by source name."""
    return {p.stem: _read_toml(p, f"contract file {p}") for p in sorted(CONTRACTS.glob("*.toml"))}


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _env_overrides(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    """Apply the overrides; returns the environment variable behind each dotted key it set, for messages."""
    # PANTAU_SERVER__PORT=8060 sets server.port; PANTAU_SOURCES__PERIZINAN__URL sets sources.perizinan.url.
    applied: dict[str, str] = {}
    for name, value in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__")]
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"environment variable {name}: {'.'.join(path)} is not a section")
        node[path[-1]] = value
        applied[".".join(path)] = name
    return applied


def _where(key: str, origin: str, from_env: dict[str, str]) -> str:
    """The file, or the environment variable that set this key (or a section above it): where the operator looks."""
    variable = next((from_env[k] for k in from_env if key == k or key.startswith(k + ".")), None)
    return f"environment variable {variable}" if variable else origin


def _describe(error: ValidationError, origin: str, from_env: dict[str, str]) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown key"
        elif problem["type"] == "missing":
            message = "missing: this key is required"
        lines.append(f"{_where(key, origin, from_env)}: key {key}: {message}")
    return "\n".join(lines)


def _read(path: Path | str | None, env: Mapping[str, str] | None) -> tuple[Config, str, dict[str, str]]:
    """The validated configuration, where it came from, and the environment variable behind each key it set."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    origin = "default configuration"
    if path is not None:
        path = Path(path)
        origin = f"config file {path}"
        data = _read_toml(path, origin)
    contracts = builtin_contracts()
    chosen = data.get("sources")
    if isinstance(chosen, dict):
        data["sources"] = {n: _merged(contracts.get(n, {}), s) if isinstance(s, dict) else s for n, s in chosen.items()}
    else:
        data["sources"] = {n: dict(c) for n, c in contracts.items()}
    from_env = _env_overrides(data, env)
    try:
        return Config.model_validate(data), origin, from_env
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin, from_env)) from None


def read_config(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The configuration with its types validated but not judged further (no semantic checks, no `checks`): enough
    to find the warehouse and the running server that judged its own configuration when it started.

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    return _read(path, env)[0]


def load_config(path: Path | str | None = None, env: Mapping[str, str] | None = None, checks: Sequence[Check] = ()) -> Config:
    """Load the configuration.

    Sources: with no `[sources]` in the file, every built-in source runs (the embedded default). With a
    `[sources]` table, exactly the sources named there run; a name that matches a built-in source takes its
    contract and overrides the keys given.

    Args:
        path: TOML file; None means no file, i.e. the embedded default.
        env: environment to read overrides from (defaults to os.environ).
        checks: more checks, run after config's own and reported with them (see runtime.configuration).

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    from config.semantics import semantic_problems  # duckdb: paid only where the configuration is judged in full

    config, origin, from_env = _read(path, env)
    problems = semantic_problems(config) + [problem for check in checks for problem in check(config)]
    if problems:
        raise ConfigError("\n".join(f"{_where(key, origin, from_env)}: key {key}: {problem}" for key, problem in problems))
    return config
