"""SPBE frameworks as versioned data, and the index they define.

Each version also says which evaluation years it is in force for; the predicate bands of a year, and with them the
target and the green and amber bands the index is judged by, are that version's (`in_force`, `Framework.bands`).
They are read from the version's data only, never written again in code.

Index = Σ(indicator weight × level) / 100 over all indicators (weights in %, summing to 100); an aspect's or a
domain's index is the same sum over its indicators divided by its weight. Arithmetic is exact (weights such as
1.3 % are read as the decimals they are), so an index of exactly 4.2 is "Memuaskan" and not 4.1999999; figures
are given at full precision and only display rounds (published figures have two decimals).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

FRAMEWORKS = Path(__file__).parent / "frameworks"
DEFAULT_FRAMEWORK = "permenpanrb-59-2020"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Predicate(_Frozen):
    name: str
    lower: float = Field(alias="from")


class Group(_Frozen):
    """A domain or an aspect; `short` is the name as the wall writes it, where the full name does not fit a chart's label."""

    id: str
    name: str
    weight: float
    domain: str | None = None
    short: str | None = None

    @property
    def short_name(self) -> str:
        return self.short or self.name


class Indicator(_Frozen):
    number: int
    aspect: str
    weight: float
    name: str


class Framework(_Frozen):
    """One version of the SPBE evaluation framework."""

    id: str
    name: str
    verified: bool
    first_year: int
    last_year: int | None = None
    predicates: tuple[Predicate, ...]
    domains: tuple[Group, ...] = ()
    aspects: tuple[Group, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if sum(exact(i.weight) for i in self.indicators) != 100:
            raise ValueError(f"{self.id}: indicator weights sum to {sum(i.weight for i in self.indicators)}, not 100")
        for group in self.aspects:
            total = sum(exact(i.weight) for i in self.indicators if i.aspect == group.id)
            if total != exact(group.weight):
                raise ValueError(f"{self.id}: aspect {group.id} weighs {group.weight} but its indicators {total}")
        numbers = [i.number for i in self.indicators]
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise ValueError(f"{self.id}: indicators must be numbered 1..{len(numbers)} once each")
        return self

    @property
    def file_name(self) -> str:
        """The name as the spbe source's files give it, without the parenthesised remark ("PermenPANRB 59/2020")."""
        return self.name.split(" (")[0]

    def predicate(self, index: float | Fraction) -> str:
        """The predicate of an index (a boundary belongs to the higher predicate: exactly 4.2 is Memuaskan)."""
        value = exact(index)
        return next(p.name for p in sorted(self.predicates, key=lambda p: -p.lower) if value >= exact(p.lower))

    @property
    def bands(self) -> Bands:
        """What the index is judged by: the top predicate's lower bound is the target and green, the next one amber."""
        top, second = sorted(self.predicates, key=lambda p: -p.lower)[:2]
        return Bands(target=top.lower, green=top.lower, amber=second.lower, top=top.name, second=second.name, framework=self.name)

    def in_force_for(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def aspect_domain(self, aspect: str) -> str | None:
        return next(a.domain for a in self.aspects if a.id == aspect)

    def _index(self, levels: dict[int, int], members: list[Indicator], weight: float) -> Fraction:
        return sum((exact(i.weight) * levels[i.number] for i in members), Fraction(0)) / exact(weight)

    def score(self, levels: dict[int, int]) -> dict:
        """Index, predicate, domain and aspect indices for one level (1-5) per indicator number."""
        index = self._index(levels, list(self.indicators), 100)
        aspects = {a.id: float(self._index(levels, [i for i in self.indicators if i.aspect == a.id], a.weight)) for a in self.aspects}
        domains = {
            d.id: float(self._index(levels, [i for i in self.indicators if self.aspect_domain(i.aspect) == d.id], d.weight)) for d in self.domains
        }
        return {
            "framework": self.id, "verified": self.verified, "index": float(index), "predicate": self.predicate(index),
            "domains": domains, "aspects": aspects,
        }

    def index_from_aspects(self, aspect_indices: dict[str, float]) -> float:
        """The index from published aspect indices (when indicator levels are not public)."""
        return float(sum((exact(a.weight) * exact(aspect_indices[a.id]) for a in self.aspects), Fraction(0)) / 100)


@dataclass(frozen=True)
class Bands:
    """A framework's target and status bands for the index, with the predicates and the framework they come from."""

    target: float
    green: float
    amber: float
    top: str
    second: str
    framework: str

    def basis(self) -> str:
        """The target's basis as an indicator cites it: "Predikat Memuaskan mulai 4,2 menurut PermenPANRB 59/2020"."""
        number = f"{self.target:.1f}".replace(".", ",")
        return f"Predikat {self.top} mulai {number} menurut {self.framework}"


def exact(value: float | Fraction) -> Fraction:
    """A decimal as written (1.3 is 13/10, not the nearest binary float)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


@cache
def framework(framework_id: str = DEFAULT_FRAMEWORK) -> Framework:
    """A framework version by id.

    Raises:
        KeyError: naming the versions there are.
    """
    path = FRAMEWORKS / f"{framework_id}.toml"
    if not path.exists():
        raise KeyError(f"kerangka SPBE '{framework_id}' tidak dikenal; yang ada: {', '.join(available())}")
    return Framework.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


@cache
def available() -> tuple[str, ...]:
    """The versions shipped with the product, listed once: every SPBE reading asks, and a folder scan per request
    was nearly half of an /api/v1/indicators answer."""
    return tuple(sorted(p.stem for p in FRAMEWORKS.glob("*.toml")))


def in_force(year: int) -> Framework:
    """The framework version in force for an evaluation year (the earliest shipped one for years before any).

    Raises:
        ValueError: two versions claim the year (their year ranges overlap).
    """
    versions = [framework(f) for f in available()]
    claiming = [v for v in versions if v.in_force_for(year)]
    if len(claiming) > 1:
        raise ValueError(f"tahun evaluasi SPBE {year} diklaim lebih dari satu kerangka: {', '.join(v.id for v in claiming)}")
    if claiming:
        return claiming[0]
    earlier = [v for v in versions if v.first_year <= year]
    return max(earlier, key=lambda v: v.first_year) if earlier else min(versions, key=lambda v: v.first_year)
