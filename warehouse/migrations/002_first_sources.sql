-- Canonical tables of the first three sources. Instants are UTC (*_utc); beside each, its WIB date (*_tgl) is
-- computed once at load so that no indicator converts time zones. _load_id names the load that wrote the row.

CREATE TABLE perizinan_permohonan (
    id              VARCHAR PRIMARY KEY,
    jenis           VARCHAR NOT NULL,   -- usaha | non_usaha
    nama_izin       VARCHAR NOT NULL,
    kanal           VARCHAR NOT NULL,   -- daring | luring
    kode_kecamatan  VARCHAR NOT NULL,   -- Kemendagri 13.05.xx
    diajukan_utc    TIMESTAMP NOT NULL,
    diajukan_tgl    DATE NOT NULL,
    diputuskan_utc  TIMESTAMP,
    diputuskan_tgl  DATE,
    status          VARCHAR NOT NULL,   -- diproses | terbit | ditolak
    sla_hari_kerja  INTEGER NOT NULL,
    diperbarui_utc  TIMESTAMP NOT NULL,
    _load_id        VARCHAR NOT NULL
);

CREATE TABLE dukcapil_kelahiran (
    id               VARCHAR PRIMARY KEY,
    tanggal_lahir    DATE NOT NULL,
    daftar_utc       TIMESTAMP NOT NULL,
    daftar_tgl       DATE NOT NULL,
    akta_terbit_utc  TIMESTAMP,
    akta_terbit_tgl  DATE,
    kode_kecamatan   VARCHAR NOT NULL,
    kanal            VARCHAR NOT NULL,
    diperbarui_utc   TIMESTAMP NOT NULL,
    _load_id         VARCHAR NOT NULL
);

CREATE TABLE absensi_harian (
    nip          VARCHAR NOT NULL,
    tanggal      DATE NOT NULL,         -- WIB working day
    nama         VARCHAR,
    kode_opd     VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,      -- hadir | izin | sakit | cuti | dinas luar | alpa
    jam_masuk    TIME,                  -- WIB wall-clock
    masuk_menit  INTEGER,               -- minutes after WIB midnight, for engine-neutral comparisons
    jam_pulang   TIME,
    jam_kerja    DECIMAL(5, 2),
    _load_id     VARCHAR NOT NULL,
    PRIMARY KEY (nip, tanggal)
);
