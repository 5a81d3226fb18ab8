"""A clear-signed block as a reader pastes it, and what gpg says of it (no database).

`find_armor()` takes the first complete block out of a paste and undoes what forums do to it
(CR line ends, quote or code indentation, trailing blanks); `signed_text()` is what the
signature covers; `read_fields()` reads the attestation our signed copies end with (see
content.exporters.signed_copy); `run_gpg()` has gpg check the block alone, bounded in time, and
reads its machine-readable status lines. content.verification builds the reader's answer on it.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from dataclasses import dataclass

BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----"
SIGNATURE = "-----BEGIN PGP SIGNATURE-----"
END = "-----END PGP SIGNATURE-----"
GPG_TIMEOUT_SECONDS = 10

_POST = re.compile(r"^Post: ([A-Za-z0-9-]+)/([A-Za-z0-9_-]+)\s*$", re.MULTILINE)
_VERSION = re.compile(r"^Version: (\d+)\s*$", re.MULTILINE)
_HASH = re.compile(r"^Content hash: ([0-9a-f]{64})\s*$", re.MULTILINE)
_STATUS_WITHDRAWN = re.compile(r"^Status: withdrawn\s*$", re.MULTILINE)
ANY_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_ARMOR_HEADER = re.compile(r"^Hash: [A-Za-z0-9, -]+$")


# --- The signed block: found, cleaned, read (pure) ----------------------------------------------


@dataclass(frozen=True)
class Armor:
    """The first complete clear-signed block of a paste, as gpg is given it."""

    block: str  # normalised, ending in a newline; "" when the paste holds no complete block
    signed_text: str  # what the signature covers, dash-escaping undone ("" if malformed)
    outside: bool  # the paste had other text before or after the block
    started: bool  # the paste holds a BEGIN line at all


def find_armor(paste: str) -> Armor:
    """The first complete block, tolerant of CRLF/CR line ends, quote or indentation prefixes
    (the text before the BEGIN line, if only blanks and ">"), trailing white space, blank lines
    and a missing final newline."""
    lines = paste.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if BEGIN in line), None)
    if start is None:
        return Armor("", "", outside=bool(paste.strip()), started=False)
    before, _, after = lines[start].partition(BEGIN)
    prefix = before if not before.strip(" \t>") else ""
    outside = bool(before.strip(" \t>") or after.strip() or any(s.strip() for s in lines[:start]))
    block = [BEGIN]
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if prefix and line.startswith(prefix):
            line = line[len(prefix) :]
        elif prefix and not line.strip(" \t>"):
            line = ""
        line = line.rstrip(" \t")  # what OpenPGP ignores at a line's end, and nothing more
        if line.startswith(END) and SIGNATURE in block:
            block.append(END)
            rest = [line[len(END) :], *lines[index + 1 :]]
            outside = outside or any(s.strip() for s in rest)
            text = "\n".join(block) + "\n"
            return Armor(text, signed_text(text), outside=outside, started=True)
        block.append(line)
    return Armor("", "", outside=outside, started=True)


def signed_text(block: str) -> str:
    """The text a clear signature covers (RFC 4880, 7.1), or "" when the block is malformed:
    armor headers other than "Hash:", or a line starting with "-" that is not dash-escaped."""
    lines = block.split("\n")
    try:
        blank = lines.index("", 1)
        end = lines.index(SIGNATURE, blank)
    except ValueError:
        return ""
    if not all(_ARMOR_HEADER.match(line) for line in lines[1:blank]):
        return ""
    body = []
    for line in lines[blank + 1 : end]:
        if line.startswith("- "):
            line = line[2:]
        elif line.startswith("-"):
            return ""
        body.append(line)
    return "\n".join(body)


@dataclass(frozen=True)
class Fields:
    """What a signed text says it is (the signed-text contract's attestation lines)."""

    language: str = ""
    slug: str = ""
    version: int | None = None
    content_hash: str = ""
    hashes: tuple[str, ...] = ()  # any 64-hex runs, for exports older than the attestation
    withdrawal_notice: bool = False


def read_fields(text: str) -> Fields:
    """The attestation is the signed text's last paragraph: lines that look like it in the body
    above (an author may write "Status: withdrawn") are not read. Older exports had none, so any
    64-hex run anywhere may still name a revision."""
    tail = text.rstrip("\n").rsplit("\n\n", 1)[-1]
    post, version, digest = _POST.search(tail), _VERSION.search(tail), _HASH.search(tail)
    return Fields(
        language=post.group(1) if post else "",
        slug=post.group(2) if post else "",
        version=int(version.group(1)) if version else None,
        content_hash=digest.group(1) if digest else "",
        hashes=tuple(dict.fromkeys(ANY_HASH.findall(text))),
        withdrawal_notice=bool(_STATUS_WITHDRAWN.search(tail)),
    )


# --- gpg ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GpgReport:
    outcome: str  # "good", "bad", "no_key", "invalid" or "unavailable"
    fingerprint: str = ""  # primary key of a good signature
    signed_at: datetime.datetime | None = None
    key_revoked: bool = False
    key_expired: bool = False


def run_gpg(block: str, *, gnupghome: str) -> GpgReport:
    """gpg --verify on the block alone, bounded in time, read from its status lines."""
    binary = shutil.which("gpg")
    if binary is None:
        return GpgReport("unavailable")
    command = [binary, "--homedir", gnupghome, "--no-options", "--batch", "--no-tty"]
    command += ["--status-fd", "1", "--no-auto-key-retrieve", "--trust-model", "always"]
    try:
        # The block is the argument's only input, on stdin; no shell is involved.
        done = subprocess.run(  # noqa: S603
            [*command, "--verify"],
            input=block.encode(),
            capture_output=True,
            timeout=GPG_TIMEOUT_SECONDS,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return GpgReport("unavailable")
    report = parse_status(done.stdout.decode("utf-8", "replace"))
    if report.outcome == "good" and done.returncode != 0:
        return GpgReport("invalid")  # gpg said good somewhere but failed overall: trust nothing
    return report


def parse_status(output: str) -> GpgReport:
    """gpg's machine-readable status lines (doc/DETAILS); any bad signature makes it bad."""
    status: dict[str, list[str]] = {}
    signatures = 0
    for line in output.splitlines():
        if line.startswith("[GNUPG:] "):
            keyword, *args = line[9:].split() or [""]
            status.setdefault(keyword, args)
            if keyword == "NEWSIG":
                signatures += 1
    if not status:
        return GpgReport("unavailable")  # gpg said nothing it could stand by (no key store?)
    if "BADSIG" in status:
        return GpgReport("bad")
    if "ERRSIG" in status:
        args = status["ERRSIG"]
        if "NO_PUBKEY" in status or args[5:6] == ["9"]:
            # gpg names the key by fingerprint when the signature carries it, else by key id.
            named = args[6] if len(args) > 6 and args[6] != "-" else args[0]
            return GpgReport("no_key", fingerprint=named.upper())
        return GpgReport("invalid")
    valid = status.get("VALIDSIG")
    if signatures > 1:
        return GpgReport("invalid")  # we sign once; a second signature is not ours to explain
    if not valid or not ({"GOODSIG", "EXPKEYSIG", "REVKEYSIG"} & status.keys()):
        return GpgReport("invalid")
    stamp = valid[2] if len(valid) > 2 else ""
    return GpgReport(
        "good",
        fingerprint=(valid[9] if len(valid) > 9 else valid[0]).upper(),
        signed_at=datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)
        if stamp.isdigit()
        else None,
        key_revoked="REVKEYSIG" in status,
        key_expired="EXPKEYSIG" in status,
    )
