"""Simulated fire and rescue dispatch (Satpol PP dan Damkar): incidents, when the crew arrived, when it was over.

Posts, volumes and times are illustrative, not the brigade's statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from region.kecamatan import all_kecamatan
from simulator.days import DAY_S, DayTable, day_date, iso_wib, iso_wib_texts
from simulator.geometri import PARIT_MALINTANG, kecamatan_centroids, km_between, points_in_kecamatan
from simulator.rest import MonthlyRestSystem, View
from simulator.rng import rng_for
from simulator.wilayah import kecamatan_texts, kecamatan_weights

JENIS = ("kebakaran_bangunan", "kebakaran_lahan", "penyelamatan", "lainnya")
# Mean incidents a day by type. Land fires follow the dry season (June to September on the west coast of
# Sumatra) and almost stop in the wettest months; rescues (snakes, bees' nests, people trapped) run all year.
_BASE_PER_DAY = np.array([0.55, 0.35, 0.65, 0.2])
_LAHAN_BY_MONTH = np.array([0.6, 0.8, 0.9, 0.7, 0.9, 1.6, 2.4, 2.6, 2.0, 0.9, 0.4, 0.3])
_DURATION_MIN = {  # (median, spread) of minutes on scene by type
    0: (95.0, 0.5),
    1: (150.0, 0.7),
    2: (45.0, 0.5),
    3: (50.0, 0.6),
}
_ROAD_FACTOR = 1.35  # road km per straight-line km in the regency's hills and coast
_MIN_PER_KM = 1.25  # a fire engine on regency roads, about 48 km/h
_DISPATCH_MIN = 2.5  # median minutes from the call to the engine rolling: call taken, crew turned out
_BUSY = 0.08  # the nearest post's engine is out (another call, servicing): the next nearest one goes
_LAHAN_ACCESS_MIN = (1.0, 4.0)  # a land fire is reached on foot or by farm track from the nearest road
_BAD_KECAMATAN = 0.002
_BAD_ORDER = 0.002  # arrival typed before the report (hour and minute swapped on the dispatch form)

# The brigade's posts: the main post in the capital and seven sector posts. The set is illustrative (not the
# regency's actual posts); it leaves four kecamatan (Patamuan, V Koto Timur, IV Koto Aur Malintang, Batang
# Gasan) more than 9 km from any post, as a real regency's coverage often leaves its hill and border areas.
_MAIN_POST = "13.05.17"  # Enam Lingkung, where Parit Malintang lies
_SECTOR_POSTS = ("13.05.01", "13.05.02", "13.05.15", "13.05.05", "13.05.10", "13.05.08", "13.05.07")


@dataclass(frozen=True)
class Pos:
    """A fire post: name, kecamatan (Kemendagri code) and where its engines stand."""

    nama: str
    kode_kecamatan: str
    lat: float
    lon: float


@cache
def posts() -> tuple[Pos, ...]:
    """The posts, the main one first; sector posts stand at their kecamatan's centroid (no addresses at hand)."""
    kec = all_kecamatan()
    codes = [k.kode for k in kec]
    centre = kecamatan_centroids()
    out = [Pos("Pos Induk Damkar Parit Malintang", _MAIN_POST, *PARIT_MALINTANG)]
    for kode in _SECTOR_POSTS:
        i = codes.index(kode)
        out.append(Pos(f"Pos Sektor Damkar {kec[i].nama}", kode, float(centre[i, 0]), float(centre[i, 1])))
    return tuple(out)


