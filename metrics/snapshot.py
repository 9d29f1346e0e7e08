"""Snapshots: everything a presentation can show, frozen at one as-of moment, immutable and checksummed.

A snapshot's body is plain JSON: the indicators as the API gives them (values, comparisons, series, breakdowns),
the SPBE result and plan, the masterplan programmes and the six dimension scores, and each source's freshness at
the moment. Everything shown or exported from a snapshot is read from its body alone, so two exports of one
snapshot carry the same numbers; its checksum (SHA-256 of the canonical body) is checked whenever it is read.

Body keys:
    format: 1.
    title, as_of (ISO, UTC), created_at (ISO, UTC), created_by.
    past_as_of: the as-of moment was before the snapshot was made, so the figures are computed for periods
        ending then from the data loaded when it was made (`data_loaded_at`, the last load that had finished).
    region: {"name", "code"}.
    indicators: [reading as the API gives it (Reading.as_dict, with "assumptions") but values at full precision,
        plus "formula" {"id", "en"} and "breakdowns": {by: [{"member", "value", "numerator", "denominator", "status"}]}].
    computed: the indicators computed for the as-of moment (the others were stored for that day after their loads).
    spbe: MetricsService.spbe() (latest, plan, thresholds, history, evidence, simulated), plus "next_predicate".
    smartcity: MetricsService.smartcity() (masterplan, dimensions, method, simulated), plus
        "programmes": [{"kode_program", "program", "dimensi", "kode_opd", "status", "progres", "anggaran", ...}].
    sources: {name: freshness as_dict() + "opd", "system", "kind"}.
    evaluation: {"version", "weights": {component: weight}}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from metrics.indicator import Indicator
from metrics.spbe.framework import framework
from region.opd import opd_name
from region.timezone import WIB

if TYPE_CHECKING:
    from metrics.service import MetricsService

FORMAT = 1
# An as-of moment this close to the moment a snapshot is made is "now", not the past.
PRESENT = dt.timedelta(minutes=1)


def canonical(body: dict) -> bytes:
    """The body as stored and checksummed: sorted keys, no spaces, UTF-8; floats as Python writes them (exact)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def checksum(body: dict) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


class SnapshotCorrupt(ValueError):
    """A stored snapshot whose body no longer matches its checksum: it is refused, never shown."""


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: its id, checksum and body (see the module's docstring for the body's keys)."""

    id: str
    checksum: str
    body: dict

    @property
    def as_of(self) -> dt.datetime:
        """The as-of moment, aware (UTC)."""
        return dt.datetime.fromisoformat(self.body["as_of"])

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.body["created_at"])

    @property
    def title(self) -> str:
        return self.body["title"]

    @property
    def created_by(self) -> str:
        return self.body["created_by"]

    @property
    def past_as_of(self) -> bool:
        return bool(self.body.get("past_as_of"))

    def indicator(self, indicator_id: str) -> dict | None:
        return next((i for i in self.body["indicators"] if i["id"] == indicator_id), None)

    def verified(self) -> Snapshot:
        """Itself, once its body is checked against its checksum.

        Raises:
            SnapshotCorrupt: the body was changed after it was made.
        """
        if checksum(self.body) != self.checksum:
            raise SnapshotCorrupt(f"snapshot {self.id}: isi tidak cocok dengan checksum-nya; snapshot ini tidak dipakai")
        return self


class TooManySnapshots(RuntimeError):
    """The configured number of snapshots is kept already; an operator deletes some first."""


class UnknownSnapshot(KeyError):
    """No stored snapshot has this id."""


# How rows become a value, per measure (metrics.compute), in words for the definitions a deck hands over.
FORMULAS = {
    "share": ("100 × catatan yang memenuhi syarat ÷ semua catatan", "100 × records that qualify ÷ all records"),
    "ratio": ("{scale} × Σ pembilang ÷ Σ penyebut", "{scale} × Σ numerator ÷ Σ denominator"),
    "count": ("jumlah catatan dalam periode", "number of records in the period"),
    "sum": ("Σ nilai catatan dalam periode", "Σ of the records' values in the period"),
    "median": ("median tepat nilai catatan dalam periode", "exact median of the records' values in the period"),
    "level": ("jumlah butir terbuka pada hari terakhir periode", "items open on the period's last day"),
    "latest": ("Σ nilai penilaian terakhir sampai akhir periode", "Σ of the values of the latest assessment up to the period's end"),
}


def formula(indicator: Indicator) -> dict[str, str]:
    """The indicator's formula in words, {"id": ..., "en": ...}."""
    words_id, words_en = FORMULAS[indicator.measure]
    scale = f"{indicator.scale:g}"
    return {"id": words_id.format(scale=scale), "en": words_en.format(scale=scale)}


