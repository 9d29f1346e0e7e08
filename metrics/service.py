"""The metrics layer's face: recompute after loads into indicator_values, and read values with freshness attached."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from config.sources import SourceConfig, personal_name
from metrics.catalogue import INDICATORS, Indicator, depending_on
from metrics.compute import Computed, Grain, buckets, compute, provisional, today_wib
from metrics.freshness import Freshness, Policy, source_freshness, worst
from metrics.indicators.spbe import SPBE_INDEKS, judged_for_year
from metrics.reading import BreakdownRow, DaySpan, PeriodSpan, Point, Reading
from metrics.recompute import DEFAULT_PERIOD, Recomputer, RecomputeState, RecomputeTimes, revision_window, utcnow
from metrics.smartcity.overview import METHOD, dimension_scores, masterplan_progress, programmes
from metrics.spbe.framework import framework, in_force
from metrics.spbe.history import evidence, spbe_history
from metrics.spbe.plan import plan
from metrics.status import status_of
from warehouse import Warehouse
from warehouse.operations import run_facts
from warehouse.watch import WarehouseFault

if TYPE_CHECKING:
    from metrics.explore import Explorer


class MetricsService:
    """Indicator values for screens and the API.

    Args:
        warehouse: the process's warehouse.
        policies: each source's freshness policy.
        catalogue: the indicators to serve.
        clock: the current UTC instant (naive); tests set it.
        sources: the configured sources, whose contracts say which columns identify a person and which table each
            writes (without them a column is personal by its name alone).
    """

    def __init__(
        self,
        warehouse: Warehouse,
        policies: dict[str, Policy],
        catalogue: tuple[Indicator, ...] = INDICATORS,
        clock: Callable[[], dt.datetime] = utcnow,
        sources: Mapping[str, SourceConfig] | None = None,
    ) -> None:
        self._warehouse = warehouse
        self._sources = dict(sources or {})
        self._policies = policies
        self._catalogue = tuple(i for i in catalogue if set(i.sources) <= set(policies))
        self._by_id = {i.id: i for i in self._catalogue}
        self._clock = clock
        self._local = threading.local()
        self._memo: tuple[int, dict] = (-1, {})
        self._revision_windows = {name: p.revision_window for name, p in policies.items()}
        self._recompute = Recomputer(warehouse, self._ibis, clock, self._revision_windows)
        self._explorer: Explorer | None = None
        self._explorer_lock = threading.Lock()

    def data_version(self) -> int:
        """A number that changes whenever the warehouse commits a write: what was read before may have changed."""
        return self._warehouse.generation

    def remembered(self, key: object, read: Callable[[], object]):
        """What `read` returns, read again only after the warehouse has committed a write (a load, a recompute).

        Screens ask for the same stored values many times a second; they change only when something is written.
        """
        generation = self._warehouse.generation
        memo_generation, memo = self._memo
        if memo_generation != generation:
            memo = {}
            self._memo = (generation, memo)
        if key not in memo:
            memo[key] = read()
        return memo[key]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self._catalogue

    def indicator(self, indicator_id: str) -> Indicator:
        """The served indicator with this id.

        Raises:
            UnknownIndicator: the id is not in the catalogue.
        """
        return self._lookup(indicator_id)

    def _lookup(self, indicator_id: str) -> Indicator:
        found = self._by_id.get(indicator_id)
        if found is None:
            raise UnknownIndicator(f"indikator '{indicator_id}' tidak ada")
        return found

    def now(self) -> dt.datetime:
        """The current UTC instant (naive), by the service's clock."""
        return self._clock()

    def backend(self) -> ibis.BaseBackend:
        """This thread's Ibis backend over the warehouse, for queries made on request (see metrics.explore)."""
        return self._ibis()

    def judged(self, indicator_id: str) -> Indicator:
        """The served indicator as it is judged now: operator overrides applied, the SPBE index by its framework.

        Raises:
            UnknownIndicator: the id is not in the catalogue.
        """
        return self._judged(self._lookup(indicator_id))

    def revision_window(self, indicator: Indicator) -> dt.timedelta | None:
        """How long after a bucket ends the indicator's sources may still revise it (None: never)."""
        return revision_window(indicator, self._revision_windows)

    def explorer(self) -> Explorer:
        """The analysts' explorer over this service's indicators (one per service, made on first use)."""
        with self._explorer_lock:
            if self._explorer is None:
                from metrics.explore import Explorer

                self._explorer = Explorer(self)
            return self._explorer

    def separate_backend(self) -> tuple[ibis.BaseBackend, Callable[[], None]]:
        """An Ibis backend over a cursor of its own, for a result streamed while other queries run, and what closes it."""
        cur = self._warehouse.separate_cursor()
        return ibis.duckdb.from_connection(cur), lambda: self._warehouse.release(cur)

    def personal_columns(self, table: str, columns: Iterable[str]) -> frozenset[str]:
        """Which of `table`'s `columns` identify a person: as its source's contract declares them, and by name for a
        column no contract declares (or every column, without configured sources)."""
        declared: set[str] = set()
        personal: set[str] = set()
        for source in self._sources.values():
            for stream in [*source.streams.values(), *source.derive.values()]:
                if stream.table == table:
                    declared |= set(stream.columns())
                    personal |= stream.personal_columns()
        return frozenset(personal | {c for c in columns if c not in declared and personal_name(c)})

    def source_config(self, name: str) -> SourceConfig | None:
        """The configured source `name` (None: not configured)."""
        return self._sources.get(name)

    def cursor(self):
        """A cursor of this thread over the warehouse, for a plain query made on request (a page of rejects)."""
        return self._warehouse.cursor()

    def source_of(self, table: str, indicator: Indicator) -> str:
        """The source that writes `table` (the indicator's first source when no configured source says)."""
        return next((name for name, s in self._sources.items() if s.table_key(table) is not None), indicator.sources[0])

    def _ibis(self) -> ibis.BaseBackend:
        # One Ibis backend per thread, over that thread's DuckDB cursor.
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = ibis.duckdb.from_connection(self._warehouse.cursor())
            self._local.backend = backend
        return backend

    def refresh(self, source: str | None = None, load_id: str | None = None) -> list[str]:
        """Recompute the indicators that read `source` (all when None), and any whose last recompute failed, and
        store them; returns their ids. One recompute runs at a time (see metrics.recompute).

        Args:
            load_id: the load this recompute follows, named in the log and the state when it fails.

        Raises:
            RecomputeFailed: naming the indicators not stored (already logged); the others are stored.
        """
        return self._recompute.run(depending_on(source, self._catalogue) if source else self._catalogue, load_id)

    def catch_up(self) -> list[str]:
        """Recompute the indicators stored before their sources' last committed load (a stop between the two)."""
        last = {name: f.last_success_at for name, f in self.freshness().items()}
        late = self._recompute.behind(self._catalogue, last)
        return self._recompute.run(late) if late else []

    def recompute_states(self) -> dict[str, RecomputeState]:
        """Each indicator's latest recompute in this process, and its latest failure since."""
        return self._recompute.states()

    def recompute_times(self) -> RecomputeTimes:
        """How long this process's recomputes took."""
        return self._recompute.times

    def not_recomputed(self) -> list[str]:
        """Indicators whose latest recompute failed, so their values are older than their data."""
        return self._recompute.failing()

    def warehouse_fault(self) -> WarehouseFault | None:
        """What is wrong with the warehouse file, its folder or its disk, as its watch found last (None: nothing)."""
        return self._warehouse.fault

    def breakdown(self, indicator_id: str, by: str) -> list[BreakdownRow]:
        """The stored value per member of a breakdown (per OPD, per kecamatan, ...), with its status; no query runs.

        Raises:
            UnknownIndicator: the id is not in the catalogue.
            ValueError: the indicator has no such breakdown.
        """
        indicator = self._lookup(indicator_id)
        if by not in indicator.breakdowns:
            raise ValueError(f"indikator {indicator.id} tidak dapat dirinci menurut '{by}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")
        rows = self.remembered(("breakdown", indicator_id, by), lambda: self._warehouse.cursor().execute(
            "SELECT member, value, numerator, denominator FROM indicator_breakdowns WHERE indicator_id = ? AND period = ? AND dimension = ? ORDER BY member",
            [indicator_id, DEFAULT_PERIOD, by],
        ).fetchall())
        direction = "higher" if indicator.judged_on == "year_change" else indicator.direction
        return [
            BreakdownRow(m, v, n, d, status_of(v, indicator.thresholds.green, indicator.thresholds.amber, direction) if indicator.judged_on == "value" else "no_data")
            for m, v, n, d in rows
        ]

    def freshness(self) -> dict[str, Freshness]:
        """Every configured source's freshness now."""
        cur = self._warehouse.cursor()
        return source_freshness(cur, self._policies, self._clock(), self.remembered("run_facts", lambda: run_facts(cur)))

    def _stored(self, indicator_id: str | None = None) -> dict[str, Computed]:
        """The stored values of the default period, of every indicator or of one."""
        every = self.remembered("stored", self._read_stored)
        return every if indicator_id is None else {k: v for k, v in every.items() if k == indicator_id}

    def _read_stored(self) -> dict[str, Computed]:
        rows = self._warehouse.cursor().execute(
            "SELECT indicator_id, as_of, period_start, period_end, value, numerator, denominator, previous_value, series, year_before_value, "
            "covered_start, covered_end, provisional_from, previous_start, previous_end, year_before_start, year_before_end "
            "FROM indicator_values WHERE period = ?",
            [DEFAULT_PERIOD],
        ).fetchall()
        return {r[0]: Computed(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], [_stored_point(p) for p in json.loads(r[8])], r[9],
                               covered=_span(r[10], r[11]), provisional_from=r[12], previous_span=_span(r[13], r[14]),
                               year_before_span=_span(r[15], r[16]))
                for r in rows}

    def series(self, indicator_id: str, start: dt.date, end: dt.date, grain: Grain = "day", by: str | None = None) -> list[dict]:
        """The indicator per day, week or month between two WIB dates, optionally per OPD or kecamatan.

        Computed on request from one indicator's records: for analysis, not for the wall's refresh. Each row says
        whether the bucket has records of its own (`delivered`) and whether its source may still revise it
        (`provisional`); a bucket after the last delivered one has no row.

        Raises:
            UnknownIndicator: the id is not in the catalogue.
            ValueError: the breakdown is not one the indicator supports, or the dates are reversed.
        """
        indicator = self._lookup(indicator_id)
        if start > end:
            raise ValueError("tanggal awal sesudah tanggal akhir")
        rolled = buckets(indicator, self._ibis(), start, end, grain, by)
        today, window = today_wib(self._clock()), revision_window(indicator, self._revision_windows)
        rows = []
        for row in rolled.to_dict("records"):
            value = row["value"]
            out = {"periode": row["periode"].isoformat(), "value": None if value is None or pd.isna(value) else round(float(value), 2),
                   "numerator": round(float(row["numerator"]), 4), "denominator": round(float(row["denominator"]), 4),
                   "delivered": bool(row["delivered"]), "provisional": bool(row["delivered"]) and provisional(row["periode"], grain, today, window)}
            if by:
                out[by] = row[by]
            rows.append(out)
        return rows

    def lineage(self, indicator_id: str, start: dt.date, end: dt.date, limit: int = 100) -> dict:
        """What a value rests on: the indicator's sources, its query as SQL, and the records it counted."""
        indicator = self._lookup(indicator_id)
        facts = indicator.query(self._ibis(), start, end, **indicator.params)
        # The records' identity (keys may be a person's NIP) is for the drill-down, which masks it (metrics.records).
        facts = facts.select(*(c for c in facts.columns if not c.startswith("_")))
        records = self._ibis().to_pyarrow(facts.order_by("tanggal").limit(limit)).to_pylist()
        return {
            "id": indicator.id,
            "sources": list(indicator.sources),
            "definition": indicator.description,
            "assumptions": indicator.stated_assumptions(),
            "sql": ibis.to_sql(facts),
            "records": [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()} for r in records],
            "limit": limit,
        }

    def frozen(self, as_of: dt.datetime, past: bool = False) -> Frozen:
        """Every indicator as it stands at `as_of` (UTC, naive), its breakdowns, and each source's freshness then.

        A stored value serves when it was computed for the same WIB day and after every load of its sources (it is
        then what computing it again would give); any other is computed for `as_of` from the data loaded now. For a
        `past` moment the freshness counts only the runs that had finished by then.
        """
        facts = run_facts(self._warehouse.cursor(), until=as_of if past else None)
        freshness = source_freshness(self._warehouse.cursor(), self._policies, as_of, facts)
        stored = self._stored()
        late = {i.id for i in self._recompute.behind(self._catalogue, {n: f.last_success_at for n, f in self.freshness().items()})}
        late |= set(self.not_recomputed())
        readings, breakdowns, computed_now = [], {}, []
        for indicator in self._catalogue:
            judged = self._judged(indicator, today_wib(as_of).year)
            value = stored.get(indicator.id)
            sources = tuple(freshness[s] for s in indicator.sources)
            if value is not None and indicator.id not in late and today_wib(value.as_of) == today_wib(as_of):
                readings.append(_reading(judged, value, sources))
                breakdowns[indicator.id] = {by: self.breakdown(indicator.id, by) for by in indicator.breakdowns}
                continue
            value = compute(indicator, self._ibis(), as_of, revision_window(indicator, self._revision_windows))
            computed_now.append(indicator.id)
            reading = _reading(judged, _without_breakdowns(value), sources)
            readings.append(reading)
            direction = "higher" if indicator.judged_on == "year_change" else indicator.direction
            breakdowns[indicator.id] = {
                by: [BreakdownRow(m, v, n, d, status_of(v, judged.thresholds.green, judged.thresholds.amber, direction) if indicator.judged_on == "value" else "no_data")
                     for m, v, n, d in sorted(rows, key=lambda r: r[0])]
                for by, rows in value.breakdowns.items()
            }
        return Frozen(readings, breakdowns, freshness, tuple(computed_now))

    def masterplan_programmes(self) -> list[dict]:
        """The masterplan sheet's programmes as last loaded (the sheet keeps no history of its own)."""
        return self.remembered("programmes", lambda: programmes(self._warehouse.cursor())) if "masterplan" in self._policies else []

    def spbe(self, readings: list[Reading] | None = None, freshness: dict[str, Freshness] | None = None, until_year: int | None = None) -> dict:
        """SPBE index by year from the loaded self-assessments, the latest, and Pantau's evidence per indicator.

        `readings` and `freshness`, when given, are the caller's of this moment, so they are not read again.
        `until_year`: only the assessments of this year and before (an assessment stands for its year from 1 January).
        """
        history = [h for h in self._spbe_history() if until_year is None or h["year"] <= until_year]
        scored = [h for h in history if h.get("index") is not None]
        source = (freshness or self.freshness()).get("spbe")
        latest = scored[-1] if scored else None
        version = framework(latest["framework"]) if latest else None
        judged = self._spbe_thresholds(latest["year"]) if latest else None
        return {
            "latest": {k: v for k, v in latest.items() if k != "levels"} if latest else None,
            "plan": self.remembered(("spbe_plan", latest["year"]), lambda: plan(version, latest["levels"], judged["target"])) if version else None,
            "next_predicate": self.remembered(("spbe_next", latest["year"]), lambda: _next_predicate_plan(version, latest)) if version else None,
            "thresholds": judged,
            "history": [{k: v for k, v in h.items() if k != "levels"} for h in history],
            "evidence": evidence(self.readings() if readings is None else readings),
            "simulated": bool(source and source.simulated),
        }

    def _spbe_history(self) -> list[dict]:
        return self.remembered("spbe_history", lambda: spbe_history(self._warehouse.cursor())) if "spbe" in self._policies else []

    def _spbe_thresholds(self, year: int) -> dict[str, float]:
        """Target, green and amber for the index and its domains and aspects: the SPBE indicator's as it is judged
        for the assessment year (an operator's configuration, or the framework in force then)."""
        declared = self._by_id.get(SPBE_INDEKS.id)
        if declared is not None:
            judged = judged_for_year(declared, year)
            return {"target": judged.target.value, "green": judged.thresholds.green, "amber": judged.thresholds.amber}
        bands = in_force(year).bands
        return {"target": bands.target, "green": bands.green, "amber": bands.amber}

    def _judged(self, indicator: Indicator, until_year: int | None = None) -> Indicator:
        """The indicator as it is judged now (or in `until_year`): the SPBE index by the framework in force for its
        latest assessment's year."""
        if indicator.id != SPBE_INDEKS.id:
            return indicator
        scored = [h for h in self._spbe_history() if h.get("index") is not None and (until_year is None or h["year"] <= until_year)]
        return judged_for_year(indicator, scored[-1]["year"] if scored else None)

    def smartcity(self, readings: list[Reading] | None = None, freshness: dict[str, Freshness] | None = None) -> dict:
        """Masterplan progress by dimension and dimension scores from the indicators, with the method stated.

        `readings` and `freshness`, when given, are the caller's of this moment, so they are not read again.
        """
        source = (freshness or self.freshness()).get("masterplan")
        return {
            "masterplan": self.remembered("masterplan", lambda: masterplan_progress(self._warehouse.cursor())) if "masterplan" in self._policies else None,
            "dimensions": dimension_scores(self.readings() if readings is None else readings),
            "method": METHOD,
            "simulated": bool(source and source.simulated),
        }

    def readings(self, freshness: dict[str, Freshness] | None = None) -> list[Reading]:
        """Each indicator as screens and the API show it: value, status, comparisons, series and source freshness.

        Args:
            freshness: the sources' freshness when the caller has it already (a screen reads it once per refresh).
        """
        stored = self._stored()
        freshness = freshness or self.freshness()
        return [_reading(self._judged(ind), stored.get(ind.id), tuple(freshness[s] for s in ind.sources)) for ind in self._catalogue]

    def reading(self, indicator_id: str, freshness: dict[str, Freshness] | None = None) -> Reading:
        """One indicator's reading.

        Raises:
            UnknownIndicator: the id is not in the catalogue.
        """
        indicator = self._judged(self._lookup(indicator_id))
        freshness = freshness or self.freshness()
        return _reading(indicator, self._stored(indicator_id).get(indicator_id), tuple(freshness[s] for s in indicator.sources))


