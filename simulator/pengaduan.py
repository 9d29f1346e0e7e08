"""Simulated SP4N-LAPOR! complaints (Diskominfo): reports and their verification, disposition, answer and closure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from region.opd import OPDS
from simulator.days import DAY_S, DayTable, day_date, iso_wib, iso_wib_texts, office_moments
from simulator.rest import NEVER, MonthlyRestSystem, View
from simulator.rng import rng_for
from simulator.wilayah import kecamatan_texts, kecamatan_weights, opd_texts

KANAL = ("web", "aplikasi", "sms", "whatsapp", "media_sosial", "langsung")
_KANAL_P = np.array([0.22, 0.18, 0.05, 0.30, 0.15, 0.10])
_LANGSUNG, _WHATSAPP = KANAL.index("langsung"), KANAL.index("whatsapp")
KLASIFIKASI = ("pengaduan", "aspirasi", "permintaan_informasi")
_KLASIFIKASI_P = np.array([0.70, 0.18, 0.12])
STATUS = ("belum_terverifikasi", "terverifikasi", "didisposisi", "ditindaklanjuti", "selesai", "ditolak")


@dataclass(frozen=True)
class Kategori:
    """A complaint category, the OPD it is normally dispositioned to, and how often it comes up."""

    nama: str
    kode_opd: str
    bobot: float


# Illustrative categories: roads and civil registration dominate regency complaint desks; weights are demo values.
KATEGORI: tuple[Kategori, ...] = (
    Kategori("Jalan dan Jembatan", "PUPR", 18),
    Kategori("Drainase dan Irigasi", "PUPR", 6),
    Kategori("Sampah dan Kebersihan", "LHKPP", 9),
    Kategori("Administrasi Kependudukan", "DISDUKCAPIL", 10),
    Kategori("Layanan Puskesmas", "DINKES", 7),
    Kategori("Pelayanan Rumah Sakit", "RSUD", 5),
    Kategori("Perizinan", "DPMPTSP", 4),
    Kategori("Ketertiban Umum", "SATPOLPP_DAMKAR", 6),
    Kategori("Pertanian dan Pupuk", "DISTANKP", 5),
    Kategori("Dana dan Pembangunan Nagari", "DPMD", 5),
    Kategori("Jaringan Internet dan Informasi Publik", "DISKOMINFO", 4),
    Kategori("Pajak dan Retribusi Daerah", "BPKD", 3),
    Kategori("Kepegawaian", "BKPSDM", 3),
    Kategori("Pariwisata dan Olahraga", "DISPARPORA", 2),
    Kategori("Bantuan Sosial", "SETDA", 5),  # the regional secretariat's welfare section takes these
    Kategori("Pengawasan Aparatur", "INSPEKTORAT", 2),
    Kategori("Perencanaan Pembangunan", "BAPPERLITBANGDA", 2),
)
_KATEGORI_P = np.array([k.bobot for k in KATEGORI]) / sum(k.bobot for k in KATEGORI)
_OPD_INDEX = {o.kode: i for i, o in enumerate(OPDS)}
_KATEGORI_OPD = np.array([_OPD_INDEX[k.kode_opd] for k in KATEGORI])

_PER_WORKING_DAY = 20.0  # reports on an ordinary working day; Mondays and the day after a long break get more
_PER_OTHER_DAY = 9.0  # WhatsApp and the app do not close at weekends
_VERIFIED_ON_TIME = 0.91  # the admin desk verifies within 3 working days (SP4N-LAPOR! standard) this often
_REJECTED = 0.04  # spam, duplicates, reports without enough detail: archived at verification
_BAD_KECAMATAN = 0.0015  # a place outside the regency, or empty
_BAD_OPD = 0.0005  # "Lainnya": no OPD an ingester knows
_BAD_ORDER = 0.001  # a first answer stamped before the disposition (a desk PC with a wrong clock)


@cache
def opd_profile(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per OPD (region/opd.py order): mean working days to a first answer, and the share never answered.

    Stable for a seed, so some OPDs are consistently quicker than others and a few carry an old backlog.
    """
    rng = rng_for(seed, "pengaduan", "opd")
    mean_days = rng.uniform(2.0, 10.0, len(OPDS))
    never = rng.uniform(0.01, 0.06, len(OPDS))
    slow = rng.choice(len(OPDS), 2, replace=False)  # two OPDs answer late and leave more open
    mean_days[slow] *= 1.8
    never[slow] += 0.05
    return mean_days, never


