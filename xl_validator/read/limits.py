"""Input limits: refuse, early and cheaply, what would exhaust memory or time, saying which
limit and how to raise it.

A 903 return for every child in England (about 110,000 children) is under 100 MB as
CSV, about 230,000 rows in its largest table and 3 million cells in its largest
sheet; the defaults leave room for that and refuse what only an accident or an
attack produces. Each limit can be raised with an environment variable:

  XL_VALIDATOR_MAX_FILE_MB      one input file (default 400)
  XL_VALIDATOR_MAX_UNZIPPED_MB  what an .xlsx unpacks to (default 2048; also at most 100 times its size)
  XL_VALIDATOR_MAX_ROWS         rows in one table (default 500000)
  XL_VALIDATOR_MAX_CELLS        cells in one worksheet (default 20000000)
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

from .table import InputError

ZIP_RATIO = 100  # a real workbook unpacks to about 10 times its size
ZIP_RATIO_FLOOR = 64 * 2**20  # small workbooks are never refused for their ratio alone
XML_RUN = 10_000  # characters between two '<' in XML: far more than any 903 value or indentation


def _limit(name: str, default: int) -> int:
    text = os.environ.get(name, "")
    try:
        return int(text) if text.strip() else default
    except ValueError:
        raise InputError(f"environment variable {name}={text!r}: expected a whole number") from None


def max_file_bytes() -> int:
    return _limit("XL_VALIDATOR_MAX_FILE_MB", 400) * 2**20


def max_unzipped_bytes() -> int:
    return _limit("XL_VALIDATOR_MAX_UNZIPPED_MB", 2048) * 2**20


def max_rows() -> int:
    return _limit("XL_VALIDATOR_MAX_ROWS", 500_000)


def max_cells() -> int:
    return _limit("XL_VALIDATOR_MAX_CELLS", 20_000_000)


def check_regular_file(path: Path) -> os.stat_result:
    """Only ordinary files are read: a device, pipe or socket would be read forever or hang."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or type(e).__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not an ordinary file (a device, pipe or socket); give the return's file")
    return st


def check_size(path: Path) -> None:
    size = check_regular_file(path).st_size
    limit = max_file_bytes()
    if size > limit:
        raise InputError(
            f"{path}: {size / 2**20:.0f} MB is larger than the {limit / 2**20:.0f} MB limit "
            "for one input file (set XL_VALIDATOR_MAX_FILE_MB to raise it)")


def check_rows(rows: int, where: str) -> None:
    limit = max_rows()
    if rows > limit:
        raise InputError(f"{where}: more than {limit:,} rows in one table, far more than a 903 return for all "
                         "of England holds (set XL_VALIDATOR_MAX_ROWS to raise the limit)")


def check_cells(rows: int, columns: int, where: str) -> None:
    limit = max_cells()
    if rows * columns > limit:
        raise InputError(f"{where}: {rows:,} rows by {columns:,} columns is more than the {limit:,} cells "
                         "a sheet of a 903 return may hold (set XL_VALIDATOR_MAX_CELLS to raise the limit)")


def check_zip(path: Path) -> None:
    """An .xlsx is a zip: refuse one that is not, or that would unpack to far more than it weighs."""
    check_size(path)
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{path}: this is a password-protected workbook or an old .xls file; "
            "remove the password or save it as .xlsx and try again")
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{path}: not a valid .xlsx workbook (the file is damaged or is not an Excel file)") from None
    size = max(path.stat().st_size, 1)
    limit = max_unzipped_bytes()
    if total > limit:
        raise InputError(f"{path}: the workbook would unpack to {total / 2**20:,.0f} MB, over the "
                         f"{limit / 2**20:,.0f} MB limit (set XL_VALIDATOR_MAX_UNZIPPED_MB to raise it)")
    if total > ZIP_RATIO_FLOOR and total > ZIP_RATIO * size:
        raise InputError(f"{path}: the workbook would unpack to {total / 2**20:,.0f} MB, {total / size:,.0f} times "
                         f"its size; a real workbook unpacks to about 10 times, so it is refused as a zip bomb "
                         "(set XL_VALIDATOR_MAX_UNZIPPED_MB to accept it)")


_LONG_RUN = re.compile(rb"[^<]{%d,}" % (XML_RUN + 1))


def check_xml_runs(path: Path, chunk_bytes: int = 8 * 2**20) -> None:
    """Refuse XML holding a value, tag or comment longer than ``XML_RUN`` characters, read in
    chunks before parsing: the XML parser slows down with the square of such a token's length."""
    pending, line = 0, 1  # bytes since the last '<'; lines before this chunk
    with open(path, "rb") as f:
        while chunk := f.read(chunk_bytes):
            first, last = chunk.find(b"<"), chunk.rfind(b"<")
            bad = None
            if first < 0:
                if pending + len(chunk) > XML_RUN:
                    bad = 0
            elif pending + first > XML_RUN:
                bad = 0
            else:
                m = _LONG_RUN.search(chunk, first, last if last > first else first)
                bad = m.start() if m else None
            if bad is not None:
                at = line + chunk.count(b"\n", 0, bad)
                raise InputError(f"{path}, line {at}: a value, tag or comment longer than {XML_RUN:,} characters; "
                                 "no 903 value is that long, so the file is refused")
            pending = pending + len(chunk) if first < 0 else len(chunk) - last - 1
            line += chunk.count(b"\n")
    if pending > XML_RUN:
        raise InputError(f"{path}, line {line}: the file ends with more than {XML_RUN:,} characters after its "
                         "last tag; it is not a 903 XML return")
