"""The indicator catalogue: every domain's indicators, in screen order, looked up by id.

The types they are declared with live in metrics.indicator and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from metrics.indicator import Indicator, Override, Target, Thresholds
from metrics.indicators import (
    aparatur,
    damkar,
    dukcapil,
    kesehatan,
    lingkungan,
    masterplan,
    pariwisata,
    pendapatan,
    pengaduan,
    perizinan,
    spbe,
)

# In this order on screens, in the API and in exports.
_DOMAINS = (perizinan, pengaduan, dukcapil, aparatur, masterplan, kesehatan, lingkungan, pariwisata, damkar, pendapatan, spbe)


def _unique_by_id(indicators: tuple[Indicator, ...]) -> dict[str, Indicator]:
    """The indicators by id.

    Raises:
        ValueError: two indicators share an id (the id is the contract with screens, API and exports).
    """
    by_id: dict[str, Indicator] = {}
    for indicator in indicators:
        if indicator.id in by_id:
            raise ValueError(f"indikator {indicator.id} dideklarasikan dua kali")
        by_id[indicator.id] = indicator
    return by_id


def _by_source(indicators: tuple[Indicator, ...]) -> dict[str, tuple[Indicator, ...]]:
    """For each source, the indicators reading it, in catalogue order."""
    index: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        for source in indicator.sources:
            index.setdefault(source, []).append(indicator)
    return {source: tuple(found) for source, found in index.items()}


INDICATORS: tuple[Indicator, ...] = tuple(i for domain in _DOMAINS for i in domain.INDICATORS)
BY_ID: dict[str, Indicator] = _unique_by_id(INDICATORS)
_BY_SOURCE: dict[str, tuple[Indicator, ...]] = _by_source(INDICATORS)


def depending_on(source: str, catalogue: tuple[Indicator, ...] | None = None) -> tuple[Indicator, ...]:
    """The indicators a load of `source` can change.

    Args:
        source: a source name.
        catalogue: the indicators to choose from (a service's own); the whole catalogue when None.

    Returns:
        Those indicators reading `source`, in catalogue order.
    """
    if catalogue is None:
        return _BY_SOURCE.get(source, ())
    return tuple(i for i in catalogue if source in i.sources)


def configured(overrides: Mapping[str, Override], catalogue: tuple[Indicator, ...] = INDICATORS) -> tuple[Indicator, ...]:
    """The catalogue with the operator's overrides applied.

    Raises:
        ValueError: an override names an unknown indicator or parameter, or leaves thresholds out of order.
    """
    by_id = {i.id: i for i in catalogue}
    unknown = sorted(set(overrides) - set(by_id))
    if unknown:
        raise ValueError(f"indikator tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(by_id)}")
    out = []
    for indicator in catalogue:
        o = overrides.get(indicator.id)
        if o is None:
            out.append(indicator)
            continue
        extra = sorted(set(o.params) - set(indicator.params))
        if extra:
            raise ValueError(f"{indicator.id}: parameter tidak dikenal: {', '.join(extra)}; yang ada: {', '.join(indicator.params) or 'tidak ada'}")
        target = Target(indicator.target.value if o.target is None else o.target,
                        o.target_basis or (indicator.target.basis if o.target is None else "Target daerah (konfigurasi)"))
        thresholds = Thresholds(indicator.thresholds.green if o.green is None else o.green,
                                indicator.thresholds.amber if o.amber is None else o.amber)
        better = thresholds.green >= thresholds.amber if indicator.direction == "higher" else thresholds.green <= thresholds.amber
        if not better:
            side = "lebih rendah" if indicator.direction == "higher" else "lebih tinggi"
            raise ValueError(f"{indicator.id}: ambang kuning ({thresholds.amber}) harus {side} atau sama dengan ambang hijau ({thresholds.green})")
        out.append(replace(indicator, target=target, thresholds=thresholds, params={**indicator.params, **o.params}))
    return tuple(out)
