"""Snapshots over a real warehouse loaded from the simulated OPD systems: frozen, checksummed, immutable, and the
deck built from one says in its notes exactly the numbers its slides show."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from config import load_config
from dashboard.paparan import deck as decks
from dashboard.paparan.model import Chart, Stats, Table, Text
from metrics.compute import compute
from metrics.snapshot import SnapshotCorrupt, TooManySnapshots, UnknownSnapshot
from region.timezone import WIB
from runtime.snapshots import WarehouseSnapshots
from tests.loaded import NOW, Loaded

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("snapshots"), load_config(env={}))
    yield made
    made.close()


def test_a_snapshot_of_now_holds_the_values_the_wall_shows_at_full_precision(loaded):
    snapshot = loaded.snapshots.take(None, None, "test")
    assert re.fullmatch(r"20261127-1000-[0-9a-f]{6}", snapshot.id)
    assert snapshot.body["past_as_of"] is False and snapshot.body["computed"] == []  # every value stored for today after its loads
    shown = {r.id: r for r in loaded.metrics.readings()}
    for entry in snapshot.body["indicators"]:
        reading = shown[entry["id"]]
        assert entry["value"] == reading.value and entry["numerator"] == reading.numerator and entry["denominator"] == reading.denominator
        assert [p[1] for p in entry["series"]] == [p.value for p in reading.series]
        for by in reading.indicator.breakdowns:
            stored = loaded.metrics.breakdown(entry["id"], by)
            assert [(r["member"], r["value"]) for r in entry["breakdowns"][by]] == [(r.member, r.value) for r in stored]
    assert snapshot.body["spbe"]["latest"]["index"] == pytest.approx(shown["spbe_indeks"].value)
    assert snapshot.body["smartcity"]["programmes"] and snapshot.body["smartcity"]["masterplan"]["total"] == len(snapshot.body["smartcity"]["programmes"])
    assert set(snapshot.body["sources"]) == set(loaded.sources)
    assert all(s["state"] == "fresh" and s["opd"] and s["system"] for s in snapshot.body["sources"].values())


def test_a_past_as_of_is_computed_for_periods_ending_then_and_says_so(loaded):
    as_of = dt.datetime(2026, 11, 20, 23, 59, tzinfo=WIB)
    snapshot = loaded.snapshots.take(as_of, "Gladi", "test")
    body = snapshot.body
    assert snapshot.id.startswith("20261120-2359-") and body["past_as_of"] and body["title"] == "Gladi"
    assert len(body["computed"]) == len(body["indicators"])  # nothing stored was for that day
    indicator = loaded.metrics.indicator("izin_tepat_waktu")
    expected = compute(indicator, loaded.metrics._ibis(), as_of.astimezone(dt.UTC).replace(tzinfo=None))
    entry = snapshot.indicator("izin_tepat_waktu")
    assert entry["value"] == expected.value and entry["period"]["end"] == "2026-11-20"
    # The loads ran at the machine's own clock, after that moment: at the as-of moment no source had loaded yet.
    assert all(s["state"] == "never" for s in body["sources"].values())
    deck = decks.build(snapshot, loaded.config.paparan, "id")
    assert "dari data yang dimuat sampai" in deck.made_note and deck.slides[0].notes[1] == deck.made_note


def test_a_moment_to_come_is_refused(loaded):
    with pytest.raises(ValueError, match="belum tiba"):
        loaded.snapshots.take(NOW + dt.timedelta(hours=1), None, "test")


def test_a_snapshot_survives_new_loads_unchanged_and_a_changed_body_is_refused(loaded):
    snapshot = loaded.snapshots.take(None, None, "test")
    before = decks.build(snapshot, loaded.config.paparan, "id")
    loaded.now += dt.timedelta(days=1)
    loaded.sim.sync()
    loaded.load_all()
    assert loaded.metrics.reading("izin_tepat_waktu").as_of != dt.datetime.fromisoformat(snapshot.indicator("izin_tepat_waktu")["as_of"])
    again = loaded.snapshots.get(snapshot.id)
    assert again.body == snapshot.body and again.checksum == snapshot.checksum
    assert decks.build(again, loaded.config.paparan, "id") == before

    changed = dict(snapshot.body, title="Diubah")
    with loaded.warehouse.transaction() as tx:
        tx.execute("UPDATE snapshots SET body = ? WHERE snapshot_id = ?", [json.dumps(changed), snapshot.id])
    with pytest.raises(SnapshotCorrupt, match=snapshot.id):
        loaded.snapshots.get(snapshot.id)
    assert loaded.snapshots.delete(snapshot.id, "operator") and not loaded.snapshots.delete(snapshot.id, "operator")
    with pytest.raises(UnknownSnapshot):
        loaded.snapshots.get(snapshot.id)


def test_the_listing_names_who_made_each_and_the_cap_is_kept(loaded):
    made = loaded.snapshots.take(None, "Uji daftar", "cli:sekda")
    listed = next(s for s in loaded.snapshots.listing() if s["id"] == made.id)
    assert listed["created_by"] == "cli:sekda" and listed["title"] == "Uji daftar" and listed["checksum"] == made.checksum
    capped = WarehouseSnapshots(loaded.warehouse, loaded.metrics, loaded.config.paparan.model_copy(update={"max_snapshots": 1}), loaded.sources,
                                now=lambda: loaded.now)
    with pytest.raises(TooManySnapshots, match="max_snapshots"):
        capped.take(None, None, "test")


NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def _shown(slide, deck) -> str:
    """Everything a slide shows, as text."""
    parts = [slide.title, slide.subtitle, deck.footer(1)]
    for block in slide.blocks:
        if isinstance(block, Stats):
            parts += [f"{f.label} {f.text} {f.detail}" for f in block.figures]
        elif isinstance(block, Chart):
            parts += [block.title, *block.categories, *(s.name for s in block.series)]
            parts += [block.label(v, deck.lang) for s in block.series for v in s.values]
        elif isinstance(block, Table):
            parts += [block.title, *(c.name for c in block.columns), *(cell for row in block.formatted(deck.lang) for cell in row)]
        elif isinstance(block, Text):
            parts += list(block.paragraphs)
    return " ".join(parts)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_said_in_the_notes_is_shown_on_its_slide(loaded, lang):
    deck = decks.build(loaded.snapshots.take(None, None, "test"), loaded.config.paparan, lang)
    keys = [s.key for s in deck.slides]
    assert keys[:3] == ["judul", "agenda", "baseline"] and "sumber" in keys and keys[-1] == "penutup"
    assert [k for k in keys if k.startswith("dampak-")] == [f"dampak-{f.key}" for f in loaded.config.paparan.flagships]
    components = [s.component for s in deck.slides if s.component]
    assert components == sorted(components, key=["baseline", "output", "outcome", "impact", "quick_win"].index)  # walked in order
    said = 0
    for slide in deck.slides:
        shown = _shown(slide, deck)
        for sentence in slide.notes:
            for number in NUMBER.findall(sentence):
                said += 1
                assert number in shown, f"{slide.key}: {number!r} said in {sentence!r} is not on the slide"
    assert said > 60  # the notes do say the numbers


def test_notes_say_a_figure_as_the_issue_example_does(loaded):
    deck = decks.build(loaded.snapshots.take(None, None, "test"), loaded.config.paparan, "id")
    izin = next(s for s in deck.slides if s.key == "dampak-izin")
    entry = next(e for e in loaded.metrics.readings() if e.id == "izin_tepat_waktu")
    sentence = next(n for n in izin.notes if n.startswith("Izin diputus tepat waktu"))
    value = f"{entry.value:.1f}".replace(".", ",")
    counted = f"({int(entry.numerator):,} dari {int(entry.denominator):,} permohonan)".replace(",", ".")
    assert sentence.startswith(f"Izin diputus tepat waktu {value} % {counted}, ")
    assert "poin dibanding" in sentence or "tetap dibanding" in sentence
    assert sentence.endswith("target ≥ 95 % (Target daerah (konfigurasi); SLA per jenis izin (PP 28/2025, OSS-RBA)).")
