"""The JSON API over a loaded warehouse: series by grain and breakdown, lineage, and clear 400/404 answers."""

import datetime as dt

import flask
import pytest

from conftest import FIXED_NOW
from dashboard.app import create_app
from dashboard.services import DashboardServices
from ingest.connectors import Connection
from metrics.freshness import Policy
from metrics.service import MetricsService
from metrics.spbe.framework import framework

pytestmark = pytest.mark.integration
POLICY = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2), simulated=True)


class Controls:
    def run_now(self, sources, since=None):
        return []

    def set_paused(self, sources, paused):
        return []

    def source_status(self):
        return []

    def health(self):
        return {"status": "ok", "problems": []}


def test_indicator_api(warehouse, simulator, load):
    names = ("perizinan", "absensi", "pengaduan", "spbe", "masterplan", "pendapatan")
    for name in names:
        assert load(name, Connection(**simulator.connection(name))).status == "ok"
    metrics = MetricsService(warehouse, {s: POLICY for s in names}, clock=lambda: FIXED_NOW.replace(tzinfo=None))
    metrics.refresh()
    client = create_app(DashboardServices(metrics, Controls(), "token", "Kab")).server.test_client()

    one = client.get("/api/v1/indicators/izin_tepat_waktu").json
    assert one["value"] is not None and one["breakdowns"] == ["kode_kecamatan"] and "year_before_value" in one

    days = client.get("/api/v1/indicators/izin_tepat_waktu/series?from=2026-11-01&to=2026-11-26").json["series"]
    months = client.get("/api/v1/indicators/izin_tepat_waktu/series?from=2026-10-01&to=2026-11-26&grain=month").json["series"]
    assert [m["periode"] for m in months] == ["2026-10-01", "2026-11-01"]
    november = months[1]
    assert november["denominator"] == sum(d["denominator"] for d in days)  # the months roll up the same days
    assert november["value"] == round(100 * november["numerator"] / november["denominator"], 2)
    weeks = client.get("/api/v1/indicators/izin_tepat_waktu/series?from=2026-11-02&to=2026-11-22&grain=week").json["series"]
    assert [w["periode"] for w in weeks] == ["2026-11-02", "2026-11-09", "2026-11-16"]  # Mondays

    by_opd = client.get("/api/v1/indicators/absensi_tepat_waktu/series?from=2026-11-01&to=2026-11-26&grain=month&by=kode_opd").json["series"]
    assert len(by_opd) > 5 and all(r["kode_opd"] and r["periode"] == "2026-11-01" for r in by_opd)
    total = client.get("/api/v1/indicators/absensi_tepat_waktu/series?from=2026-11-01&to=2026-11-26&grain=month").json["series"][0]
    assert sum(r["denominator"] for r in by_opd) == total["denominator"]

    # Breakdowns are stored with the value: the members add up to it.
    stored = client.get("/api/v1/indicators/absensi_tepat_waktu/breakdown?by=kode_opd").json["breakdown"]
    whole = client.get("/api/v1/indicators/absensi_tepat_waktu").json
    assert sum(r["denominator"] for r in stored) == whole["denominator"] and sum(r["numerator"] for r in stored) == whole["numerator"]
    assert all(r["status"] in {"green", "amber", "red"} for r in stored)
    assert client.get("/api/v1/indicators/absensi_tepat_waktu/breakdown?by=kode_kecamatan").status_code == 400
    assert client.get("/api/v1/indicators/tidak_ada/breakdown?by=kode_opd").status_code == 404

    lineage = client.get("/api/v1/indicators/izin_tepat_waktu/lineage?from=2026-11-20&to=2026-11-26&limit=5").json
    assert lineage["sources"] == ["perizinan"] and "perizinan_permohonan" in lineage["sql"]
    assert len(lineage["records"]) == 5 and set(lineage["records"][0]) == {"tanggal", "good", "kode_kecamatan"}

    assert client.get("/api/v1/indicators/tidak_ada").status_code == 404
    assert client.get("/api/v1/indicators/tidak_ada/series").status_code == 404
    bad = client.get("/api/v1/indicators/izin_tepat_waktu/series?from=2026-13-01")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json["error"]
    assert client.get("/api/v1/indicators/izin_tepat_waktu/series?grain=hour").status_code == 400
    wrong_by = client.get("/api/v1/indicators/izin_tepat_waktu/series?by=kode_opd")
    assert wrong_by.status_code == 400 and "kode_kecamatan" in wrong_by.json["error"]
    assert client.get("/api/v1/indicators/izin_tepat_waktu/series?from=2026-11-20&to=2026-11-01").status_code == 400
    assert client.get("/api/v1/indicators/izin_tepat_waktu/lineage?limit=0").status_code == 400

    spbe = client.get("/api/v1/spbe").json
    years = [h["year"] for h in spbe["history"]]
    assert years == sorted(years) and {2024, 2025} <= set(years) and spbe["simulated"] is True
    levels = dict(warehouse.cursor().execute("SELECT nomor_indikator, tingkat FROM spbe_penilaian WHERE tahun = ?", [years[-1]]).fetchall())
    expected = framework("permenpanrb-59-2020").score(levels)
    assert spbe["latest"]["index"] == expected["index"] and spbe["latest"]["predicate"] == expected["predicate"]
    assert [e["id"] for e in spbe["evidence"]["42"]] == ["aduan_verifikasi_3hk", "aduan_selesai_60h", "aduan_tertunggak"]  # complaints are evidence for SPBE 42

    smartcity = client.get("/api/v1/smartcity").json
    programmes = warehouse.cursor().execute("SELECT count(*), count(*) FILTER (WHERE status = 'selesai') FROM masterplan_program").fetchone()
    assert (smartcity["masterplan"]["total"], smartcity["masterplan"]["done"]) == programmes == (62, programmes[1])
    assert sum(d["total"] for d in smartcity["masterplan"]["dimensions"]) == 62
    governance = next(d for d in smartcity["dimensions"] if d["dimension"] == "Smart Governance")
    readings = {r["id"]: r for r in client.get("/api/v1/indicators").json["indicators"]}
    shares = []
    for r in (readings[i] for i in governance["indicators"] if readings[i]["value"] is not None):
        if r["target"] and r["judged_on"] == "value":
            shares.append(min(r["value"] / r["target"], 1) if r["direction"] == "higher" else min(r["target"] / r["value"], 1) if r["value"] else 1)
        else:
            shares.append({"green": 1, "amber": 0.5, "red": 0}[r["status"]])
    assert governance["score"] == round(5 * sum(shares) / len(shares), 2) and "rata-rata capaian" in smartcity["method"]
    economy = next(d for d in smartcity["dimensions"] if d["dimension"] == "Smart Economy")
    shares = [min(readings[i]["value"] / readings[i]["target"], 1) for i in economy["indicators"]]
    assert economy["indicators"] == ["pembayaran_nontunai", "pad_realisasi"] and economy["score"] == round(5 * sum(shares) / 2, 2)
    assert next(d for d in smartcity["dimensions"] if d["dimension"] == "Smart Living")["score"] is None  # its sources are not loaded here

    by_channel = client.get("/api/v1/indicators/pembayaran_nontunai/breakdown?by=kanal").json["breakdown"]
    whole = client.get("/api/v1/indicators/pembayaran_nontunai").json
    assert sum(r["denominator"] for r in by_channel) == pytest.approx(whole["denominator"])  # rupiah per channel add up
    assert {r["member"]: r["value"] for r in by_channel}["tunai"] == 0


