"""SPBE frameworks as versioned data, and the index they define.

Index = Σ(indicator weight × level) / 100 over all indicators (weights in %, summing to 100); an aspect's or a
domain's index is the same sum over its indicators divided by its weight. Arithmetic is exact (weights such as
1.3 % are read as the decimals they are), so an index of exactly 4.2 is "Memuaskan" and not 4.1999999; figures
are given at full precision and only display rounds (published figures have two decimals).
"""

from __future__ import annotations

import tomllib
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
    """A domain or an aspect."""

    id: str
    name: str
    weight: float
    domain: str | None = None


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


def available() -> list[str]:
    return sorted(p.stem for p in FRAMEWORKS.glob("*.toml"))
