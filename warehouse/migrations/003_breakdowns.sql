-- Each stored indicator value broken down by OPD, kecamatan and its other breakdowns, for the wall's
-- "by OPD" panels and the map: computed with the value after a load, never per request.
CREATE TABLE indicator_breakdowns (
    indicator_id VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    dimension    VARCHAR NOT NULL,   -- the breakdown column: kode_opd, kode_kecamatan, dimensi, tahap
    member       VARCHAR NOT NULL,   -- its value: an OPD code, a kecamatan code, ...
    value        DOUBLE,
    numerator    DOUBLE,
    denominator  DOUBLE,
    PRIMARY KEY (indicator_id, period, dimension, member)
);
