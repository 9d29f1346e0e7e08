"""The configuration a command starts with: loaded, then checked by config and by every part that reads it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from config import Config, load_config
from config.loader import Check
from dashboard.paparan.deck import paparan_problems
from dashboard.registry import playlist_problems
from metrics.indicator_settings import indicator_setting_problems

# Checks of settings that config cannot judge alone, one line per part that reads them; each gives (dotted key,
# problem), reported together with config's own.
CHECKS: tuple[Check, ...] = (
    indicator_setting_problems,
    playlist_problems,
    paparan_problems,
)


def load_checked(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load the configuration as config.load_config does, and run every check on it.

    Raises:
        ConfigError: naming the file, the key and the problem, for every problem found.
    """
    return load_config(path, env, checks=CHECKS)
