"""Files an operator uploads for a file source: staged privately, previewed without writing the warehouse, then
loaded exactly as previewed (the same bytes, checked by hash) or discarded.

A staged file lives in `<warehouse folder>/.unggahan/<random id>/` under a name made from its stream's file pattern
(never the client's name, which is kept only as text to show), with what its preview found beside it. Staged files
expire after UPLOAD_EXPIRES and are cleaned whenever another upload is staged or listed.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from config.sources import SourceConfig
from spreadsheets import describe_size

STAGING_DIR = ".unggahan"
UPLOAD_EXPIRES = dt.timedelta(hours=1)
# An upload goes through the web server, held in memory: larger files belong in the source's drop folder.
UPLOAD_MAX_BYTES = 32 * 1024 * 1024
_ID = re.compile(r"[0-9a-f]{32}")
META, PREVIEW = "unggahan.json", "pratinjau.json"


class UploadRefused(ValueError):
    """An upload that cannot be staged or loaded: the message says why, naming the file."""


class UnknownUpload(KeyError):
    """No staged upload has this id (never staged, expired, loaded or discarded)."""


@dataclass(frozen=True)
class Staged:
    """A staged upload: where it is and what it was when staged."""

    upload_id: str
    source: str
    stream: str
    path: Path
    sha256: str
    size_bytes: int
    client_name: str
    staged_at: dt.datetime  # UTC, aware

    @property
    def folder(self) -> Path:
        return self.path.parent

    def as_dict(self) -> dict:
        return {"id": self.upload_id, "source": self.source, "stream": self.stream, "sha256": self.sha256, "size_bytes": self.size_bytes,
                "client_name": self.client_name, "staged_at": self.staged_at.isoformat(),
                "expires_at": (self.staged_at + UPLOAD_EXPIRES).isoformat()}


def upload_limit(source: SourceConfig) -> int:
    """The largest file an upload for `source` may be: its own file limit, within what the web server holds."""
    return min(int(source.max_file_bytes), UPLOAD_MAX_BYTES)


def stream_for(name: str, source: SourceConfig, client_name: str, stream: str | None = None) -> str:
    """The stream an uploaded file is for: the one named, the source's only one, or the one whose pattern the file's name fits.

    Raises:
        UploadRefused: a source that takes no files, or a file whose stream cannot be told.
    """
    if source.kind != "file":
        raise UploadRefused(f"sumber {name} bukan sumber berkas ({source.kind}); unggahan hanya untuk sumber berkas")
    if stream is not None:
        if stream not in source.streams:
            raise UploadRefused(f"sumber {name} tidak punya aliran '{stream}'; yang ada: {', '.join(source.streams)}")
        return stream
    if len(source.streams) == 1:
        return next(iter(source.streams))
    fitting = [s for s, st in source.streams.items() if fnmatch.fnmatch(client_name, st.location)]
    if len(fitting) != 1:
        patterns = ", ".join(f"{s} ({st.location})" for s, st in source.streams.items())
        raise UploadRefused(f"berkas {client_name}: aliran sumber {name} tidak jelas dari namanya; pilih salah satu: {patterns}")
    return fitting[0]


def _staged_name(pattern: str, upload_id: str, fmt: str) -> str:
    """A file name that the stream's pattern takes ("spbe_penilaian_mandiri_*.csv" -> "spbe_penilaian_mandiri_unggah-ab12cd34.csv")."""
    name = re.sub(r"\[[^\]]*\]|[*?]", "", pattern.replace("*", f"unggah-{upload_id[:8]}", 1)).replace("/", "_")
    if not fnmatch.fnmatch(name, pattern):
        name = f"unggah-{upload_id[:8]}.{fmt}"
    return name


