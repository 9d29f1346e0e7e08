"""Facts about the region Pantau serves: kecamatan, OPDs and the working-day calendar, read from `data/region/`."""