def km_to_posts(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Straight-line km from each point to each post, nearest first (shape points x posts)."""
    pos = posts()
    km = km_between(lat[:, None], lon[:, None], np.array([p.lat for p in pos])[None, :], np.array([p.lon for p in pos])[None, :])
    return np.sort(km, axis=1)


class Damkar(MonthlyRestSystem):
    """The dispatch log's incidents as of any moment (REST without authentication, page numbers)."""

    RESOURCE = "kejadian"
    SERVER_NAME = "Damkar-Sim/1.0"
    PREFIX = "DMK"
    ID_DIGITS = 2
    AFTER_DAYS = 5

    def generate_month(self, month: tuple[int, int], table: DayTable) -> dict[str, np.ndarray]:
        """All incidents reported in a month, a pure function of (seed, month)."""
        first, last = month
        rng = rng_for(self.seed, "damkar", day_date(first).strftime("%Y-%m"))
        days = np.arange(first, last + 1)
        per_type = np.tile(_BASE_PER_DAY, (len(days), 1))
        per_type[:, 1] *= _LAHAN_BY_MONTH[day_date(first).month - 1]
        counts = rng.poisson(per_type)  # days x types
        day = np.repeat(np.repeat(days, 4), counts.ravel())
        jenis = np.repeat(np.tile(np.arange(4), len(days)), counts.ravel())
        n = len(day)
        codes, kec_p = kecamatan_weights()
        kecamatan = rng.choice(len(codes), n, p=kec_p)
        # Fires peak in the dry afternoon; rescues spread over the day.
        afternoon = np.clip(rng.normal(14.5, 3.5, n), 0, 23.9)
        t = np.where(jenis <= 1, afternoon, rng.uniform(6, 23.5, n)) * 3600
        reported = day * DAY_S + np.floor(t).astype("int64")
        order = np.argsort(reported, kind="stable")
        reported, jenis, kecamatan = reported[order], jenis[order], kecamatan[order]

        # Response time: dispatch, then the road from the nearest post whose engine is free to a scene
        # anywhere in the kecamatan's real boundary; traffic and weather make each run a little different.
        lat, lon = points_in_kecamatan(rng, kecamatan)
        nearest = km_to_posts(lat, lon)
        km = np.where(rng.random(n) < _BUSY, nearest[:, 1], nearest[:, 0]) * _ROAD_FACTOR
        dispatch = rng.lognormal(np.log(_DISPATCH_MIN), 0.35, n)
        travel = np.maximum(km, 0.3) * _MIN_PER_KM * rng.lognormal(0, 0.2, n)
        access = np.where(jenis == 1, rng.uniform(*_LAHAN_ACCESS_MIN, n), 0.0)
        arrived = reported + np.floor((dispatch + travel + access) * 60).astype("int64")
        median, spread = np.array([_DURATION_MIN[j] for j in range(4)]).T
        on_scene = median[jenis] * rng.lognormal(0, spread[jenis], n)
        finished = arrived + np.floor(np.maximum(on_scene, 10) * 60).astype("int64")
        return {
            "at": reported,
            "reported": reported,
            "arrived": arrived,
            "finished": finished,
            "jenis": jenis,
            "kecamatan": kecamatan_texts(rng, kecamatan, 0.2, _BAD_KECAMATAN),
            "bad_order": rng.random(n) < _BAD_ORDER,
        }

    def prepare(self, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Format every timestamp once."""
        for name in ("reported", "arrived", "finished"):
            columns[f"{name}_text"] = iso_wib_texts(columns[name])
        columns["arrived_shown"] = iso_wib_texts(columns["reported"] - 47 * 60)
        return columns

    def view(self, now: dt.datetime) -> View:
        """The incidents as of `now` (aware): arrival and end show as null until they happen."""
        now_s, c = self.span(now)
        arrived, finished = c["arrived"] <= now_s, c["finished"] <= now_s
        updated = np.where(finished, c["finished"], np.where(arrived, c["arrived"], c["reported"]))

        def render(positions: np.ndarray) -> list[dict]:
            out = []
            for i in positions.tolist():
                shown = c["arrived_shown"][i] if c["bad_order"][i] else c["arrived_text"][i]
                out.append(
                    {
                        "id": str(c["ids"][i]),
                        "jenis": JENIS[c["jenis"][i]],
                        "kode_kecamatan": str(c["kecamatan"][i]),
                        "dilaporkan_pada": str(c["reported_text"][i]),
                        "tiba_pada": str(shown) if arrived[i] else None,
                        "selesai_pada": str(c["finished_text"][i]) if finished[i] else None,
                        "diperbarui_pada": iso_wib(int(updated[i])),
                    }
                )
            return out

        return View(c["ids"], updated, c["reported"] <= now_s, render)