def _reading(ind: Indicator, value: Computed | None, sources: tuple[Freshness, ...]) -> Reading:
    change = year_change(value)
    judged = change if ind.judged_on == "year_change" else (value.value if value else None)
    direction = "higher" if ind.judged_on == "year_change" else ind.direction
    previous = value.previous_value if value else None
    return Reading(
        indicator=ind,
        value=value.value if value else None,
        numerator=value.numerator if value else None,
        denominator=value.denominator if value else None,
        status=status_of(judged, ind.thresholds.green, ind.thresholds.amber, direction),
        previous_value=previous,
        # The previous period's status, so screens can tell an indicator that just turned red.
        previous_status=status_of(previous, ind.thresholds.green, ind.thresholds.amber, ind.direction)
        if previous is not None and ind.judged_on == "value" else None,
        year_before_value=value.year_before_value if value else None,
        year_change=change,
        period=PeriodSpan(value.period_start, value.period_end, ind.period.kind) if value else None,
        covered=DaySpan(*value.covered) if value and value.covered else None,
        provisional_from=value.provisional_from if value else None,
        previous_span=DaySpan(*value.previous_span) if value and value.previous_span else None,
        year_before_span=DaySpan(*value.year_before_span) if value and value.year_before_span else None,
        series=tuple(Point(dt.date.fromisoformat(day), float(v), provisional) for day, v, provisional in value.series) if value else (),
        sources=sources,
        freshness=worst([s.state for s in sources]),
        as_of=value.as_of.replace(tzinfo=dt.UTC) if value else None,
    )


