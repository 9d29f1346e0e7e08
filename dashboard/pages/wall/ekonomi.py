"""Ekonomi (/wall/ekonomi): Smart Economy from the regional revenue system: non-cash receipts and the year's realisation,
receipts by channel, and the non-cash share by tax type and by kecamatan."""

from __future__ import annotations

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, panel, place, register_page, tiles
from metrics.indicators.pendapatan import JENIS_PAJAK, KANAL
from region.kecamatan import all_kecamatan

t = translator({
    "by_channel": {"id": "Penerimaan per kanal (Rp miliar, sejak 1 Januari)", "en": "Receipts by channel (Rp billion, since 1 January)"},
    "by_type": {"id": "Non-tunai per jenis pajak/retribusi (%)", "en": "Non-cash by tax or levy (%)"},
    # PLN's remittance, a quarter of receipts, is regency-wide: each kecamatan's share is of its own objects' taxes.
    "by_kecamatan": {"id": "Non-tunai per kecamatan (%; tanpa setoran PLN)", "en": "Non-cash by kecamatan (%; PLN remittance excluded)"},
})
SHOWN = ("pembayaran_nontunai", "pad_realisasi")


def view(data: WallData) -> list:
    lang = data.lang
    reading = data.readings.get("pembayaran_nontunai")
    target = reading.indicator.target.value if reading else None
    # Per channel the share is 0 or 100 by definition; what the panel shows is the rupiah each channel carried.
    channels = sorted(data.breakdown("pembayaran_nontunai", "kanal"), key=lambda r: -r.denominator)
    channel_rows = [charts.Bar(KANAL.get(r.member, {}).get(lang, r.member), r.denominator / 1e9,
                               formatting.number(r.denominator / 1e9, 1, lang), "green" if r.value else "amber") for r in channels]

    def lowest_first(by: str, label) -> list[charts.Bar]:
        # All of them (15 kinds, 17 kecamatan fit a panel's height), the ones to act on first at the top.
        rows = sorted(data.breakdown("pembayaran_nontunai", by), key=lambda r: r.value if r.value is not None else 101)
        return [charts.Bar(label(r.member), r.value or 0, formatting.number(r.value, 1, lang), r.status) for r in rows]

    names = {k.kode: k.nama for k in all_kecamatan()}
    return [
        *tiles(data, SHOWN, placed={0: place(1, 1), 1: place(1, 2)}),
        panel(t("by_channel", lang), chart(charts.bars(channel_rows), t("by_channel", lang)), class_name="panel-side", style=place(2, "1 / span 2")),
        panel(t("by_type", lang), chart(charts.bars(lowest_first("jenis_pajak", lambda m: JENIS_PAJAK.get(m, m)), maximum=100.0, target=target), t("by_type", lang)),
              class_name="panel-side", style=place(3, "1 / span 2")),
        panel(t("by_kecamatan", lang), chart(charts.bars(lowest_first("kode_kecamatan", lambda m: names.get(m, m)), maximum=100.0, target=target),
                                             t("by_kecamatan", lang)), class_name="panel-side", style=place(4, "1 / span 2")),
    ]


register_page(__name__, "ekonomi", {"id": "Ekonomi Daerah", "en": "Regional Economy"}, view, order=7)
