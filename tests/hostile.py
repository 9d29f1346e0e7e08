"""Hostile files for the tests of input limits: workbooks far larger inside than outside, and the figures of a child
process (time, peak memory, output) that reads one."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from region.paths import PROJECT_ROOT

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(value: object) -> str:
    if isinstance(value, str):
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'
    return f"<c><v>{value}</v></c>"


def workbook(path: Path, header: list[str], rows: list[list[object]], repeat: int = 1, sheet: str = "Sheet1", dimension: str | None = None) -> Path:
    """An XLSX whose sheet holds `header`, then `rows` over and over (`repeat` times), written as a stream, packed tightly.

    The same rows over and over pack to almost nothing: a million take about 120 KB. `dimension` is the size the
    sheet declares (none by default, as some exporters write).
    """
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join("<row>" + "".join(_cell(v) for v in row) + "</row>" for row in rows).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheet=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet_xml:
            sheet_xml.write((head + "<sheetData><row>" + "".join(_cell(h) for h in header) + "</row>").encode())
            for _ in range(repeat // 10_000):
                sheet_xml.write(body * 10_000)
            sheet_xml.write(body * (repeat % 10_000))
            sheet_xml.write(b"</sheetData></worksheet>")
    return path


@dataclass(frozen=True)
class Run:
    """A finished `app.py` child: exit code, output, wall time, and its own CPU time and peak memory.

    CPU time, not wall time, is what a bound should be put on: a busy machine stretches the one, not the other.
    """

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    peak_mb: float


# Runs app.py as its main module, and writes the process's own peak RSS (KB) and CPU seconds to the file named first.
# The peak is VmHWM, which starts afresh at exec; ru_maxrss would carry the size of the forking test process.
_PROBE = (
    "import atexit, resource, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv.pop(0)\n"
    "def probe():\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    with open('/proc/self/status') as status:\n"
    "        peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
    "    open(out, 'w').write(f'{peak} {usage.ru_utime + usage.ru_stime}')\n"
    "atexit.register(probe)\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def run_app(tmp_path: Path, *args: str) -> Run:
    """Run `app.py ARGS` in a child process and measure it."""
    probe = tmp_path / "peak_rss_kb"
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PROBE, str(probe), str(PROJECT_ROOT / "app.py"), *args], capture_output=True, text=True, cwd=PROJECT_ROOT)
    seconds = time.perf_counter() - started
    peak_kb, cpu_seconds = probe.read_text().split()
    return Run(out.returncode, out.stdout, out.stderr, seconds, float(cpu_seconds), int(peak_kb) / 1024)
