"""The archive file: a gzip-compressed tar whose first member is `manifest.json`.

Writing is deterministic: members in a fixed order, tar headers with mtime 0, uid and gid 0,
no user or group names, mode 0644, and a gzip header with mtime 0 and no file name. The same
members therefore give the same bytes (with the same zlib), which is what lets a test compare
backup -> restore -> backup byte for byte.

Reading verifies before anything is restored: the manifest must come first and name this
format and version; every member must be listed there, with its size and SHA-256, and every
listed member must be present. Members are extracted to a private temporary directory under
their index, never under their own names, so a hostile name cannot write elsewhere.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

FORMAT = "harmreduction-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class ArchiveError(Exception):
    """The archive cannot be restored; the message says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def canonical(document: Any) -> bytes:
    """JSON as the archive stores it: sorted keys, no spaces, UTF-8, one trailing newline."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _header(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(path: Path, manifest: dict[str, Any], members: list[tuple[str, Path]]) -> None:
    """Write the manifest, then `members` (archive name, file) in the order given."""
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        data = canonical(manifest)
        tar.addfile(_header(MANIFEST, len(data)), io.BytesIO(data))
        for name, source in members:
            with source.open("rb") as stream:
                tar.addfile(_header(name, source.stat().st_size), stream)


@dataclass
class Extracted:
    """A verified archive: its manifest and where each member's bytes were put."""

    manifest: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)

    def rows(self, member: str) -> Iterator[dict[str, Any]]:
        with self.files[member].open("r", encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    def text(self, member: str) -> str:
        return self.files[member].read_text(encoding="utf-8")


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This is not a backup of this application (no manifest of ours).")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive's format version is {version!r}; this version of the application "
            f"reads version {FORMAT_VERSION} only."
        )
    if not isinstance(manifest.get("members"), list):
        raise ArchiveError("The archive's manifest lists no members.")
    return manifest


def _copy(stream: IO[bytes], target: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while block := stream.read(CHUNK):
            digest.update(block)
            size += len(block)
            out.write(block)
    return size, digest.hexdigest()


def _read(path: Path, workdir: Path) -> Extracted:
    extracted: Extracted | None = None
    expected: dict[str, dict[str, Any]] = {}
    with tarfile.open(path, mode="r|gz") as tar:
        for index, member in enumerate(tar):
            if not member.isfile():
                raise ArchiveError(f"The archive holds {member.name!r}, which is not a file.")
            stream = tar.extractfile(member)
            assert stream is not None  # a regular file always has its data
            if extracted is None:
                if member.name != MANIFEST:
                    raise ArchiveError(f"The archive does not start with {MANIFEST}.")
                try:
                    manifest = json.loads(stream.read().decode("utf-8"))
                except ValueError as error:
                    raise ArchiveError(f"The archive's manifest is not JSON: {error}.") from None
                extracted = Extracted(_check_manifest(manifest))
                expected = {m["name"]: m for m in extracted.manifest["members"]}
                continue
            listed = expected.get(member.name)
            if listed is None or member.name in extracted.files:
                raise ArchiveError(f"The archive holds {member.name!r}, which its manifest lacks.")
            target = workdir / f"{index:06d}"
            size, digest = _copy(stream, target)
            if size != listed["size"] or digest != listed["sha256"]:
                raise ArchiveError(
                    f"Member {member.name} is damaged: its SHA-256 or size does not match "
                    "the manifest."
                )
            extracted.files[member.name] = target
    if extracted is None:
        raise ArchiveError("The archive is empty.")
    missing = sorted(set(expected) - set(extracted.files))
    if missing:
        raise ArchiveError(f"The archive is incomplete: {', '.join(missing)} missing.")
    return extracted


def read_archive(path: Path, workdir: Path) -> Extracted:
    """Extract and verify the whole archive into `workdir`, or raise ArchiveError."""
    if not path.is_file():
        raise ArchiveError(f"No archive at {path}.")
    try:
        return _read(path, workdir)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveError(
            f"The archive is damaged or truncated ({error or type(error).__name__})."
        ) from None
