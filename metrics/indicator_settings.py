"""The configuration's indicator settings read against the catalogue: operator overrides, and the keys that cannot work."""

from __future__ import annotations

from config.settings import Config
from metrics.catalogue import BY_ID, Override, configured


def indicator_overrides(config: Config) -> dict[str, Override]:
    """The [indicators.ID] tables as catalogue overrides, by indicator id."""
    return {i: Override(**s.model_dump()) for i, s in config.indicators.items()}


def indicator_setting_problems(config: Config) -> list[tuple[str, str]]:
    """(dotted key, problem) for every setting that names an indicator it cannot use, or overrides one wrongly."""
    return _map_problems(config) + _override_problems(config)


def _map_problems(config: Config) -> list[tuple[str, str]]:
    """Map indicators that do not exist or cannot be broken down by kecamatan."""
    mappable = sorted(i.id for i in BY_ID.values() if "kode_kecamatan" in i.breakdowns)
    chosen = [("wall.map_indicator", config.wall.map_indicator)]
    chosen += [(f"wall.screens.{screen}.{n}.indikator", item.indikator)
               for screen, items in config.wall.screens.items() for n, item in enumerate(items) if item.indikator]
    return [(key, f"'{value}' is not an indicator with a kecamatan breakdown; choose one of {', '.join(mappable)}")
            for key, value in chosen if value not in mappable]


def _override_problems(config: Config) -> list[tuple[str, str]]:
    """Overrides the catalogue refuses, one by one, so each names its own key."""
    problems = []
    for indicator_id, override in indicator_overrides(config).items():
        try:
            configured({indicator_id: override})
        except ValueError as exc:
            problems.append((f"indicators.{indicator_id}", str(exc)))
    return problems
