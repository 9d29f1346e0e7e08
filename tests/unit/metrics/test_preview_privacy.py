"""An upload's preview shows personal values as stored rejects do: a key masked, any other personal field left out,
and everything to a role that may see personal data."""

from config import load_config
from metrics.rejects import shown_preview


def test_a_preview_masks_the_key_and_leaves_out_other_personal_fields():
    stream = load_config(env={}).sources["absensi"].streams["pegawai"]
    preview = {
        "columns": ["nip", "nama", "kode_opd", "mulai", "selesai"],
        "rows": [["pegawai.csv baris 2", "199001012020011002", "Siti Aminah", "DISKOMINFO", "2020-01-01", None]],
        "rejects": [{"origin": "pegawai.csv baris 3", "field": "kode_opd", "reason": "OPD tidak dikenal",
                     "raw": {"NIP": "199001012020011003", "Nama": "Budi", "OPD": "X"}}],
    }
    shown = shown_preview(preview, stream, personal_visible=False)
    assert shown["rows"] == [["pegawai.csv baris 2", "••••••••••••••1002", None, "DISKOMINFO", "2020-01-01", None]]
    raw = shown["rejects"][0]["raw"]
    assert "Nama" not in raw and raw["NIP"].endswith("1003") and raw["NIP"].startswith("•") and raw["OPD"] == "X"
    assert shown_preview(preview, stream, personal_visible=True) == preview
