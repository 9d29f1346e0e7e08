"""The regency Pantau serves by default, as reference/region-padang-pariaman.md gives it."""

NAME = "Kabupaten Padang Pariaman"
# Two different code systems; never mix them in one column.
KEMENDAGRI_CODE = "13.05"
BPS_CODE = "1306"
