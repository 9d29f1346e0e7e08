"""Regional revenue (BPKD): tax and levy payments, for Smart Economy's financial transactions.

Padang Pariaman keeps regional revenue within BPKD; the regency has no separate Bapenda (see the source contract).
Only payments still standing count: a reversed one ("batal") was never revenue.
"""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Assumption, Indicator, Target, Thresholds
from metrics.indicators.common import ECONOMY
from metrics.indicators.shapes import records, values
from metrics.periods import Period

# Paid without cash changing hands at a counter: QRIS, bank transfer, virtual account. A payment at the bank's
# teller counts as cash, since the payer brings cash to it; the money still reaches the treasury through the bank.
NONTUNAI = ("qris", "transfer", "virtual_account")
KANAL = {
    "qris": {"id": "QRIS", "en": "QRIS"},
    "transfer": {"id": "Transfer bank", "en": "Bank transfer"},
    "virtual_account": {"id": "Virtual account", "en": "Virtual account"},
    "teller": {"id": "Teller bank", "en": "Bank teller"},
    "tunai": {"id": "Tunai di loket", "en": "Cash at the counter"},
}
# Short names, as screens and charts show them.
JENIS_PAJAK = {
    "pbb_p2": "PBB-P2", "bphtb": "BPHTB", "pbjt_tenaga_listrik": "PBJT Listrik", "pbjt_makanan_minuman": "PBJT Mamin",
    "pbjt_perhotelan": "PBJT Hotel", "pbjt_parkir": "PBJT Parkir", "pbjt_hiburan": "PBJT Hiburan", "reklame": "Reklame",
    "air_tanah": "Air Tanah", "mblb": "MBLB", "retribusi_pasar": "Ret. Pasar", "retribusi_parkir": "Ret. Parkir",
    "retribusi_persampahan": "Ret. Sampah", "retribusi_pbg": "Ret. PBG", "retribusi_rekreasi": "Ret. Rekreasi",
}
# Illustrative, like the simulated system: set `params.target_tahunan_miliar` to the year's APBD target, in billions of
# rupiah, for the taxes and levies this system collects (other PAD, such as BLUD income, is not in it).
TARGET_TAHUNAN_MILIAR = 95.0


def _paid(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    p = records(con, "pendapatan_pembayaran", ("id",), "dibayar_tgl", "jenis_pajak", "kanal", "kode_kecamatan", "jumlah", "status")
    return p.filter(p.dibayar_tgl.between(start, end), p.status == "lunas")


def pembayaran_nontunai(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Rupiah paid non-cash over rupiah paid, per payment, by payment day."""
    p = _paid(con, start, end)
    nontunai = p.kanal.isin(NONTUNAI).ifelse(p.jumlah, 0.0)
    return values(p, p.dibayar_tgl, "kode_kecamatan", "jenis_pajak", "kanal", num=nontunai.cast("float64"), den=p.jumlah.cast("float64"))


PEMBAYARAN_NONTUNAI = Indicator(
    id="pembayaran_nontunai",
    name="Penerimaan pajak dan retribusi non-tunai",
    name_en="Tax and levy receipts paid non-cash",
    short="Pajak non-tunai", short_en="Non-cash tax receipts",
    description=(
        "Porsi rupiah penerimaan pajak daerah dan retribusi (menurut jumlah, bukan banyaknya transaksi) yang dibayar "
        "lewat QRIS, transfer bank atau virtual account, sejak 1 Januari; setoran tunai di teller bank dan di loket "
        "dihitung tunai, pembayaran yang dibatalkan tidak dihitung."
    ),
    description_en=(
        "Share of the rupiah of regional tax and levy receipts (by amount, not by number of payments) paid by QRIS, "
        "bank transfer or virtual account, since 1 January; cash at a bank teller or at the counter counts as cash, "
        "reversed payments do not count."
    ),
    # Since 1 January, not over 30 days: PLN remits the electricity tax, a quarter of all receipts, once a month, so a
    # 30-day window that happens to miss the remittance would drop by many points for no change in how people pay.
    measure="ratio", period=Period("year_to_date"), grain="month",
    # Keppres 3/2021 formed the Satgas P2DD and the regency TP2DD for electronifying regional transactions (ETPD)
    # but sets no number: the target is the region's own until a TP2DD document gives one.
    target=Target(75.0, "Target daerah (konfigurasi); Keppres 3/2021 (Satgas P2DD, TP2DD) tidak menetapkan angka"),
    thresholds=Thresholds(green=75.0, amber=60.0),
    sources=("pendapatan",),
    query=pembayaran_nontunai,
    breakdowns=("kode_kecamatan", "jenis_pajak", "kanal"),
    assumptions=(Assumption(
        "Setoran di teller bank dihitung tunai: pembayar membawa uang tunai ke loket bank, walau uangnya masuk kas daerah lewat bank.",
        "A payment at a bank teller counts as cash: the payer brings cash to the counter, though the money reaches the treasury through the bank.",
    ),),
    dimension=ECONOMY, element="transaksi keuangan", wall=True,
)


def pad_realisasi(con: ibis.BaseBackend, start: dt.date, end: dt.date, target_tahunan_miliar: float) -> ibis.Table:
    """Each standing payment as a percentage of the yearly target, by payment day: their sum is the realisation."""
    p = _paid(con, start, end)
    return values(p, p.dibayar_tgl, "jenis_pajak", nilai=(p.jumlah * (100.0 / (target_tahunan_miliar * 1e9))).cast("float64"))


PAD_REALISASI = Indicator(
    id="pad_realisasi",
    name="Realisasi PAD pajak dan retribusi",
    name_en="Own-source revenue from taxes and levies",
    short="Realisasi PAD", short_en="Revenue realised",
    description=(
        "Penerimaan pajak daerah dan retribusi sejak 1 Januari sebagai persen target tahunan (APBD, "
        "`params.target_tahunan_miliar`, dalam miliar rupiah); tren bulanan: penerimaan tiap bulan sebagai persen target tahunan. "
        "Tahun lalu dibandingkan dengan target yang sama."
    ),
    description_en=(
        "Regional tax and levy receipts since 1 January as a percentage of the yearly target (APBD, "
        "`params.target_tahunan_miliar`, in billions of rupiah); monthly trend: each month's receipts as a percentage of the yearly target. "
        "The year before is set against the same target."
    ),
    measure="sum",
    period=Period("year_to_date"), grain="month",
    params={"target_tahunan_miliar": TARGET_TAHUNAN_MILIAR},
    target=Target(100.0, "Target daerah (konfigurasi); target tahunan pajak dan retribusi dari APBD"),
    assumptions=(Assumption(
        "Target tahunan Rp {value} miliar adalah contoh, bukan angka APBD: isi dengan target pajak dan retribusi tahun berjalan (parameter target_tahunan_miliar).",
        "The yearly target of Rp {value} billion is an example, not the APBD figure: set this year's tax and levy target (parameter target_tahunan_miliar).",
        param="target_tahunan_miliar",
    ),),
    # The yearly target can only be met by the year's end: until then a value short of it is "not yet" (amber),
    # never a failure; an operator who wants it judged sooner sets `amber` in configuration.
    thresholds=Thresholds(green=100.0, amber=0.0),
    sources=("pendapatan",),
    query=pad_realisasi,
    breakdowns=("jenis_pajak",),
    dimension=ECONOMY, element="transaksi keuangan",
)


INDICATORS: tuple[Indicator, ...] = (PEMBAYARAN_NONTUNAI, PAD_REALISASI)
