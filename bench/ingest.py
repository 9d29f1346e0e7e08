"""Ingest speed and peak memory: 1,000,000 attendance rows from CSV drops against DuckDB's own CSV upsert,
100,000 REST records across pages from the local simulator, and a month of raw attendance punches for 4,000 staff
with the daily record derived during the load. Each case runs in its own process, so its peak memory (max RSS) is
its own.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CSV_FILES, CSV_ROWS_PER_FILE = 400, 2_500  # 1,000,000 rows
REST_SOURCE, REST_HISTORY_DAYS = "tte", 1_350  # about 100,000 signed documents, read with an API key
PUNCH_STAFF, PUNCH_MONTH = 4_000, dt.date(2026, 2, 1)  # February 2026: 19 working days, Ramadan from the 19th


def write_attendance(folder: Path) -> int:
    """Indonesian-format attendance exports, one per day, unique (nip, tanggal) keys."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    nips = [f"19800101200501{i:04d}" for i in range(CSV_ROWS_PER_FILE)]
    day = dt.date(2024, 1, 1)
    for n in range(CSV_FILES):
        lines = ["nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja"]
        for nip in nips:
            minutes = 400 + rng.randint(0, 80)
            worked = f"{(990 - minutes) / 60:.2f}".replace(".", ",")
            lines.append(f"{nip};Pegawai {nip[-4:]};BKPSDM;{day:%d/%m/%Y};{minutes // 60:02d}:{minutes % 60:02d};16:30;hadir;{worked}")
        (folder / f"absensi_{n:04d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        day += dt.timedelta(days=1)
    return CSV_FILES * CSV_ROWS_PER_FILE


def write_punches(folder: Path) -> int:
    """A month of raw check-ins in the machines' format for PUNCH_STAFF staff, with their staff list and leave.

    Each working day about 96 % come (a check-in, and a check-out but for 1 %), 4 % tap twice in a minute, the
    rest are on leave or absent. Returns the punch lines written.
    """
    from region.calendar import WorkingCalendar

    folder.mkdir(parents=True, exist_ok=True)
    rng, calendar = random.Random(7), WorkingCalendar()
    nips = [f"19800101200501{i:04d}" for i in range(PUNCH_STAFF)]
    (folder / "pegawai.csv").write_text("nip;nama;kode_opd;mulai;selesai\n" + "".join(f"{n};Pegawai {n[-4:]};BKPSDM;;\n" for n in nips), encoding="utf-8")
    days = [PUNCH_MONTH + dt.timedelta(days=d) for d in range(28)]
    leave, punches = ["nip;mulai;selesai;jenis"], 0
    for day in (d for d in days if calendar.is_working_day(d)):
        start = 8 * 60 if calendar.is_ramadan(day) else 7 * 60 + 30
        lines = ["nip;id_template;inout;time_finger"]
        for nip in nips:
            draw = rng.random()
            if draw < 0.03:
                leave.append(f"{nip};{day:%d/%m/%Y};{day:%d/%m/%Y};{rng.choice(['sakit', 'izin', 'cuti', 'dinas luar'])}")
                continue
            if draw < 0.04:
                continue  # absent
            taps = [(start - rng.randint(0, 60)) * 60 + rng.randint(0, 59)]
            if rng.random() < 0.04:
                taps.append(taps[0])
            if rng.random() > 0.01:
                taps.append((start + 8 * 60 + rng.randint(0, 60)) * 60 + rng.randint(0, 59))
            for i, at in enumerate(taps):
                lines.append(f"{nip};finger;{1 if i == len(taps) - 1 and i else 0};{day} {at // 3600:02d}:{at // 60 % 60:02d}:{at % 60:02d}")
        (folder / f"presensi_{day:%Y%m%d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        punches += len(lines) - 1
    (folder / f"izin_{PUNCH_MONTH:%Y%m}.csv").write_text("\n".join(leave) + "\n", encoding="utf-8")
    return punches


def case_pantau_csv(work: Path) -> dict:
    from config import load_config
    from ingest.connectors import Connection
    from ingest.run import run_source
    from ingest.tables import ensure_tables
    from warehouse import Warehouse

    source = load_config(env={}).sources["absensi"]
    warehouse = Warehouse(work / "pantau.duckdb")
    ensure_tables(warehouse, {"absensi": source})
    t0 = time.perf_counter()
    result = run_source(warehouse, "absensi", source, Connection(folder=work / "drop"))
    elapsed = time.perf_counter() - t0
    warehouse.close()
    assert result.status == "ok", result.error
    return {"rows": result.inserted, "seconds": round(elapsed, 2)}


def case_duckdb_csv(work: Path) -> dict:
    import duckdb

    db = duckdb.connect(str(work / "baseline.duckdb"))
    db.execute(
        "CREATE TABLE absensi_harian (nip VARCHAR, tanggal DATE, nama VARCHAR, kode_opd VARCHAR, status VARCHAR, jam_masuk TIME, "
        "jam_pulang TIME, jam_kerja DOUBLE, PRIMARY KEY (nip, tanggal))"
    )
    t0 = time.perf_counter()
    db.execute(
        f"""INSERT INTO absensi_harian
        SELECT nip, tanggal, nama, kode_opd, status, jam_masuk, jam_pulang, jam_kerja
        FROM read_csv('{work / "baseline-drop"}/*.csv', delim=';', header=true, dateformat='%d/%m/%Y', decimal_separator=',',
                      columns={{'nip': 'VARCHAR', 'nama': 'VARCHAR', 'kode_opd': 'VARCHAR', 'tanggal': 'DATE', 'jam_masuk': 'TIME',
                               'jam_pulang': 'TIME', 'status': 'VARCHAR', 'jam_kerja': 'DOUBLE'}})
        ON CONFLICT (nip, tanggal) DO UPDATE SET nama = excluded.nama, kode_opd = excluded.kode_opd, status = excluded.status,
            jam_masuk = excluded.jam_masuk, jam_pulang = excluded.jam_pulang, jam_kerja = excluded.jam_kerja"""
    )
    elapsed = time.perf_counter() - t0
    rows = db.execute("SELECT count(*) FROM absensi_harian").fetchone()[0]
    db.close()
    return {"rows": rows, "seconds": round(elapsed, 2)}


def case_pantau_rest(work: Path) -> dict:
    from config import load_config
    from ingest.connectors import Connection
    from ingest.run import run_source
    from ingest.tables import ensure_tables
    from simulator.systems import SimulatedOPDs
    from warehouse import Warehouse

    source = load_config(env={}).sources[REST_SOURCE]
    with SimulatedOPDs(work / "sim", history_days=REST_HISTORY_DAYS, sync_every_s=3600) as sim:
        warehouse = Warehouse(work / "pantau.duckdb")
        ensure_tables(warehouse, {REST_SOURCE: source})
        t0 = time.perf_counter()
        result = run_source(warehouse, REST_SOURCE, source.model_copy(update={"page_size": 1000}), Connection(**sim.connection(REST_SOURCE)))
        elapsed = time.perf_counter() - t0
        warehouse.close()
    assert result.status == "ok", result.error
    return {"records": result.rows_read, "pages": -(-result.rows_read // 1000), "seconds": round(elapsed, 2)}


def case_pantau_punches(work: Path) -> dict:
    from config import load_config
    from ingest.calendar import refresh_calendar
    from ingest.connectors import Connection
    from ingest.run import run_source
    from ingest.tables import ensure_tables
    from region.calendar import WorkingCalendar
    from warehouse import Warehouse

    source = load_config(env={}).sources["absensi"]
    warehouse = Warehouse(work / "punches.duckdb")
    refresh_calendar(warehouse, WorkingCalendar())
    ensure_tables(warehouse, {"absensi": source})
    t0 = time.perf_counter()
    result = run_source(warehouse, "absensi", source, Connection(folder=work / "punch-drop"))
    elapsed = time.perf_counter() - t0
    warehouse.close()
    assert result.status == "ok" and result.rejected == 0, result.error
    return {"punches": result.streams["presensi"]["rows_read"], "daily": result.streams["presensi_harian"]["derived"], "seconds": round(elapsed, 2)}


CASES = {"pantau_csv": case_pantau_csv, "duckdb_csv": case_duckdb_csv, "pantau_rest": case_pantau_rest, "pantau_punches": case_pantau_punches}


def _in_child(case: str, work: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.ingest", case, str(work)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> dict:
    """Run every case in its own process; returns rates, the ratio to DuckDB, and peak memory."""
    with tempfile.TemporaryDirectory(prefix="pantau-bench-ingest-") as tmp:
        work = Path(tmp)
        rows = write_attendance(work / "drop")
        write_attendance(work / "baseline-drop")
        pantau, baseline = _in_child("pantau_csv", work), _in_child("duckdb_csv", work)
        rest = _in_child("pantau_rest", work)
        write_punches(work / "punch-drop")
        punches = _in_child("pantau_punches", work)
    return {
        "csv_rows": rows,
        "csv_pantau_rows_per_s": round(rows / pantau["seconds"]),
        "csv_duckdb_rows_per_s": round(rows / baseline["seconds"]),
        "csv_ratio_to_duckdb": round(pantau["seconds"] / baseline["seconds"], 2),
        "csv_pantau_peak_rss_mb": pantau["peak_rss_mb"],
        "csv_duckdb_peak_rss_mb": baseline["peak_rss_mb"],
        "rest_source": REST_SOURCE,
        "rest_records": rest["records"],
        "rest_pages": rest["pages"],
        "rest_records_per_s": round(rest["records"] / rest["seconds"]),
        "rest_peak_rss_mb": rest["peak_rss_mb"],
        "punch_staff": PUNCH_STAFF,
        "punch_rows": punches["punches"],
        "punch_daily_records": punches["daily"],
        "punch_seconds": punches["seconds"],
        "punch_peak_rss_mb": punches["peak_rss_mb"],
    }


if __name__ == "__main__":
    figures = CASES[sys.argv[1]](Path(sys.argv[2]))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures))
