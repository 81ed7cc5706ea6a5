"""Input size limits: refuse what would exhaust memory, with a message saying so."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .table import InputError

# A 903 return for every child in England is under 100 MB as CSV; anything
# far bigger is not a 903 return and would only exhaust the analyst's machine.
MAX_FILE_BYTES = int(os.environ.get("XL_VALIDATOR_MAX_FILE_MB", "400")) * 2**20
MAX_UNZIPPED_BYTES = 8 * MAX_FILE_BYTES


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: {size / 2**20:.0f} MB is larger than the {MAX_FILE_BYTES / 2**20:.0f} MB limit "
            "for one input file (set XL_VALIDATOR_MAX_FILE_MB to raise it)")


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
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a valid .xlsx workbook (the file is damaged or is not an Excel file)") from None
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(f"{path}: the workbook would unpack to {total / 2**20:.0f} MB, over the "
                         f"{MAX_UNZIPPED_BYTES / 2**20:.0f} MB limit; it is not a 903 return")
