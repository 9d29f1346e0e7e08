"""Every setting, declared once with its default and help text.

The README's configuration section documents each of them (a test fails when one is missing). Secrets are never
settings themselves: a setting names the environment variable that holds them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from config.durations import Duration, at_least
from config.sources import CheckConfig, DeriveConfig, FieldConfig, SkipRule, SourceConfig, StreamConfig
from region.opd import BUILTIN, OPD, Directory

# Each wall refresh, page turn and reload costs the server a render: a typo such as "0.001s" must not turn every
# screen into a flood of requests. Sources change in minutes; the floors only stop the absurd.
Refresh = Annotated[Duration, at_least(dt.timedelta(seconds=1))]
Dwell = Annotated[Duration, at_least(dt.timedelta(seconds=2))]
Reload = Annotated[Duration, at_least(dt.timedelta(seconds=5))]
_ORIGIN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(_Section):
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8050, ge=0, le=65535, description="Port the web server listens on (0: any free port).")
    threads: int = Field(
        16, ge=12, le=64,
        description="Worker threads of the WSGI server; at least 12, since up to 10 may be held by work made on request (two "
        "queries and one print, with their lines) and the rest keep the wall and health answering.",
    )
    operator_token_env: str = Field(
        "PANTAU_OPERATOR_TOKEN",
        description="Environment variable holding the operator token that control actions (ingest now) require. "
        "When it is unset, the server makes a token at start and keeps it in the warehouse folder for local CLI use.",
    )
    embed_origins: list[Annotated[str, Field(pattern=_ORIGIN)]] = Field(
        default_factory=list,
        description="Origins allowed to show Pantau's pages in a frame, e.g. [\"https://portal.padangpariamankab.go.id\"]. "
        "Empty: no site may frame them.",
    )
    metrics_token_env: str = Field(
        "PANTAU_METRICS_TOKEN",
        description="Environment variable holding the bearer token that /metrics (Prometheus) requires. When it is unset, "
        "/metrics answers only requests from this machine (loopback).",
    )


class WarehouseSettings(_Section):
    path: str = Field("data/pantau.duckdb", description="DuckDB warehouse file; relative paths are under the project root.")
    min_free_mb: int = Field(
        500, ge=0, description="Free space on the warehouse's disk below which loads stop (health turns red) before a write fails half-way; "
        "they resume once space is freed."
    )
    memory_limit_mb: int = Field(
        1024, ge=128, description="Memory DuckDB may hold (cached blocks, indexes, rows not yet checkpointed, queries' working memory); "
        "beyond it a query spills to the folder <warehouse>.tmp beside the file instead of growing the server."
    )


class AlertSettings(_Section):
    webhook_url_env: str | None = Field(
        None,
        description="Environment variable holding the URL that each change of a source's state is POSTed to as JSON "
        "(the URL may carry a secret, so it is never in the file). Empty, or the variable unset: no webhook.",
    )
    smtp_host: str | None = Field(None, description="SMTP server that alert e-mail goes through; empty: no e-mail.")
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(True, description="Switch the SMTP connection to TLS (STARTTLS) before signing in or sending.")
    smtp_user_env: str | None = Field(None, description="Environment variable holding the SMTP user name; empty: send without signing in.")
    smtp_password_env: str | None = Field(None, description="Environment variable holding the SMTP password.")
    mail_from: str = Field("pantau@localhost", description="Sender address of alert e-mail.")
    mail_to: list[str] = Field(default_factory=list, description="Recipients of alert e-mail; required with smtp_host.")
    check_every: Annotated[Duration, at_least(dt.timedelta(seconds=5))] = Field(
        dt.timedelta(minutes=1), description="How often sources' states are checked without a load (a source turns stale with none); every load is checked as it ends."
    )
    min_interval: Duration = Field(
        dt.timedelta(minutes=15),
        description="Shortest time between two messages about one source on one channel: a flapping source sends one, and a "
        "change back within it is told once it is over, if it still holds.",
    )
    timeout: Annotated[Duration, at_least(dt.timedelta(seconds=1))] = Field(
        dt.timedelta(seconds=10), description="Time limit of one delivery (webhook request or SMTP conversation)."
    )
    max_attempts: int = Field(
        10, ge=1, le=100, description="Deliveries of one message tried at most, at later checks with a doubling wait (up to 30 min); then it is dropped and logged."
    )
    server_name: str | None = Field(None, description="The server's name in messages; empty: the machine's host name.")
    dashboard_url: str | None = Field(None, description="The dashboard's address in messages, as its readers reach it; empty: the address the server listens on.")

    @model_validator(mode="after")
    def _recipients(self) -> AlertSettings:
        if self.smtp_host and not self.mail_to:
            raise ValueError("smtp_host is set but mail_to names no recipient")
        return self

    @property
    def configured(self) -> bool:
        """Whether any channel is set up (a webhook variable named, or an SMTP server)."""
        return bool(self.webhook_url_env or self.smtp_host)


class RegionSettings(_Section):
    kode: str = Field("13.05", pattern=r"^\d{2}\.\d{2}$", description="Kemendagri code of the regency or city this Pantau serves "
                      "(13.05: Kabupaten Padang Pariaman); a Parquet export carries it on every row. Its name and kecamatan come from data/region/.")

    @model_validator(mode="after")
    def _known(self) -> RegionSettings:
        from region.province import region

        region(self.kode)  # a ValueError names the codes there are
        return self


class AccessSettings(_Section):
    session_hours: float = Field(12, gt=0, le=24 * 30, description="A sign-in session ends this many hours after it began (the cookie's Max-Age).")
    idle_minutes: float = Field(60, gt=0, le=24 * 60, description="A session unused this many minutes ends.")
    lockout_attempts: int = Field(5, ge=1, le=100, description="Failed sign-ins in a row after which an account is locked.")
    lockout_minutes: float = Field(15, gt=0, le=24 * 60, description="How long a locked account stays locked (an admin may unlock it sooner: app.py user unlock).")
    address_attempts: int = Field(20, ge=1, le=10_000, description="Failed sign-ins one client address may make within lockout_minutes, whatever names it tries.")
    personal_roles: list[Literal["viewer", "analyst", "operator", "admin"]] = Field(
        default_factory=lambda: ["admin"], description="Roles that see personal identifiers (NIK, NIP, names) unmasked in records (UU 27/2022)."
    )
    records_role: Literal["viewer", "analyst", "operator", "admin"] = Field(
        "analyst", description="The least role that may see and download record-level data (records, rejects, data packs)."
    )
    secret_key_env: str = Field(
        "PANTAU_SECRET_KEY",
        description="Environment variable holding the key session cookies are signed with. When it is unset, a key is made once and "
        "kept (mode 600) in the warehouse folder, so sessions outlive a restart.",
    )
    identity_provider: Literal["local"] = Field(
        "local", description="Who checks names and passwords: local (accounts in the warehouse, app.py user ...). Single sign-on may be added here."
    )


class ProvinceSettings(_Section):
    rollup_warehouse: str | None = Field(None, description="Rollup warehouse (written by app.py rollup) the /provinsi page reads; "
                                         "relative paths are under the project root. Empty: the page says there is none.")


class SimulatorSettings(_Section):
    seed: int = Field(2019, description="Seed of the simulated OPD systems: the same seed gives the same records.")
    history_days: int = Field(800, ge=30, le=4000, description="Days of history the simulated systems hold at start.")
    data_dir: str = Field("data/sim", description="Folder for the simulated systems' own files (SQLite database, CSV drops).")
    port: int = Field(0, ge=0, le=65535, description="Port of the simulated REST systems (0: any free port).")
    sync_every: Duration = Field(dt.timedelta(seconds=30), description="How often the simulated systems add new records.")
    # Daily summaries by default: raw check-ins give the same daily records (measured), but twice the rows make the
    # embedded default's first values come about twice as late (about 90 s against 45 s on a busy 2-core machine).
    absensi_export: Literal["harian", "presensi"] = Field(
        "harian", description="What the simulated attendance machines drop: harian (daily summaries) or presensi (raw check-ins, staff list, leave records)."
    )


class PlaylistItem(_Section):
    # The wall pages are the ones registered under dashboard/pages/wall; the server checks names against them at start.
    page: str = Field(pattern=r"^[a-z0-9_]+$", description="Wall page: ringkasan, layanan, aparatur, peta, spbe, masterplan, or any page added under dashboard/pages/wall.")
    dwell: Dwell = Field(dt.timedelta(seconds=30), description="How long the page stays before the next (at least 2s).")
    indikator: str | None = Field(None, description="For peta: the indicator the kecamatan are coloured by (default wall.map_indicator).")


class KioskSettings(_Section):
    navigation: bool = Field(False, description="Show links to the wall pages on the wall (for setting a screen up).")
    language_switch: bool = Field(False, description="Show the ID/EN switch on the wall.")
    page_dots: bool = Field(True, description="Show where the playlist is: one dot per page, the current one lit.")
    clock: bool = Field(True, description="Show the WIB clock.")
    alerts: bool = Field(True, description="Show the alert strip at the foot of every page.")
    hide_cursor: bool = Field(True, description="Hide the mouse pointer over the wall.")


class WallSettings(_Section):
    refresh_every: Refresh | None = Field(
        None,
        description="How often wall pages fetch new values (at least 1s). Unset: half the shortest source schedule, between 15 s and 2 min, "
        "so the wall follows the data without asking more often than it can change.",
    )
    reload_every: Reload = Field(dt.timedelta(hours=6), description="Full page reload as memory hygiene, only when the server answers (at least 5s).")
    map_indicator: str = Field("izin_tepat_waktu", description="Indicator the peta page colours the kecamatan by, unless a playlist item names one.")
    kiosk: KioskSettings = Field(default_factory=KioskSettings, description="Which kiosk chrome shows on /wall (all of it shows with ?kiosk=0).")
    screens: dict[str, list[PlaylistItem]] = Field(
        default_factory=dict,
        description="Playlists by screen: /wall?screen=2 plays screens.2. With none, every screen plays every wall page for 30 s each. "
        "Changes in the file reach running screens within a refresh.",
    )


class CalendarSettings(_Section):
    extra_holidays: list[dt.date] = Field(
        default_factory=list,
        description="Dates (YYYY-MM-DD) that are not working days beyond the national holidays and cuti bersama: a regional "
        "holiday, or a later amendment of the SKB. SLA clocks skip them.",
    )
    removed_holidays: list[dt.date] = Field(
        default_factory=list, description="National-list dates to count as working days (a cancelled cuti bersama)."
    )


class IndicatorSettings(_Section):
    target: float | None = Field(None, description="The indicator's target, replacing the built-in one.")
    target_basis: str | None = Field(None, description="Where the target comes from (a regulation, or \"target daerah\").")
    green: float | None = Field(None, description="Green threshold: at or beyond it (in the good direction) the status is green.")
    amber: float | None = Field(None, description="Amber threshold: at or beyond it the status is amber, red otherwise.")
    params: dict[str, float] = Field(
        default_factory=dict,
        description="Numbers the indicator's query takes, by name: penduduk (residents) for kunjungan_puskesmas and "
        "sampah_terangkut, kg_per_orang_per_hari for sampah_terangkut.",
    )


class OpdSettings(_Section):
    nama: str = Field(min_length=1, description="Common name, as screens show it (\"Dinas Perhubungan\").")
    nama_lengkap: str | None = Field(None, description="Full name; unset: the common name.")
    variants: list[str] = Field(default_factory=list, description="Other names OPD systems write for it (\"Dishub\", \"Dinas Perhubungan Kab. Padang Pariaman\").")


_SLIDE_KEY = r"^[a-z0-9][a-z0-9-]{0,39}$"


class TextSlide(_Section):
    key: str = Field(pattern=_SLIDE_KEY, description="The slide's key, to name it in paparan.slides (lower case, digits, hyphens).")
    title: str = Field(min_length=1, max_length=120, description="The slide's title.")
    body: list[Annotated[str, Field(max_length=400)]] = Field(default_factory=list, max_length=8, description="Its paragraphs (at most 8).")
    bullets: bool = Field(False, description="Show the paragraphs as a list.")
    notes: list[str] = Field(default_factory=list, description="What the presenter says, for the notes.")


class FlagshipService(_Section):
    key: str = Field(pattern=_SLIDE_KEY, description="The slide's key (dampak-KEY in paparan.slides).")
    name: str = Field(min_length=1, max_length=80, description="The service as citizens know it (\"Perizinan daring\").")
    name_en: str = Field("", max_length=80, description="Its English name (unset: the Indonesian one).")
    indicators: list[str] = Field(min_length=1, max_length=4, description="Indicator ids that show what citizens gained (1 to 4).")
    gained: str = Field("", max_length=300, description="What citizens gained, in a sentence, for the slide and its notes.")
    gained_en: str = Field("", max_length=300, description="The same in English.")


class QuickWin(_Section):
    name: str = Field(min_length=1, max_length=80, description="The quick win's name (\"SIKAP\").")
    about: str = Field("", max_length=300, description="What it is and what it changed.")
    dimension: str = Field("", description="The smart-city dimension it belongs to (\"Smart Governance\").")
    year: int | None = Field(None, ge=2015, le=2100, description="The evaluation year it was presented in.")
    indicators: list[str] = Field(default_factory=list, max_length=3, description="Indicator ids that evidence it (at most 3).")


class Foundation(_Section):
    name: str = Field(min_length=1, max_length=160, description="The regulation or institution (\"Perbup ... tentang Masterplan Smart City\").")
    year: int | None = Field(None, ge=1990, le=2100, description="The year it was set up.")
    about: str = Field("", max_length=200, description="What it does for the masterplan.")


class PreviousEvaluation(_Section):
    year: int = Field(ge=2015, le=2100, description="The year of the previous smart-city evaluation.")
    programmes_done: int = Field(ge=0, description="Masterplan programmes carried out by then.")
    programmes_total: int = Field(ge=1, description="Masterplan programmes in all by then.")
    source: str = Field(min_length=1, description="Where these numbers come from (the evaluation report).")


DEFAULT_FLAGSHIPS = [
    FlagshipService(key="izin", name="Perizinan daring", name_en="Online licensing", indicators=["izin_tepat_waktu", "izin_durasi_median", "izin_daring"],
                    gained="Permohonan izin diajukan dari rumah dan diputus dalam batas waktu layanan.",
                    gained_en="Licences are applied for from home and decided within the service deadline."),
    FlagshipService(key="dukcapil", name="Akta kelahiran dan kematian", name_en="Birth and death registration",
                    indicators=["lahir_tercatat_60h", "kematian_tercatat_30h", "akta_terbit_median"],
                    gained="Kelahiran dan kematian tercatat tepat waktu, banyak yang dilayani secara daring.",
                    gained_en="Births and deaths are registered on time, many of them online."),
    FlagshipService(key="aduan", name="Pengaduan daring", name_en="Online complaints", indicators=["aduan_selesai_60h", "aduan_verifikasi_3hk", "aduan_tertunggak"],
                    gained="Aduan warga diverifikasi cepat dan diselesaikan dalam 60 hari.",
                    gained_en="Citizens' complaints are verified quickly and resolved within 60 days."),
    FlagshipService(key="tte", name="Tanda tangan elektronik", name_en="Digital signatures", indicators=["tte_porsi", "tte_gagal"],
                    gained="Surat keluar ditandatangani secara elektronik dengan sertifikat BSrE, tanpa menunggu berkas fisik.",
                    gained_en="Outgoing letters are signed electronically with BSrE certificates, without waiting for paper."),
    FlagshipService(key="absensi", name="E-absensi ASN", name_en="Staff e-attendance", indicators=["absensi_kehadiran", "absensi_tepat_waktu", "asn_ambang_sanksi"],
                    gained="Kehadiran ASN tercatat setiap hari, sehingga layanan buka tepat waktu.",
                    gained_en="Staff attendance is recorded every day, so services open on time."),
]
DEFAULT_SLIDES = ["judul", "agenda", "baseline", "output", "outcome-program", "outcome-opd", "outcome-dimensi", "outcome-indikator",
                  "dampak", "quick-win", "spbe", "spbe-aspek", "spbe-rencana", "sumber", "penutup"]


class PaparanSettings(_Section):
    title: str = Field("Kemajuan Masterplan Smart City", min_length=1, max_length=120, description="The deck's title, and a new snapshot's title by default.")
    event: str = Field("Evaluasi Gerakan Menuju Smart City", max_length=120, description="The event the deck is presented at.")
    presenter: str = Field("Sekretaris Daerah", max_length=120, description="Who presents it.")
    theme: Literal["terang", "gelap"] = Field("terang", description="The deck's default theme: terang (light, prints well) or gelap (dark, as the wall).")
    slides: list[Annotated[str, Field(pattern=_SLIDE_KEY)]] = Field(
        default_factory=lambda: list(DEFAULT_SLIDES),
        description="The slides in order, by key: judul, agenda, baseline, output, outcome-program, outcome-opd, outcome-dimensi, outcome-indikator, dampak "
        "(one slide per flagship service; dampak-KEY for one), quick-win, spbe, spbe-aspek, spbe-rencana, sumber, penutup, and the keys of paparan.text slides.",
    )
    text: list[TextSlide] = Field(default_factory=list, description="Custom text slides, placed by their key in paparan.slides.")
    flagships: list[FlagshipService] = Field(default_factory=lambda: list(DEFAULT_FLAGSHIPS),
                                             description="The flagship services, one impact slide each.")
    quick_wins: list[QuickWin] = Field(
        default_factory=lambda: [QuickWin(name="SIKAP", about="Sistem Informasi Kinerja Aparatur: kinerja dan kehadiran ASN terpantau setiap hari.",
                                          dimension="Smart Governance", year=2024, indicators=["absensi_kehadiran", "absensi_tepat_waktu"])],
        description="The quick wins the regency presents (default: SIKAP, the 2024 quick win).",
    )
    regulations: list[Foundation] = Field(default_factory=list, description="Regulations behind the masterplan (output component).")
    institutions: list[Foundation] = Field(default_factory=list, description="Institutions that run it, e.g. the smart-city council (output component).")
    previous_evaluation: PreviousEvaluation | None = Field(
        default_factory=lambda: PreviousEvaluation(year=2024, programmes_done=44, programmes_total=62,
                                                   source="Evaluasi Smart City 2024"),
        description="The previous evaluation's programme count, for the baseline slide.",
    )
    evaluation_version: str = Field("2024", description="Which component weights the deck states (metrics/smartcity/evaluations/).")
    max_snapshots: int = Field(500, ge=1, le=100_000, description="Snapshots kept at most; making one more is refused until an operator deletes some.")


class Config(_Section):
    server: ServerSettings = Field(default_factory=ServerSettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)
    region: RegionSettings = Field(default_factory=RegionSettings)
    province: ProvinceSettings = Field(default_factory=ProvinceSettings)
    simulator: SimulatorSettings = Field(default_factory=SimulatorSettings)
    wall: WallSettings = Field(default_factory=WallSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    paparan: PaparanSettings = Field(default_factory=PaparanSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    access: AccessSettings = Field(default_factory=AccessSettings)
    indicators: dict[str, IndicatorSettings] = Field(
        default_factory=dict, description="Operator overrides of indicators' targets, thresholds and parameters, [indicators.ID]."
    )
    opd: dict[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")], OpdSettings] = Field(
        default_factory=dict,
        description="Agencies added to the built-in list (region/opd.py), or renamed, by code: [opd.DISHUB]; codes are upper case.",
    )
    sources: dict[str, SourceConfig] = Field(description="One table per OPD source, [sources.NAME]; the built-in contracts when the file has none.")

    @property
    def enabled_sources(self) -> dict[str, SourceConfig]:
        return {name: s for name, s in self.sources.items() if s.enabled}

    @property
    def needs_simulator(self) -> bool:
        return any(s.simulated for s in self.enabled_sources.values())

    def opd_directory(self) -> Directory:
        """The built-in agencies with the configured ones added or renamed.

        Raises:
            ValueError: when a configured name already stands for another agency.
        """
        added = {code.upper(): OPD(code.upper(), o.nama, o.nama_lengkap or o.nama, tuple(o.variants)) for code, o in self.opd.items()}
        return BUILTIN.with_added(added)


def documented_settings() -> list[tuple[str, object, str]]:
    """Every setting as (dotted name, default, help); sources are listed as sources.NAME.key and below."""
    rows: list[tuple[str, object, str]] = []
    for section_name, section in Config.model_fields.items():
        if section_name in ("sources", "indicators", "opd"):
            continue
        for key, field in section.annotation.model_fields.items():  # type: ignore[union-attr]
            rows.append((f"{section_name}.{key}", field.get_default(call_default_factory=True), field.description or ""))
    nested = (
        ("wall.kiosk", KioskSettings),
        ("wall.screens.N[]", PlaylistItem),
        ("paparan.text[]", TextSlide),
        ("paparan.flagships[]", FlagshipService),
        ("paparan.quick_wins[]", QuickWin),
        ("paparan.regulations[]", Foundation),
        ("paparan.previous_evaluation", PreviousEvaluation),
        ("indicators.ID", IndicatorSettings),
        ("opd.KODE", OpdSettings),
        ("sources.NAME", SourceConfig),
        ("sources.NAME.streams.STREAM", StreamConfig),
        ("sources.NAME.streams.STREAM.fields.FIELD", FieldConfig),
        ("sources.NAME.streams.STREAM.checks[]", CheckConfig),
        ("sources.NAME.streams.STREAM.skip_rows[]", SkipRule),
        ("sources.NAME.derive.NAME", DeriveConfig),
    )
    for prefix, model in nested:
        for key, field in model.model_fields.items():
            rows.append((f"{prefix}.{field.alias or key}", field.get_default(call_default_factory=True), field.description or ""))
    return rows
