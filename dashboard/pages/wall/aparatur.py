"""Aparatur (/wall/aparatur): staff attendance and discipline, electronic signatures, on-time arrival by OPD."""

from __future__ import annotations

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, panel, place, register_page, tiles
from metrics.indicators.aparatur import CONSECUTIVE_STEP, STEP_NAMES
from region.opd import opd_name

t = translator({
    "on_time_by_opd": {"id": "ASN masuk tepat waktu per OPD (%)", "en": "Staff on time by OPD (%)"},
    "sanction_steps": {"id": "ASN di ambang sanksi per tahap (PP 94/2021)", "en": "Staff at a discipline step (PP 94/2021)"},
})
# The PP 94/2021 steps as the wall writes them: the breakdown's members are the steps' Indonesian names, which
# the Indonesian wall shows as they are but for the ten-days-in-a-row step, shortened to fit a chart label.
STEP_LABEL: dict[str, dict[str, str]] = {
    "teguran lisan": {"en": "verbal warning"},
    "teguran tertulis": {"en": "written warning"},
    "pernyataan tidak puas": {"en": "statement of dissatisfaction"},
    "pemotongan tunjangan": {"en": "allowance cut"},
    "penurunan jabatan": {"en": "demotion"},
    "pembebasan jabatan": {"en": "removal from post"},
    "pemberhentian": {"en": "dismissal"},
    CONSECUTIVE_STEP: {"id": "pemberhentian (10 HK beruntun)", "en": "dismissal (10 work days in a row)"},
}
SHOWN = ("absensi_tepat_waktu", "absensi_kehadiran", "asn_ambang_sanksi", "tte_porsi", "tte_gagal")
ALWAYS_LISTED = 3  # the first discipline steps are listed even at zero, so an empty chart still says what it counts
WORST_OPDS = 10


def view(data: WallData) -> list:
    lang = data.lang
    reading = data.readings.get("absensi_tepat_waktu")
    by_opd = sorted(data.breakdown("absensi_tepat_waktu", "kode_opd"), key=lambda r: r.value if r.value is not None else 101)[:WORST_OPDS]
    rows = [charts.Bar(opd_name(r.member), r.value or 0, formatting.number(r.value, 1, lang), r.status) for r in by_opd]
    steps = {r.member: r.value or 0 for r in data.breakdown("asn_ambang_sanksi", "tahap")}
    step_rows = [charts.Bar(STEP_LABEL.get(name, {}).get(lang, name), steps.get(name, 0), formatting.number(steps.get(name, 0), 0, lang), "red" if steps.get(name) else "green")
                 for n, name in enumerate(STEP_NAMES) if steps.get(name) or n < ALWAYS_LISTED]
    target = reading.indicator.target.value if reading else None
    return [
        *tiles(data, SHOWN),
        panel(t("on_time_by_opd", lang), chart(charts.bars(rows, maximum=100.0, target=target), t("on_time_by_opd", lang)),
              class_name="panel-side", style=place(4, "1 / span 2")),
        panel(t("sanction_steps", lang), chart(charts.bars(step_rows), t("sanction_steps", lang)), class_name="panel-wide"),
    ]


register_page(__name__, "aparatur", {"id": "Aparatur", "en": "Civil Service"}, view, order=3)
