"""Kecamatan codes and the share of activity each gets in the simulation."""

from __future__ import annotations

from functools import cache

import numpy as np

from region.kecamatan import all_kecamatan


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
