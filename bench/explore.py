"""The analysts' explorer at five-year scale: a filter change answered by the server, uncached.

Each request is a question not asked before (another member filtered, another period, breakdown or comparison), so
nothing is served from the explorer's memory: the figures are computed from the records, as when an analyst
changes a filter. Run on the five-year warehouse of `bench.metrics` (about 15 million attendance rows).
"""

from __future__ import annotations

import itertools
import os
import statistics
import time

import httpx
import waitress

from runtime import http_server

# Indicators an analyst explores, the attendance ones over the 15 million rows among them; (indicator, filter column).
REPRESENTATIVE = (
    ("absensi_tepat_waktu", "kode_opd"), ("absensi_kehadiran", "kode_opd"), ("asn_ambang_sanksi", "kode_opd"),
    ("izin_tepat_waktu", "kode_kecamatan"), ("izin_durasi_median", "kode_kecamatan"), ("aduan_selesai_60h", "kode_opd"),
    ("pembayaran_nontunai", "kode_kecamatan"), ("kunjungan_wisata", "kode_kecamatan"),
)
# A view's other choices an analyst changes: the period and the comparison (each a span not read before).
PERIOD_CHANGES = ({"banding": "sebelumnya"}, {"periode": "bulan_lalu"}, {"banding": "tahun_lalu"}, {"periode": "kuartal_ini"})


def views(metrics, per_indicator: int) -> list[tuple[str, dict[str, str]]]:
    """(kind, question) in the order an analyst asks them: per indicator its default view ("first_view"), then
    distinct filters, one member and then pairs, with and without a breakdown ("filter_change"), then the period
    or comparison changed with the last filter kept ("period_change"). No two questions are the same."""
    explorer = metrics.explorer()
    asked: list[tuple[str, dict[str, str]]] = []
    for indicator_id, column in REPRESENTATIVE:
        codes = [code for code, _ in explorer.members(indicator_id, column)]
        breakdowns = metrics.indicator(indicator_id).breakdowns
        asked.append(("first_view", {"indikator": indicator_id}))
        choices = itertools.chain(([c] for c in codes), (list(p) for p in itertools.combinations(codes, 2)))
        args: dict[str, str] = {}
        for n, members in zip(range(per_indicator), choices, strict=False):
            args = {"indikator": indicator_id, f"f_{column}": ",".join(members)}
            if n % 2:
                args["rinci"] = breakdowns[n % len(breakdowns)]
            asked.append(("filter_change", args))
        asked += [("period_change", {**args, **change}) for change in PERIOD_CHANGES]
    return asked


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[max(int(0.95 * len(times)) - 1, 0)], 1),
            "max_ms": round(times[-1], 1)}


def measure(pantau, per_indicator: int = 20, port: int = 0) -> dict:
    """Serve the app over `pantau` and time distinct /api/v1/analisis requests by kind, overall and per indicator."""
    from dashboard.app import create_app
    from dashboard.services import DashboardServices
    from runtime.control import PantauControls

    services = DashboardServices(metrics=pantau.metrics, controls=PantauControls(pantau), operator_token="bench", region_name="Padang Pariaman")
    server = waitress.create_server(create_app(services).server, host="127.0.0.1", port=port, threads=8)
    url = f"http://127.0.0.1:{server.effective_port}"
    explorer = pantau.metrics.explorer()
    members_s = {}
    for indicator_id, column in REPRESENTATIVE:
        t0 = time.perf_counter()
        explorer.members(indicator_id, column)
        members_s[indicator_id] = round(time.perf_counter() - t0, 3)
    asked = views(pantau.metrics, per_indicator)
    times: dict[str, list[float]] = {}
    cpu_ms: dict[str, list[float]] = {}
    by_indicator: dict[str, list[float]] = {}
    with http_server.serving_in_background(server):
        with httpx.Client(timeout=60) as client:
            client.get(f"{url}/api/v1/analisis", params={"indikator": "kunjungan_wisata", "periode": "30_hari"}).raise_for_status()  # the app's first request
            for kind, args in asked:
                t, cpu = time.perf_counter(), time.process_time()
                client.get(f"{url}/api/v1/analisis", params=args).raise_for_status()
                times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
                cpu_ms.setdefault(kind, []).append((time.process_time() - cpu) * 1000)
                if kind == "filter_change":
                    by_indicator.setdefault(args["indikator"], []).append(times[kind][-1])
            for _, args in asked[:: max(len(asked) // 50, 1)]:
                t = time.perf_counter()
                client.get(f"{url}/api/v1/analisis", params=args).raise_for_status()
                times.setdefault("repeated_view", []).append((time.perf_counter() - t) * 1000)
    return {
        **{kind: _percentiles(found) for kind, found in times.items()},
        # The process's CPU time per request (server and client): what a request costs whatever else the machine runs.
        "cpu_ms": {kind: _percentiles(found) for kind, found in cpu_ms.items()},
        "load_average": os.getloadavg()[0],
        "filter_change_by_indicator": {i: _percentiles(found) for i, found in by_indicator.items()},
        "members_first_s": members_s,
    }


def run() -> dict:
    """`python -m bench explore`: build the five-year warehouse (as `bench.metrics`) and measure the explorer alone
    (BENCH_PORT: the port to serve on, any free one by default)."""
    from bench.metrics import five_years

    with five_years() as (pantau, _, built):
        return {**built, **measure(pantau, port=int(os.environ.get("BENCH_PORT", "0")))}
