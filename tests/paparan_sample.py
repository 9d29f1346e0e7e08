"""A small deck with every kind of block, for renderer tests that need no warehouse (real decks: tests/integration)."""

from __future__ import annotations

import datetime as dt

from dashboard.paparan.model import Chart, Column, Deck, Figure, Series, Slide, Stats, Table, Text, figure_text
from region.timezone import WIB


def sample_deck(lang: str = "id") -> Deck:
    izin = Figure("Izin diputus tepat waktu", 92.94117647, figure_text(92.94117647, 1, "%", lang), "%", "amber",
                  "632 dari 680 permohonan · target 95 % (PP 28/2025)", "izin_tepat_waktu")
    median = Figure("Median hari kerja sampai keputusan", 4.0, figure_text(4.0, 1, "hari kerja", lang), "hari kerja", "green", "", "izin_median_hari")
    slides = (
        Slide("judul", "Kemajuan Masterplan Smart City Kabupaten Padang Pariaman",
              (Text(("Evaluasi Gerakan Menuju Smart City 2026", "Sekretaris Daerah")),), subtitle="Per 30 Nov 2026 23:59 WIB",
              notes=("Paparan ini memakai angka per 30 Nov 2026 23:59 WIB.",)),
        Slide("agenda", "Agenda", (Text(("Baseline", "Output", "Outcome", "Dampak", "Quick win", "Indeks SPBE"), bullets=True),)),
        Slide("dampak-izin", "Perizinan daring", (Stats((izin, median)),
              Chart("line", "Izin diputus tepat waktu per bulan", "%", ("Des 2025", "Jan 2026", "Feb 2026", "Mar 2026"),
                    (Series("Izin diputus tepat waktu", (90.1, 91.7, None, 92.94117647)),), keys=("2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01"),
                    target=95.0)),
              component="impact", simulated=True, sources=("perizinan",),
              notes=("Izin diputus tepat waktu 92,9 % (632 dari 680 permohonan); target 95 % (PP 28/2025).",)),
        Slide("outcome-dimensi", "Program masterplan per dimensi",
              (Chart("stacked", "Program per dimensi", "program", ("Smart Governance", "Smart Branding", "Smart Economy"),
                     (Series("Selesai", (17.0, 3.0, 6.0)), Series("Berjalan", (4.0, 2.0, 1.0)), Series("Belum mulai", (1.0, 0.0, 2.0))),
                     keys=("governance", "branding", "economy"), decimals=0),
               Chart("bar", "Skor dimensi (0–5)", "skor", ("Smart Governance", "Smart Branding", "Smart Economy"),
                     (Series("Skor", (3.94, 5.0, 4.38)),), keys=("governance", "branding", "economy"), statuses=("amber", "green", "green"),
                     decimals=2, maximum=5.0)),
              component="outcome", simulated=True, sources=("masterplan",), notes=("17 program Smart Governance selesai.",)),
        Slide("sumber", "Kesegaran data dan sumber",
              (Table("Sumber", (Column("Sumber"), Column("OPD"), Column("Status"), Column("Baris dibaca", 0)),
                     (("perizinan", "DPMPTSP", "terkini", 1234), ("dukcapil", "DISDUKCAPIL", "terlambat", None))),),
              simulated=True, sources=("perizinan", "dukcapil")),
        Slide("penutup", "Terima kasih", (Text(("Pantau · command center Kabupaten Padang Pariaman",)),)),
    )
    return Deck("20261130-2359-3fa9c2", "3fa9c2" + "0" * 58, lang, "Kemajuan Masterplan Smart City", "Evaluasi Smart City 2026",
                "Sekretaris Daerah", "Kabupaten Padang Pariaman", dt.datetime(2026, 11, 30, 23, 59, tzinfo=WIB), "30 Nov 2026 23:59 WIB",
                slides, labels={"as_of": "Per" if lang == "id" else "As of", "simulated": "DATA SIMULASI" if lang == "id" else "SIMULATED DATA"})


