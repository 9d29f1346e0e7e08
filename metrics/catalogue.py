"""The indicator catalogue: the types an indicator is declared with, and every domain's indicators, by id."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import ibis

from metrics.periods import Period

# A query is (backend, first date, last date, **params) -> one row per record counted. It returns `tanggal` (the WIB
# day the record counts on), the columns its measure reads (`good` for a share, `num` and `den` for a ratio,
# `nilai` for a sum, median or latest reading; see metrics.compute) and the columns it can be broken down by; a
# stock ("level") yields one row per item and day it is in that state. Queries select the columns they need first,
# read local dates stored at load (no time-zone conversion) and use exact functions only, so the same expression
# runs on DuckDB here and on Spark for a province.
Query = Callable[..., ibis.Table]
Measure = Literal["share", "ratio", "count", "sum", "median", "level", "latest"]


@dataclass(frozen=True)
class Target:
    """The value to reach and where it comes from (a regulation, or "target daerah" set by the region)."""

    value: float
    basis: str


@dataclass(frozen=True)
class Thresholds:
    """Green at or beyond `green`, amber at or beyond `amber`, red otherwise (beyond: in the good direction)."""

    green: float
    amber: float


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    Attributes:
        id: stable id, the contract with screens, API and exports.
        name, name_en: Indonesian and English names; description, description_en: definitions.
        unit, unit_en: display unit.
        measure: how query rows become a value (see metrics.compute).
        scale: the factor of a ratio measure (100 for a percentage).
        direction: whether higher or lower values are better; drives the status colour.
        judged_on: "value" compares the value with the thresholds; "year_change" compares its change (%) on
            the same period a year before (indicators whose target is growth or a trend).
        target, thresholds: what good looks like.
        sources: the sources it reads; a load of one of them recomputes it.
        period: the default period ending on the as-of date.
        grain: grain of the trend series shown with the value.
        history: False when the source keeps only its current state, so no earlier period can be computed.
        params: named numbers the query takes (population, kg per person); configuration may change them.
        query: the Ibis expression, see Query above.
        dimension, element: the smart-city dimension and element it gives evidence for.
        spbe: numbers of the SPBE indicators (PermenPANRB 59/2020) it gives evidence for.
        breakdowns: columns its values can be broken down by (kode_opd, kode_kecamatan, ...).
        wall: shown on the wall page.
    """

    id: str
    name: str
    name_en: str
    description: str
    description_en: str
    target: Target
    thresholds: Thresholds
    sources: tuple[str, ...]
    query: Query
    # The usual case, so that a declaration states only what differs.
    measure: Measure = "share"
    unit: str = "%"
    unit_en: str = "%"
    scale: float = 100.0
    direction: Literal["higher", "lower"] = "higher"
    judged_on: Literal["value", "year_change"] = "value"
    period: Period = Period()
    grain: Literal["day", "week", "month", "year"] = "day"
    history: bool = True
    params: Mapping[str, float] = field(default_factory=dict)
    dimension: str = ""
    element: str = ""
    spbe: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    wall: bool = False


@dataclass(frozen=True)
class Override:
    """An operator's change to an indicator's target, thresholds or parameters (configuration [indicators.ID])."""

    target: float | None = None
    target_basis: str | None = None
    green: float | None = None
    amber: float | None = None
    params: Mapping[str, float] = field(default_factory=dict)


# The domain modules declare their indicators with the types above, so they are imported once those exist.
from metrics.indicators import (  # noqa: E402
    aparatur,
    damkar,
    dukcapil,
    kesehatan,
    lingkungan,
    masterplan,
    pariwisata,
    pengaduan,
    perizinan,
    spbe,
)

# In this order on screens, in the API and in exports.
_DOMAINS = (perizinan, pengaduan, dukcapil, aparatur, masterplan, kesehatan, lingkungan, pariwisata, damkar, spbe)


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
