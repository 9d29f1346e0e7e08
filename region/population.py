"""The regency's population: the one official figure at hand (none per kecamatan; see the region reference)."""

# Padang Pariaman Dalam Angka 2025 (BPS), via the region reference.
PENDUDUK = 451_388.0