class UploadStaging:
    """The private staging folder of one warehouse."""

    def __init__(self, warehouse_path: Path, clock=lambda: dt.datetime.now(dt.UTC)) -> None:
        self.root = warehouse_path.parent / STAGING_DIR
        self._clock = clock

    def stage(self, name: str, source: SourceConfig, stream: str, content: bytes, client_name: str) -> Staged:
        """Keep `content` as a new upload for the stream, refused when larger than the source's limit."""
        self.expire()
        limit = upload_limit(source)
        if len(content) > limit:
            raise UploadRefused(f"berkas {client_name}: {describe_size(len(content))}, melebihi batas unggahan {describe_size(limit)} (max_file_bytes)")
        upload_id = secrets.token_hex(16)
        self.root.mkdir(mode=0o700, exist_ok=True)
        folder = self.root / upload_id
        folder.mkdir(mode=0o700)
        path = folder / _staged_name(source.streams[stream].location, upload_id, source.format)
        path.write_bytes(content)
        staged = Staged(upload_id, name, stream, path, hashlib.sha256(content).hexdigest(), len(content), client_name[:200], self._clock())
        meta = {k: v for k, v in staged.as_dict().items() if k != "expires_at"} | {"file": path.name}
        (folder / META).write_text(json.dumps(meta), encoding="utf-8")
        return staged

    def get(self, source: str, upload_id: str) -> Staged:
        """The staged upload `upload_id` of `source`.

        Raises:
            UnknownUpload: none staged (or it expired).
        """
        folder = self.root / upload_id
        if not _ID.fullmatch(upload_id or "") or not (folder / META).is_file():
            raise UnknownUpload(f"unggahan {upload_id[:40]} tidak ada (sudah dimuat, dibatalkan atau kedaluwarsa)")
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        staged = Staged(upload_id, meta["source"], meta["stream"], folder / meta["file"], meta["sha256"], meta["size_bytes"],
                        meta["client_name"], dt.datetime.fromisoformat(meta["staged_at"]))
        if staged.source != source:
            raise UnknownUpload(f"unggahan {upload_id} bukan untuk sumber {source}")
        if self._clock() - staged.staged_at > UPLOAD_EXPIRES:
            self.discard(upload_id)
            raise UnknownUpload(f"unggahan {upload_id} kedaluwarsa (lebih dari {int(UPLOAD_EXPIRES.total_seconds() // 60)} menit); unggah lagi")
        return staged

    def check_unchanged(self, staged: Staged) -> bytes:
        """The staged bytes, when they are still those previewed.

        Raises:
            UploadRefused: the file changed or went missing since its preview.
        """
        try:
            content = staged.path.read_bytes()
        except FileNotFoundError:
            raise UploadRefused(f"berkas unggahan {staged.client_name} sudah tidak ada di folder unggahan") from None
        if hashlib.sha256(content).hexdigest() != staged.sha256:
            raise UploadRefused(f"berkas unggahan {staged.client_name} berubah sejak pratinjaunya; tidak dimuat. Unggah lagi untuk pratinjau baru")
        return content

    def keep_preview(self, staged: Staged, preview: dict) -> None:
        """Keep what the preview found beside the file, so the page can show it again without reading the file."""
        (staged.folder / PREVIEW).write_text(json.dumps(preview, default=str), encoding="utf-8")

    def preview_of(self, staged: Staged) -> dict:
        try:
            return json.loads((staged.folder / PREVIEW).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UnknownUpload(f"pratinjau unggahan {staged.upload_id} tidak ada; unggah lagi") from None

    def discard(self, upload_id: str) -> bool:
        """Remove a staged upload and everything in its folder; False when there was none."""
        if not _ID.fullmatch(upload_id or ""):
            return False
        folder = self.root / upload_id
        if not folder.is_dir():
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True

    def expire(self) -> list[str]:
        """Remove the uploads staged longer ago than UPLOAD_EXPIRES (and folders left without their record)."""
        if not self.root.is_dir():
            return []
        removed = []
        for folder in self.root.iterdir():
            meta = folder / META
            try:
                staged_at = dt.datetime.fromisoformat(json.loads(meta.read_text(encoding="utf-8"))["staged_at"])
            except (OSError, ValueError, KeyError):
                staged_at = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
            if self._clock() - staged_at > UPLOAD_EXPIRES:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed
