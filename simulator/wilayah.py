"""Kecamatan and OPD as the simulated systems write them: codes, names and spelling variants, share of activity."""

from __future__ import annotations

from functools import cache

import numpy as np

from region.kecamatan import SPELLING_VARIANTS, all_kecamatan
from region.opd import OPDS
from region.population import PENDUDUK

# Places outside the regency that staff sometimes type (neighbouring Kota Pariaman and Kota Padang), and an
# empty cell: the rare records an ingester must reject.
OUTSIDE_REGENCY = ("Pariaman Tengah", "Pariaman Utara", "Koto Tangah", "")



@cache
def kecamatan_weights() -> tuple[tuple[str, ...], np.ndarray]:
    """Kemendagri codes of the 17 kecamatan and the share of records each receives.

    Per-kecamatan population is not at hand (only the regency total is published in the reference), so
    activity is spread in proportion to area, as the region notes allow; the screens must not present these
    shares as official statistics.

    Returns:
        (codes ordered by code, weights summing to 1).
    """
    kec = all_kecamatan()
    area = np.array([k.area_km2 for k in kec])
    return tuple(k.kode for k in kec), area / area.sum()


def penduduk_kecamatan() -> np.ndarray:
    """Residents per kecamatan in code order: the regency total spread by area (illustrative, not BPS figures)."""
    return PENDUDUK * kecamatan_weights()[1]


@cache
def kecamatan_names() -> tuple[tuple[str, ...], ...]:
    """For each kecamatan in code order, the ways staff write it: the common name first, then its variants."""
    return tuple((k.nama, *SPELLING_VARIANTS.get(k.kode_bps, ())) for k in all_kecamatan())


def kecamatan_texts(
    rng: np.random.Generator, kecamatan: np.ndarray, name_share: float, bad_share: float
) -> np.ndarray:
    """How a system writes kecamatan: mostly the code, some by name or a spelling variant, rarely a wrong place.

    Args:
        rng: the generator of the records being written.
        kecamatan: indexes into the codes of `kecamatan_weights()`.
        name_share: share written as a name (half of those as a spelling variant where one exists).
        bad_share: share written as a place outside the regency or left empty.

    Returns:
        A string array like `kecamatan`.
    """
    codes, _ = kecamatan_weights()
    names = kecamatan_names()
    n = len(kecamatan)
    u = rng.random(n)
    variant = rng.random(n) < 0.5
    bad = rng.integers(0, len(OUTSIDE_REGENCY), n)
    out = np.array(codes, dtype=object)[kecamatan]
    for i in np.flatnonzero(u < name_share + bad_share).tolist():
        if u[i] < bad_share:
            out[i] = OUTSIDE_REGENCY[bad[i]]
        else:
            spellings = names[kecamatan[i]]
            out[i] = spellings[-1] if variant[i] else spellings[0]
    return out.astype(str)


def opd_texts(rng: np.random.Generator, opd: np.ndarray, name_share: float) -> np.ndarray:
    """How a system writes OPDs: mostly the code, some by common or full name (as in region/opd.py).

    Args:
        rng: the generator of the records being written.
        opd: indexes into `region.opd.OPDS`.
        name_share: share written by name, half of them by the full name.

    Returns:
        A string array like `opd`.
    """
    n = len(opd)
    by_name = rng.random(n) < name_share
    full = rng.random(n) < 0.5
    codes = np.array([o.kode for o in OPDS])[opd]
    common = np.array([o.nama for o in OPDS])[opd]
    longest = np.array([o.nama_lengkap for o in OPDS])[opd]
    return np.where(by_name, np.where(full, longest, common), codes).astype(str)
