"""Zip archives someone else made (.docx, .xlsx): refuse a zip bomb before anything is inflated.

The check reads only the archive's directory. The zip reader stops at each part's declared size
(a part that inflates further fails its CRC), so the declared sizes bound what parsing may use.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ZipLimits:
    """A long report or chronology with pictures is well under these; a zip bomb is far over."""

    parts: int = 5_000
    total_bytes: int = 300 * 1024 * 1024
    part_bytes: int = 100 * 1024 * 1024
    ratio: int = 100  # unpacked / packed, for parts over ratio_from_bytes
    ratio_from_bytes: int = 1024 * 1024


ZIP_LIMITS = ZipLimits()


def zip_problem(path: Path, kind: str, limits: ZipLimits = ZIP_LIMITS) -> str | None:
    """Why ``path`` may not be unpacked (``kind``: "DOCX", "XLSX"), or None when it may."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"{path}: not a readable {kind} file ({exc})"
    if len(parts) > limits.parts:
        return f"{path}: {len(parts):,} parts in the archive (at most {limits.parts:,})"
    total = sum(p.file_size for p in parts)
    if total > limits.total_bytes:
        return f"{path}: would unpack to {total / 1048576:,.0f} MB (at most {limits.total_bytes / 1048576:,.0f} MB)"
    for p in parts:
        ratio = p.file_size / max(p.compress_size, 1)
        if p.file_size > limits.part_bytes or (p.file_size > limits.ratio_from_bytes and ratio > limits.ratio):
            return (f"{path}: refused as a zip bomb: {p.filename[:30]} unpacks to "
                    f"{p.file_size / 1048576:,.0f} MB ({ratio:,.0f}x)")
    return None
