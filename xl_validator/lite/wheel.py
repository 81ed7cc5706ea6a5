"""A pure-Python wheel of the installed xl_validator, written without the source tree.

xlwings Lite (Pyodide) installs packages from wheels; the one IT has installed is the
one to host, so it is packed here from the installed package files and the installed
metadata, whether that install came from a wheel or from a source checkout.
"""
from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

DIST = "xl_validator"
_SKIP_DIRS = {"__pycache__"}
_SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp")


def package_files(root: Path | None = None) -> list[tuple[str, Path]]:
    """(name in the wheel, file) for every file of the package, sorted, caches left out."""
    root = Path(root or Path(__file__).resolve().parents[1])
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(root.parent)
        if (path.is_file() and not _SKIP_DIRS & set(rel.parts) and not path.name.startswith(".")
                and not path.name.endswith(_SKIP_SUFFIXES)):
            out.append((rel.as_posix(), path))
    return sorted(out)


def wheel_name(version: str) -> str:
    return f"{DIST}-{version}-py3-none-any.whl"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel_bytes() -> tuple[str, bytes]:
    """(file name, bytes) of the wheel; entries dated 1980-01-01, so the same install gives the same bytes."""
    dist = metadata.distribution(DIST)
    version = dist.version
    info = f"{DIST}-{version}.dist-info"
    entries = [(name, path.read_bytes()) for name, path in package_files()]
    for name in ("METADATA", "entry_points.txt"):
        text = dist.read_text(name)
        if text is not None:
            entries.append((f"{info}/{name}", text.encode("utf-8")))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: xl_validator lite build\n"
                                     b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    record = "\n".join([_record_line(n, d) for n, d in entries] + [f"{info}/RECORD,,"]) + "\n"
    entries.append((f"{info}/RECORD", record.encode("utf-8")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            z.writestr(entry, data)
    return wheel_name(version), buf.getvalue()