def _next_predicate_plan(version, latest: dict) -> dict | None:
    """The fewest raises from the latest assessment to the next predicate of the framework in force for its year
    (None at the top predicate): {"predicate", "lower", **plan}."""
    judged_by = in_force(latest["year"])
    above = sorted((p for p in judged_by.predicates if p.lower > latest["index"]), key=lambda p: p.lower)
    if not above:
        return None
    return {"predicate": above[0].name, "lower": above[0].lower, **plan(version, latest["levels"], above[0].lower)}


@dataclass(frozen=True)
class Frozen:
    """Every indicator at one as-of moment: readings, breakdowns per indicator and dimension, sources' freshness, and
    which indicators were computed for it (the others were stored for the same day after their last load)."""

    readings: list[Reading]
    breakdowns: dict[str, dict[str, list[BreakdownRow]]]
    freshness: dict[str, Freshness]
    computed: tuple[str, ...]


def _without_breakdowns(value: Computed) -> Computed:
    """A computed value without its breakdowns, which a frozen reading carries apart (as stored values do)."""
    return dataclasses.replace(value, breakdowns={})


def _stored_point(point: list) -> tuple[str, float, bool]:
    """A stored series point; values stored before points carried their provisional flag are final."""
    return (point[0], point[1], bool(point[2]) if len(point) > 2 else False)


def _span(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    return (start, end) if start and end else None


def year_change(value: Computed | None) -> float | None:
    """The change (%) on the same period a year before; None without both values or from a zero."""
    if value is None or value.value is None or not value.year_before_value:
        return None
    return 100.0 * (value.value - value.year_before_value) / value.year_before_value


class UnknownIndicator(KeyError):
    """An indicator id that is not in the catalogue."""

