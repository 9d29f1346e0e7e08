"""Pantau's settings: declared once with default and help, read from one TOML file, overridden by environment."""

from config.loader import ConfigError, load_config
from config.settings import Config, SourceConfig

__all__ = ["Config", "ConfigError", "SourceConfig", "load_config"]
