"""`app.py paparan` against a real serving process and, once it stops, on the warehouse itself."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pptx import Presentation

pytestmark = pytest.mark.integration


def test_snapshot_list_export_through_the_server_then_without_it(server_factory, tmp_path):
    server = server_factory().start()
    server.wait_for_values()

    made = server.run_cli("paparan", "snapshot", "--title", "Gladi Komdigi")
    assert made.returncode == 0, made.stderr
    snapshot_id = made.stdout.strip().splitlines()[-1]  # the id alone on the last line
    assert len(snapshot_id.split("-")) == 3 and "Gladi Komdigi" in made.stdout

    listed = json.loads(server.run_cli("paparan", "list", "--json").stdout)
    assert [s["id"] for s in listed] == [snapshot_id] and listed[0]["created_by"].startswith("cli")

    out = tmp_path / "berkas"
    exported = server.run_cli("paparan", "export", snapshot_id, "--pptx", "--data", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    pptx, pack = out / f"paparan-{snapshot_id}.pptx", out / f"data-{snapshot_id}.zip"
    slides = Presentation(str(pptx)).slides
    assert len(slides) > 10
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(pack.read_bytes())).read("manifest.json"))
    assert manifest["snapshot_id"] == snapshot_id

    refused = server.run_cli("paparan", "snapshot", "--as-of", "2099-01-01 00:00")
    assert refused.returncode == 1 and "belum tiba" in refused.stderr

    assert server.stop() == 0
    # Without the server the command opens the warehouse itself; the snapshot survived the stop unchanged.
    again = tmp_path / "lagi"
    here = server.run_cli("paparan", "export", snapshot_id, "--data", "--out", str(again))
    assert here.returncode == 0, here.stderr
    assert (again / pack.name).read_bytes() == pack.read_bytes()  # byte-identical data files from the same snapshot

    past = server.run_cli("paparan", "snapshot", "--as-of", "2026-11-01 00:00")
    assert past.returncode == 0, past.stderr
    assert "dihitung untuk periode yang berakhir saat itu" in past.stdout
    assert server.run_cli("paparan", "delete", snapshot_id).returncode == 0
    remaining = json.loads(server.run_cli("paparan", "list", "--json").stdout)
    assert [s["id"] for s in remaining] == [past.stdout.strip().splitlines()[-1]]
    missing = server.run_cli("paparan", "export", snapshot_id)
    assert missing.returncode == 1 and "tidak ada" in missing.stderr
