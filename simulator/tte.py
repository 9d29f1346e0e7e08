"""Simulated electronic signature (Diskominfo with BSrE): outgoing documents from the e-office register."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from region.opd import OPDS
from simulator.absensi import OPD_SIZES
from simulator.days import DAY_S, DayTable, day_date, day_number, iso_wib, iso_wib_texts, office_moments
from simulator.rest import MonthlyRestSystem, View
from simulator.rng import rng_for

JENIS_DOKUMEN = (
    "Surat Dinas", "Nota Dinas", "Surat Undangan", "Surat Tugas", "Surat Keterangan", "Surat Keputusan",
    "Surat Edaran", "Laporan",
)
_JENIS_P = np.array([0.34, 0.20, 0.15, 0.12, 0.07, 0.05, 0.03, 0.04])
_SK = JENIS_DOKUMEN.index("Surat Keputusan")
METODE = ("elektronik", "basah")
HASIL = ("berhasil", "gagal", "sertifikat_kedaluwarsa")

_PER_WORKING_DAY = 115.0  # outgoing documents of all OPDs on an ordinary working day
_PER_OTHER_DAY = 1.5  # urgent letters signed electronically at weekends
_FAILED = 0.011  # signing attempts the BSrE service refuses (network, wrong passphrase)
_BAD_ORDER = 0.001  # signed before created: a signing server with a wrong clock
_BAD_OPD = 0.001  # no unit on the document
_DAY_2024 = day_number(dt.date(2024, 1, 1))


@cache
def opd_profile(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per OPD (region/opd.py order): share of documents, electronic share in 2024, expired-certificate rate.

    Larger OPDs write more letters; the secretariat writes most. Adoption differs (stable for a seed), with
    Diskominfo, which runs the service, ahead of everyone.
    """
    rng = rng_for(seed, "tte", "opd")
    size = np.array([OPD_SIZES.get(o.kode, 40) for o in OPDS], dtype=float) ** 0.6
    size[[i for i, o in enumerate(OPDS) if o.kode == "SETDA"]] *= 2.0
    electronic = rng.uniform(0.30, 0.75, len(OPDS))
    electronic[[i for i, o in enumerate(OPDS) if o.kode == "DISKOMINFO"]] = 0.9
    expired = rng.uniform(0.0, 0.008, len(OPDS))
    return size / size.sum(), electronic, expired


class Tte(MonthlyRestSystem):
    """The signature register's documents as of any moment (REST with an API key, page numbers)."""

    RESOURCE = "dokumen"
    AUTH = "api_key"
    SERVER_NAME = "TTE-Sim/1.0"
    PREFIX = "TTE"
    AFTER_DAYS = 60

    def generate_month(self, month: tuple[int, int], table: DayTable) -> dict[str, np.ndarray]:
        """All documents created in a month, a pure function of (seed, month), with their signing."""
        first, last = month
        rng = rng_for(self.seed, "tte", day_date(first).strftime("%Y-%m"))
        days = np.arange(first, last + 1)
        working = table.is_working(days)
        lam = np.where(table.weekdays(days) == 0, 1.1, 1.0) * np.where(table.is_after_long_break(days), 1.2, 1.0)
        lam *= np.where(table.is_ramadan(days), 0.9, 1.0)
        lam = np.where(working, _PER_WORKING_DAY * lam, _PER_OTHER_DAY)
        day = np.repeat(days, rng.poisson(lam))
        n = len(day)
        share, electronic_2024, expired = opd_profile(self.seed)
        opd = rng.choice(len(OPDS), n, p=share)
        jenis = rng.choice(len(JENIS_DOKUMEN), n, p=_JENIS_P)
        opening, closing = table.opening_s(day), table.closing_s(day)
        on_working_day = table.is_working(day)
        t = np.where(on_working_day, opening + rng.beta(1.6, 1.8, n) * (closing - opening), rng.uniform(8, 20, n) * 3600)
        created = day * DAY_S + np.floor(t).astype("int64")
        order = np.argsort(created, kind="stable")
        created, day, opd, jenis = created[order], day[order], opd[order], jenis[order]
        on_working_day = on_working_day[order]

        # Electronic share rises about 10 points a year; decrees are still signed in ink more often.
        years = (day - _DAY_2024) / 365.25
        p_electronic = np.clip(electronic_2024[opd] + 0.10 * years, 0.2, 0.97) * np.where(jenis == _SK, 0.7, 1.0)
        electronic = (rng.random(n) < p_electronic) | ~on_working_day
        # Electronic: usually signed the same day; ink: the paper waits on a desk for a day or two.
        wait_e = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 4, n))
        wait_b = rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1])
        signed = office_moments(rng, table, created, np.where(electronic, wait_e, wait_b), min_gap_s=300)
        # At weekends the signer is on the phone: minutes to a few hours later.
        quick = created + np.floor(rng.lognormal(np.log(1800), 0.8, n)).astype("int64")
        signed = np.where(on_working_day, signed, quick)
        u = rng.random(n)
        hasil = np.where(u < _FAILED, 1, np.where(u < _FAILED + expired[opd], 2, 0))
        hasil = np.where(electronic, hasil, 0)
        return {
            "at": created,
            "created": created,
            "signed": signed,
            "opd": opd,
            "jenis": jenis,
            "electronic": electronic,
            "hasil": hasil,
            "bad_order": rng.random(n) < _BAD_ORDER,
            "bad_opd": rng.random(n) < _BAD_OPD,
        }

    def prepare(self, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Format every timestamp once."""
        columns["created_text"] = iso_wib_texts(columns["created"])
        columns["signed_text"] = iso_wib_texts(columns["signed"])
        # The wrong clock puts the signature an hour or more before the document existed.
        columns["signed_shown"] = iso_wib_texts(columns["created"] - 3600 - columns["created"] % 7200)
        return columns

    def view(self, now: dt.datetime) -> View:
        """The documents as of `now` (aware): unsigned ones show null signature and result."""
        now_s, c = self.span(now)
        signed = c["signed"] <= now_s
        updated = np.where(signed, c["signed"], c["created"])
        codes = [o.kode for o in OPDS]

        def render(positions: np.ndarray) -> list[dict]:
            out = []
            for i in positions.tolist():
                done = bool(signed[i])
                shown = c["signed_shown"][i] if c["bad_order"][i] else c["signed_text"][i]
                out.append(
                    {
                        "id": str(c["ids"][i]),
                        "kode_opd": "" if c["bad_opd"][i] else codes[c["opd"][i]],
                        "jenis_dokumen": JENIS_DOKUMEN[c["jenis"][i]],
                        "dibuat_pada": str(c["created_text"][i]),
                        "metode": METODE[0] if c["electronic"][i] else METODE[1],
                        "ditandatangani_pada": str(shown) if done else None,
                        "hasil": HASIL[c["hasil"][i]] if done else None,
                        "diperbarui_pada": iso_wib(int(updated[i])),
                    }
                )
            return out

        return View(c["ids"], updated, c["created"] <= now_s, render)
