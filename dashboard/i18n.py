"""Interface text, Bahasa Indonesia first, English available; look-ups by key."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"id": "Pantau · Command Center", "en": "Pantau · Command Center"},
    "simulated": {"id": "DATA SIMULASI", "en": "SIMULATED DATA"},
    "target": {"id": "Target", "en": "Target"},
    "no_data": {"id": "Belum ada data", "en": "No data yet"},
    "status_green": {"id": "Tercapai", "en": "On target"},
    "status_amber": {"id": "Perlu perhatian", "en": "Needs attention"},
    "status_red": {"id": "Di bawah target", "en": "Below target"},
    "status_no_data": {"id": "Tanpa data", "en": "No data"},
    "fresh_fresh": {"id": "Sumber terkini", "en": "Source current"},
    "fresh_late": {"id": "Sumber terlambat", "en": "Source late"},
    "fresh_stale": {"id": "Sumber basi", "en": "Source stale"},
    "fresh_failing": {"id": "Sumber gagal", "en": "Source failing"},
    "fresh_never": {"id": "Sumber belum termuat", "en": "Source not loaded yet"},
    "vs_previous": {"id": "poin dari {days} hari sebelumnya", "en": "points on the previous {days} days"},
    "vs_previous_period": {"id": "dari periode sebelumnya", "en": "on the previous period"},
    "vs_year_before": {"id": "dari periode sama tahun lalu", "en": "on the same period a year before"},
    "target_growth": {"id": "Target: tumbuh dari tahun lalu", "en": "Target: growth on a year before"},
    "period": {"id": "{days} hari terakhir", "en": "last {days} days"},
    "source": {"id": "Sumber", "en": "Source"},
    "home_intro": {
        "id": "Dasbor command center: indikator layanan publik dan SPBE dari sistem OPD.",
        "en": "Command-center dashboard: public-service and SPBE indicators from agency systems.",
    },
}


def t(key: str, lang: str = "id", **values: object) -> str:
    """The text for `key` in `lang` (Indonesian when the language is unknown), with {placeholders} filled."""
    entry = TEXT[key]
    return entry.get(lang, entry["id"]).format(**values)