class Pengaduan(MonthlyRestSystem):
    """The complaint system's reports as of any moment (REST with a bearer token, next-link paging)."""

    RESOURCE = "laporan"
    PAGING = "next_link"
    AUTH = "bearer"
    SERVER_NAME = "LAPOR-Sim/1.0"
    PREFIX = "LPR"
    AFTER_DAYS = 600  # the longest chain: late verification, a slow OPD, a disputed closure

    def generate_month(self, month: tuple[int, int], table: DayTable) -> dict[str, np.ndarray]:
        """All reports made in a month, a pure function of (seed, month), with the times of what happens next."""
        first, last = month
        rng = rng_for(self.seed, "pengaduan", day_date(first).strftime("%Y-%m"))
        days = np.arange(first, last + 1)
        working = table.is_working(days)
        lam = np.where(table.weekdays(days) == 0, 1.2, 1.0) * np.where(table.is_after_long_break(days), 1.3, 1.0)
        lam = np.where(working, _PER_WORKING_DAY * lam, _PER_OTHER_DAY)
        day = np.repeat(days, rng.poisson(lam))
        n = len(day)
        on_working_day = table.is_working(day)
        codes, kec_p = kecamatan_weights()
        kanal = rng.choice(len(KANAL), n, p=_KANAL_P)
        kanal = np.where((kanal == _LANGSUNG) & ~on_working_day, _WHATSAPP, kanal)  # the walk-in desk is closed
        klasifikasi = rng.choice(len(KLASIFIKASI), n, p=_KLASIFIKASI_P)
        kategori = rng.choice(len(KATEGORI), n, p=_KATEGORI_P)
        kecamatan = rng.choice(len(codes), n, p=kec_p)
        opening, closing = table.opening_s(day), table.closing_s(day)
        # Walk-ins come in office hours; messages come all day, most of them in daytime.
        daytime = rng.random(n) < 0.7
        t = np.where(daytime, rng.uniform(6.5 * 3600, 17 * 3600, n), rng.uniform(17 * 3600, 23.5 * 3600, n))
        t = np.where(kanal == _LANGSUNG, opening + rng.random(n) * (closing - 1800 - opening), t)
        reported = day * DAY_S + np.floor(t).astype("int64")
        order = np.argsort(reported, kind="stable")
        reported, day = reported[order], day[order]
        kanal, klasifikasi, kategori, kecamatan = kanal[order], klasifikasi[order], kategori[order], kecamatan[order]

        # Verification by the Diskominfo admin desk: mostly within 3 working days, slower after a long break.
        on_time = rng.random(n) < _VERIFIED_ON_TIME - np.where(table.is_after_long_break(day), 0.1, 0.0)
        quick = rng.choice(4, n, p=[0.45, 0.30, 0.15, 0.10])
        late = 3 + np.minimum(rng.geometric(0.3, n), 40)  # bounded, so the calendar table always covers it
        verified = office_moments(rng, table, reported, np.where(on_time, quick, late))
        rejected = rng.random(n) < _REJECTED

        # Disposition usually follows verification at once; some wait for the head of section.
        wait = np.where(rng.random(n) < 0.75, 0, rng.integers(1, 3, n))
        disposed = office_moments(rng, table, verified, wait, min_gap_s=300)

        # The OPD's first answer: each OPD has its own pace, and some reports are never answered.
        opd = _KATEGORI_OPD[kategori]
        mean_days, never_p = opd_profile(self.seed)
        answer_wd = np.minimum(rng.geometric(1.0 / (1.0 + mean_days[opd]), n) - 1, 200)
        answered = office_moments(rng, table, disposed, answer_wd, min_gap_s=1800)
        never = rng.random(n) < never_p[opd]

        # Closure: the reporter accepts the answer, or the system closes it after 10 days of silence; a few
        # reporters dispute it and the case runs on for months.
        u = rng.random(n)
        calendar_days = np.where(u < 0.6, rng.integers(0, 6, n), np.where(u < 0.9, 10, rng.integers(15, 150, n)))
        close_wd = np.where(calendar_days == 0, 0, np.ceil(calendar_days * 5 / 7)).astype("int64")
        closed = office_moments(rng, table, answered, close_wd, min_gap_s=600)

        disposed = np.where(rejected, NEVER, disposed)
        answered = np.where(rejected | never, NEVER, answered)
        closed = np.where(rejected, verified, np.where(never, NEVER, closed))
        kec_text = kecamatan_texts(rng, kecamatan, 0.06, _BAD_KECAMATAN)
        opd_text = np.where(rng.random(n) < _BAD_OPD, "Lainnya", opd_texts(rng, opd, 0.10))
        return {
            "at": reported,
            "reported": reported,
            "verified": verified,
            "disposed": disposed,
            "answered": answered,
            "closed": closed,
            "rejected": rejected,
            "kanal": kanal,
            "klasifikasi": klasifikasi,
            "kategori": kategori,
            "kecamatan": kec_text,
            "opd": opd_text,
            "bad_order": rng.random(n) < _BAD_ORDER,
        }

    def prepare(self, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Format every timestamp once: the texts never change, only which of them are visible."""
        for name in ("reported", "verified", "disposed", "answered", "closed"):
            values = columns[name]
            columns[f"{name}_text"] = iso_wib_texts(np.where(values < NEVER, values, 0))
        # The wrong clock shows a first answer a few hours before the disposition.
        shifted = columns["disposed"] - 3 * 3600
        columns["answered_shown"] = iso_wib_texts(np.where(columns["disposed"] < NEVER, shifted, 0))
        return columns

    def view(self, now: dt.datetime) -> View:
        """The reports as of `now` (aware): later events show as null until they happen."""
        now_s, c = self.span(now)
        events = [c[name] for name in ("reported", "verified", "disposed", "answered", "closed")]
        seen = np.stack([np.where(e <= now_s, e, -1) for e in events])
        updated = seen.max(axis=0)

        def render(positions: np.ndarray) -> list[dict]:
            out = []
            for i in positions.tolist():
                r, v, d, a, cl = (int(e[i]) for e in events)
                if c["rejected"][i] and v <= now_s:
                    status = "ditolak"
                else:
                    status = STATUS[int(v <= now_s) + int(d <= now_s) + int(a <= now_s) + int(cl <= now_s)]
                answered = None
                if a <= now_s:
                    answered = str(c["answered_shown"][i] if c["bad_order"][i] else c["answered_text"][i])
                out.append(
                    {
                        "id": str(c["ids"][i]),
                        "kanal": KANAL[c["kanal"][i]],
                        "klasifikasi": KLASIFIKASI[c["klasifikasi"][i]],
                        "kategori": KATEGORI[c["kategori"][i]].nama,
                        "opd_tujuan": str(c["opd"][i]),
                        "kode_kecamatan": str(c["kecamatan"][i]),
                        "dilaporkan_pada": str(c["reported_text"][i]),
                        "diverifikasi_pada": str(c["verified_text"][i]) if v <= now_s else None,
                        "didisposisi_pada": str(c["disposed_text"][i]) if d <= now_s else None,
                        "dijawab_pada": answered,
                        "ditutup_pada": str(c["closed_text"][i]) if cl <= now_s else None,
                        "status": status,
                        "diperbarui_pada": iso_wib(int(updated[i])),
                    }
                )
            return out

        return View(c["ids"], updated, c["reported"] <= now_s, render)