def _indicator(ind_id: str, name: str, name_en: str, value: float, numerator: float, denominator: float, target: float, basis: str) -> dict:
    return {
        "id": ind_id, "name": name, "name_en": name_en, "description": f"{name}: bagian permohonan yang diputus dalam SLA.",
        "description_en": f"{name_en}: share of applications decided within the SLA.", "unit": "%", "unit_en": "%", "measure": "share",
        "direction": "higher", "judged_on": "value", "period_label": {"id": "30 hari terakhir", "en": "last 30 days"}, "target": target,
        "target_basis": basis, "thresholds": {"green": target, "amber": target - 10}, "dimension": "Smart Governance", "element": "pelayanan publik",
        "spbe": [], "wall": True, "value": round(value, 2), "previous_value": 91.7, "year_before_value": 88.0, "year_change": 5.6,
        "year_difference": 4.94, "breakdowns": {"kode_opd": [{"member": "DPMPTSP", "value": value, "numerator": numerator, "denominator": denominator, "status": "amber"}]},
        "numerator": numerator, "denominator": denominator, "status": "amber", "previous_status": "amber", "as_of": "2026-11-30T16:59:00+00:00",
        "period": {"start": "2026-11-01", "end": "2026-11-30", "kind": "days"}, "covered": {"start": "2026-11-01", "end": "2026-11-30"},
        "provisional": False, "provisional_from": None, "previous_span": {"start": "2026-10-02", "end": "2026-10-31"},
        "year_before_span": {"start": "2025-11-01", "end": "2025-11-30"}, "series": [["2026-11-01", 90.0, False], ["2026-11-02", 95.5, False]],
        "freshness": "fresh", "simulated": True, "sources": [], "assumptions": [], "formula": {"id": "100 × catatan yang memenuhi syarat ÷ semua catatan", "en": "100 × records that qualify ÷ all records"},
        "compared": {"previous": {"id": "2–31 Okt 2026", "en": "2–31 Oct 2026"}, "year_before": None},
    }


def sample_snapshot():
    """A snapshot body of the shape metrics.snapshot describes, with two indicators and two sources."""
    from metrics.snapshot import Snapshot, checksum

    body = {
        "format": 1, "title": "Kemajuan Masterplan Smart City", "as_of": "2026-11-30T16:59:00+00:00", "created_at": "2026-12-01T02:00:00+00:00",
        "created_by": "cli:sekda", "past_as_of": True, "data_loaded_at": "2026-12-01T01:58:00+00:00",
        "region": {"name": "Kabupaten Padang Pariaman", "code": "13.05"},
        "indicators": [
            _indicator("izin_tepat_waktu", "Izin diputus tepat waktu", "Licences decided on time", 92.94117647058823, 632, 680, 95.0, "PP 28/2025"),
            _indicator("aduan_selesai_60h", "Aduan selesai ≤60 hari", "Complaints closed within 60 days", 87.23, 451, 517, 90.0, "Perpres 76/2013"),
        ],
        "spbe": {"latest": None, "plan": None, "thresholds": None, "history": [], "evidence": {}, "simulated": True},
        "smartcity": {"masterplan": None, "dimensions": [], "method": "", "simulated": True, "programmes": []},
        "sources": {
            "perizinan": {"source": "perizinan", "state": "fresh", "simulated": True, "last_success_at": "2026-11-30T16:50:00+00:00",
                          "last_load_id": "L1", "last_run_at": "2026-11-30T16:50:00+00:00", "last_status": "ok", "last_error": None,
                          "last_rows_read": 1234, "last_rejected": 2, "opd": "DPMPTSP", "system": "SiCantik (REST)", "kind": "rest"},
            "aduan": {"source": "aduan", "state": "late", "simulated": True, "last_success_at": "2026-11-30T10:00:00+00:00",
                      "last_load_id": "L2", "last_run_at": "2026-11-30T10:00:00+00:00", "last_status": "ok", "last_error": None,
                      "last_rows_read": 55, "last_rejected": 0, "opd": "DISKOMINFO", "system": "SP4N-LAPOR! (REST)", "kind": "rest"},
        },
        "evaluation": {"version": "2024", "weights": {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}},
    }
    return Snapshot("20261130-2359-3fa9c2", checksum(body), body)
