"""The parse cache: what files that loaded cleanly were parsed to, so that they need neither
YAML nor pydantic again while their bytes stay the same."""

from __future__ import annotations

import marshal
import zlib
from pathlib import Path
from typing import Any

from tracker import __version__
from tracker.files import WriteError, write_file


class ParseCache:
    """Parsed YAML of files that loaded cleanly, keyed by path and the file's bytes.

    Parsing YAML and validating it are the slow part of start-up. A cached
    roadmap holds the validated data and the shared skill keys it uses; only
    those are checked again on every load (the shared skills may have changed:
    if one is gone, the file is read again to report it at its line; every
    other reference lies within the unchanged file). The key is the file's
    content, not its time and size, which an edit can keep (``cp -p``, ``rsync
    -t``, ``touch -d``); a checksum of it is cheap next to parsing. A file with
    any problem is never served from the cache, so its errors are always reported
    from the YAML itself. Each roadmap folder has a cache file of its own in
    ``folder``, read when one of its files is first asked for, so a big folder
    of your own never slows down loading another. A cache file is checked
    whole (a checksum of its contents, then its shape): one that is truncated,
    corrupt or of another version is ignored and rewritten; one that cannot be
    read or written is ignored.
    """

    MAGIC = f"tracker parse cache 5 of tracker {__version__}\n".encode()
    """The first line of a cache file: a cache from another release, whose checks may differ, is ignored."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._entries: dict[str, dict[str, tuple[int, Any]]] = {}
        """Per roadmap folder: path -> (fingerprint of the file's bytes, data)."""
        self._dirty: set[str] = set()

    def _file(self, source: str) -> Path:
        assert self.folder is not None
        digest = zlib.crc32(source.encode("utf-8", "surrogatepass"))  # the file names its folder inside
        return self.folder / f"{digest:08x}.marshal"

    def _folder_entries(self, path: Path) -> dict[str, tuple[int, Any]]:
        source = str(path.parent)
        entries = self._entries.get(source)
        if entries is None:
            entries = self._entries[source] = self._read(source) if self.folder is not None else {}
        return entries

    def _read(self, source: str) -> dict[str, tuple[int, Any]]:
        """The entries of ``source``'s cache file, or none if it is missing or not one we wrote."""
        try:
            blob = self._file(source).read_bytes()
        except OSError:
            return {}
        header = len(self.MAGIC) + 4
        payload = memoryview(blob)[header:]  # not a copy of a megabyte
        if blob[:header] != self.MAGIC + zlib.crc32(payload).to_bytes(4, "big"):
            return {}
        try:
            stored = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}
        entries = (
            stored.get("entries") if isinstance(stored, dict) and stored.get("source") == source else None
        )
        if not isinstance(entries, dict):
            return {}
        return {
            path: entry
            for path, entry in entries.items()
            if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], int)
        }

    def get(self, path: Path, content: bytes) -> Any | None:
        """What was parsed from ``path`` when it held ``content``, if anything."""
        entry = self._folder_entries(path).get(str(path))
        return entry[1] if entry is not None and entry[0] == _fingerprint(content) else None

    def has_entry(self, path: Path) -> bool:
        """Whether ``path`` was parsed into the cache at all (whatever it held then)."""
        return str(path) in self._folder_entries(path)

    def put(self, path: Path, content: bytes, data: Any) -> None:
        """Remember ``data`` as what ``path`` holding ``content`` parses to."""
        self._folder_entries(path)[str(path)] = (_fingerprint(content), data)
        self._dirty.add(str(path.parent))

    def refresh(self) -> None:
        """Take in what another process saved since the entries were read (ours win)."""
        if self.folder is not None:
            for source, entries in self._entries.items():
                self._entries[source] = {**self._read(source), **entries}

    def save(self) -> None:
        """Write the cache files that changed (atomically; failures are ignored)."""
        if self.folder is None:
            return
        for source in sorted(self._dirty):
            try:
                payload = marshal.dumps({"source": source, "entries": self._entries[source]})
                self.folder.mkdir(parents=True, exist_ok=True)
                header = self.MAGIC + zlib.crc32(payload).to_bytes(4, "big")
                write_file(self._file(source), header + payload, sync=False)  # checked when read
            except (OSError, ValueError, WriteError):
                continue
            self._dirty.discard(source)


def _fingerprint(content: bytes) -> int:
    """What tells two contents of one file apart: their length and CRC-32.

    Not a defence against someone forging a file (who could edit it anyway), but
    an accidental edit that keeps both has a chance of one in four billion. As
    fast as SHA-1 and needs no hashlib, whose OpenSSL import alone costs more
    than hashing every bundled roadmap.
    """
    return len(content) << 32 | zlib.crc32(content)