def test_assumptions_are_stated_with_the_definition(warehouse):
    from metrics.catalogue import BY_ID

    catalogue = (BY_ID["sampah_terangkut"], BY_ID["izin_daring"])
    metrics = MetricsService(warehouse, {"lingkungan": POLICY, "perizinan": POLICY}, catalogue, clock=lambda: FIXED_NOW.replace(tzinfo=None))
    client = create_app(DashboardServices(metrics, Controls(), "token", "Kab")).server.test_client()
    waste = client.get("/api/v1/indicators/sampah_terangkut").json
    assert [a["text"] for a in waste["assumptions"]] == [BY_ID["sampah_terangkut"].stated_assumptions()[0]["text"]]
    assert "0,5 kg per orang per hari" in waste["assumptions"][0]["text"] and "0.5 kg per person" in waste["assumptions"][0]["text_en"]
    listed = {i["id"]: i["assumptions"] for i in client.get("/api/v1/indicators").json["indicators"]}
    assert listed == {"sampah_terangkut": waste["assumptions"], "izin_daring": []}
    lineage = client.get("/api/v1/indicators/sampah_terangkut/lineage?from=2026-11-20&to=2026-11-26").json
    assert lineage["assumptions"] == waste["assumptions"]


def test_the_indicator_list_follows_each_write_and_each_change_of_freshness(warehouse, simulator, load):
    """The list's JSON is kept between requests; a recompute, a load and the clock passing a source's limit each
    change the answer without a restart."""
    from metrics.catalogue import BY_ID

    now = [dt.datetime.now(dt.UTC).replace(tzinfo=None)]
    metrics = MetricsService(warehouse, {"perizinan": POLICY}, (BY_ID["izin_tepat_waktu"],), clock=lambda: now[0])
    client = create_app(DashboardServices(metrics, Controls(), "token", "Kab")).server.test_client()

    def listed() -> dict:
        answer = client.get("/api/v1/indicators")
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        with client.application.app_context():  # encoded as every other answer is: compact, keys sorted
            assert answer.data == flask.json.dumps(answer.json, separators=(",", ":")).encode() + b"\n"
        return answer.json["indicators"][0]

    assert (listed()["value"], listed()["sources"][0]["state"]) == (None, "never")
    assert load("perizinan", Connection(**simulator.connection("perizinan"))).status == "ok"
    assert listed()["sources"][0]["state"] == "fresh"  # the load is a write
    metrics.refresh()
    computed = listed()
    assert computed["value"] is not None and computed == MetricsService(warehouse, {"perizinan": POLICY}, (BY_ID["izin_tepat_waktu"],),
                                                                        clock=lambda: now[0]).readings()[0].as_dict() | {
        "assumptions": computed["assumptions"], "compared": computed["compared"]}
    now[0] += dt.timedelta(hours=3)  # past the policy's stale_after, with nothing written
    assert listed()["sources"][0]["state"] == "stale" and listed()["value"] == computed["value"]
