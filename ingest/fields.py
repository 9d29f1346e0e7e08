"""Declared field mappings: turn a source's raw text records into typed canonical columns, or rejects with reasons.

Parsing is vectorised with pandas; a value that is present but does not parse, or a required value that is
missing, sends its record to the rejects table with the field and the reason, and the rest of the batch loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from region.kecamatan import normalise_kecamatan

REGION_TZ = "Asia/Jakarta"
Kind = Literal["text", "int", "instant", "date", "time", "decimal", "kecamatan", "choice"]
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class Field:
    """One canonical column and where it comes from.

    Attributes:
        target: canonical name; an instant yields target_utc and target_tgl (its WIB date).
        source: column name in the raw record.
        kind: how to parse it.
        required: a missing value rejects the record.
        fmt: strftime format for date and time kinds.
        choices: allowed values for the choice kind.
        minutes_to: for the time kind, also write minutes after midnight to this column.
    """

    target: str
    source: str
    kind: Kind = "text"
    required: bool = False
    fmt: str | None = None
    choices: tuple[str, ...] = ()
    minutes_to: str | None = None


@dataclass(frozen=True)
class Check:
    """A rule across fields; records for which `violated` is true are rejected naming `field`."""

    field: str
    reason: str
    violated: Callable[[pd.DataFrame], pd.Series]


@dataclass
class Normalised:
    """Typed rows ready to merge, and rejected records with field and reason."""

    rows: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["origin", "record_key", "field", "reason", "raw"]))


def _parse(f: Field, raw: pd.Series) -> tuple[dict[str, pd.Series], pd.Series, str]:
    """Parsed output columns, a mask of values that are present but invalid, and the reason text."""
    text = raw.astype("string").str.strip().replace("", pd.NA)
    present = text.notna()
    if f.kind == "text":
        return {f.target: text}, pd.Series(False, index=raw.index), ""
    if f.kind == "int":
        value = pd.to_numeric(text, errors="coerce")
        bad = present & (value.isna() | (value % 1 != 0))
        return {f.target: value.astype("Int64")}, bad, "bukan bilangan bulat"
    if f.kind == "decimal":
        # Indonesian format: thousands dot, decimal comma ("1.234,5"); a plain "8.25" is read as written.
        indo = text.str.contains(",", regex=False).fillna(False)
        cleaned = text.where(~indo, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        value = pd.to_numeric(cleaned, errors="coerce")
        return {f.target: value}, present & value.isna(), "bukan angka desimal"
    if f.kind == "date":
        value = pd.to_datetime(text, format=f.fmt or "%Y-%m-%d", errors="coerce")
        return {f.target: value.dt.strftime("%Y-%m-%d")}, present & value.isna(), f"bukan tanggal {f.fmt or '%Y-%m-%d'}"
    if f.kind == "time":
        value = pd.to_datetime(text, format=f.fmt or "%H:%M", errors="coerce")
        out = {f.target: value.dt.strftime("%H:%M:%S")}
        if f.minutes_to:
            out[f.minutes_to] = (value.dt.hour * 60 + value.dt.minute).astype("Int64")
        return out, present & value.isna(), f"bukan jam {f.fmt or '%H:%M'}"
    if f.kind == "instant":
        # With an offset the instant is explicit; without one it is the region's local time, as SQL systems keep it.
        zoned = text.str.contains(_OFFSET, regex=True).fillna(False)
        utc = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
        if zoned.any():
            utc[zoned] = pd.to_datetime(text[zoned], format="ISO8601", utc=True, errors="coerce")
        local = present & ~zoned
        if local.any():
            naive = pd.to_datetime(text[local], format="ISO8601", errors="coerce")
            utc[local] = naive.dt.tz_localize(REGION_TZ, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        out = {
            f"{f.target}_utc": utc.dt.tz_localize(None),
            f"{f.target}_tgl": utc.dt.tz_convert(REGION_TZ).dt.strftime("%Y-%m-%d"),
        }
        return out, present & utc.isna(), "bukan waktu ISO 8601"
    if f.kind == "kecamatan":
        value = text.map(normalise_kecamatan, na_action="ignore").astype("string")
        return {f.target: value}, present & value.isna(), "kecamatan tidak dikenal"
    if f.kind == "choice":
        value = text.str.lower()
        return {f.target: value}, present & ~value.isin(f.choices).fillna(False), f"bukan salah satu dari {', '.join(f.choices)}"
    raise ValueError(f"unknown field kind {f.kind}")


def normalise(raw: pd.DataFrame, fields: tuple[Field, ...], checks: tuple[Check, ...], key: tuple[str, ...]) -> Normalised:
    """Parse `raw` (text columns plus an `_origin` column) into canonical rows and rejects.

    Args:
        raw: records as read, one column per source field, `_origin` saying where each came from.
        fields: the mapping to apply.
        checks: rules across parsed fields.
        key: canonical primary-key columns, recorded with each reject.

    Raises:
        SchemaDrift: when a required source column is missing altogether.
    """
    missing = [f.source for f in fields if f.required and f.source not in raw.columns]
    if missing and set(raw.columns) - {"_origin"}:  # an empty read has no columns to check
        raise SchemaDrift(missing)
    out: dict[str, pd.Series] = {}
    reason = pd.Series(pd.NA, index=raw.index, dtype="string")
    bad_field = pd.Series(pd.NA, index=raw.index, dtype="string")

    def flag(mask: pd.Series, field_name: str, text: str | pd.Series) -> None:
        mask = mask.fillna(False) & reason.isna()
        bad_field[mask] = field_name
        reason[mask] = text if isinstance(text, str) else text[mask]

    for f in fields:
        column = raw[f.source] if f.source in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
        parsed, invalid, why = _parse(f, column)
        out.update(parsed)
        shown = column.astype("string").fillna("")
        flag(invalid, f.source, f"{why}: '" + shown + "'")
        if f.required:
            main = next(iter(parsed.values()))
            flag(main.isna() & ~invalid, f.source, "wajib diisi tetapi kosong")
    rows = pd.DataFrame(out, index=raw.index)
    for check in checks:
        flag(check.violated(rows).fillna(False).astype(bool), check.field, check.reason)

    rejected = reason.notna()
    records = raw[rejected].drop(columns=["_origin"], errors="ignore")
    rejects = pd.DataFrame(
        {
            "origin": raw.loc[rejected, "_origin"] if "_origin" in raw.columns else pd.NA,
            "record_key": rows.loc[rejected, list(key)].astype("string").fillna("").agg("|".join, axis=1) if rejected.any() else pd.Series(dtype="string"),
            "field": bad_field[rejected],
            "reason": reason[rejected],
            "raw": [json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in r.items()}, ensure_ascii=False) for r in records.to_dict("records")],
        }
    )
    return Normalised(rows=rows[~rejected].reset_index(drop=True), rejects=rejects.reset_index(drop=True))


class SchemaDrift(Exception):
    """A required column is absent from what the source sent: the load fails and writes nothing."""

    def __init__(self, columns: list[str]) -> None:
        super().__init__(f"kolom wajib tidak ada di data sumber: {', '.join(columns)}")
        self.columns = columns