def snapshot_id(as_of: dt.datetime, digest: str) -> str:
    """"20261130-2359-3fa9c2": the as-of moment in WIB, then the start of the body's checksum."""
    return f"{as_of.astimezone(WIB):%Y%m%d-%H%M}-{digest[:6]}"


def take(service: MetricsService, *, as_of: dt.datetime | None, now: dt.datetime, title: str, created_by: str,
         region: dict, sources: dict[str, dict], evaluation: dict) -> Snapshot:
    """Freeze everything a deck can show at `as_of` (aware; None: `now`), as the data stands at `now` (aware).

    Args:
        sources: per source, what a deck says of it beside its freshness ({"opd", "system", "kind"}).
        evaluation: the smart-city evaluation's version and component weights.

    Raises:
        ValueError: `as_of` is after `now` (figures cannot be frozen for a moment not yet come).
    """
    now = now.astimezone(dt.UTC)
    moment = now if as_of is None else as_of.astimezone(dt.UTC)
    if moment > now:
        raise ValueError(f"--as-of {moment.astimezone(WIB):%Y-%m-%d %H:%M} WIB belum tiba; pilih waktu sampai sekarang")
    naive = moment.replace(tzinfo=None)
    past = as_of is not None and moment < now - PRESENT
    frozen = service.frozen(naive, past)
    last_loads = [f.last_success_at for f in service.freshness().values() if f.last_success_at]
    indicators = []
    for reading in frozen.readings:
        entry = {**reading.as_dict(), "assumptions": reading.indicator.stated_assumptions(), "formula": formula(reading.indicator),
                 "breakdowns": {by: [row.as_dict() | {"value": row.value} for row in rows] for by, rows in frozen.breakdowns[reading.id].items()}}
        # Full precision where a deck and its data pack read them; the API's two decimals are for screens.
        entry.update(value=reading.value, previous_value=reading.previous_value, year_before_value=reading.year_before_value,
                     year_change=reading.year_change, year_difference=reading.year_difference,
                     series=[[p.day.isoformat(), p.value, p.provisional] for p in reading.series])
        indicators.append(entry)
    spbe = service.spbe(frozen.readings, frozen.freshness, until_year=moment.astimezone(WIB).year)
    if spbe["latest"]:
        version = framework(spbe["latest"]["framework"])
        spbe["names"] = {"domains": {d.id: d.name for d in version.domains}, "aspects": {a.id: a.name for a in version.aspects}}
    smartcity = service.smartcity(frozen.readings, frozen.freshness)
    smartcity["programmes"] = service.masterplan_programmes()
    if smartcity["masterplan"]:
        smartcity["masterplan"]["opds"] = [{**o, "name": opd_name(o["opd"])} for o in smartcity["masterplan"]["opds"]]
    body = {
        "format": FORMAT,
        "title": title,
        "as_of": moment.isoformat(),
        "created_at": now.isoformat(),
        "created_by": created_by,
        "past_as_of": past,
        "data_loaded_at": max(last_loads).replace(tzinfo=dt.UTC).isoformat() if last_loads else None,
        "computed": sorted(frozen.computed),
        "region": region,
        "indicators": indicators,
        "spbe": _plain(spbe),
        "smartcity": _plain(smartcity),
        "sources": {name: {**f.as_dict(), **sources.get(name, {}), "opd_name": opd_name(sources.get(name, {}).get("opd", ""))}
                    for name, f in frozen.freshness.items()},
        "evaluation": evaluation,
    }
    digest = checksum(body)
    return Snapshot(snapshot_id(moment, digest), digest, body)


def _plain(value):
    """JSON's own types all the way down (integer keys become text, as JSON has them)."""
    return json.loads(json.dumps(value, default=str))


def as_of_from_text(text: str) -> dt.datetime:
    """An as-of moment written in WIB, "2026-11-30 23:59" (or with a "T", as a browser's date-time field sends it).

    Raises:
        ValueError: in words, naming the expected form.
    """
    cleaned = text.strip().replace("T", " ")
    try:
        moment = dt.datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValueError(f"waktu per '{text[:40]}' tidak terbaca; tulis YYYY-MM-DD HH:MM (WIB), mis. 2026-11-30 23:59") from None
    if not 2000 <= moment.year <= 2099:
        raise ValueError(f"waktu per {cleaned} di luar tahun 2000-2099")
    return moment.replace(tzinfo=WIB)
