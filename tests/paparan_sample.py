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
