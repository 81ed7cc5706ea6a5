"""The postcode directory as one compact file, built once per version of the postcode package.

The package ships brotli-compressed msgpack, one file per first letter: decoding the letters
a return uses took one to two seconds on every run. The index keeps only what the rules use
(squashed postcode, easting, northing, district) as sorted fixed-width arrays in one file in
the user's cache folder; a run maps it into memory and binary-searches the return's distinct
postcodes, touching a few pages of it. A cache folder that cannot be written leaves the index
in memory for the life of the process; a damaged or stale file is built again.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

FORMAT = 1  # bump when the layout below changes: the file name carries it
MAGIC = b"XLVPCIX\x00"
CACHE_VARIABLE = "XL_VALIDATOR_CACHE"
_opened: dict[tuple[str, str], Index] = {}  # in-process: a second validate in one process pays nothing


@dataclass(frozen=True)
class Index:
    """Sorted squashed postcodes (fixed-width bytes) and, row for row, east, north (float, NaN
    where the directory has no grid reference) and district (a code into ``districts``, -1 none)."""
    keys: np.ndarray
    east: np.ndarray
    north: np.ndarray
    district: np.ndarray
    districts: tuple[str, ...]

    @classmethod
    def from_columns(cls, keys, east, north, districts) -> Index:
        """An index of the given squashed postcodes (first of any repeats wins) and their fields."""
        keys = np.asarray(keys, dtype="S")
        codes, names = pd.factorize(pd.Series(districts, dtype=object))  # a missing district is -1
        order = np.argsort(keys, kind="stable")
        east = np.asarray(east, dtype=float)[order]
        north = np.asarray(north, dtype=float)[order]
        narrow = np.float32  # grid references are whole metres: float32 holds them exactly
        if np.array_equal(east.astype(narrow), east, equal_nan=True) and \
                np.array_equal(north.astype(narrow), north, equal_nan=True):
            east, north = east.astype(narrow), north.astype(narrow)
        return cls(keys[order], east, north, codes.astype(np.int16)[order], tuple(str(n) for n in names))

    def find(self, postcodes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each squashed postcode: found, east, north, district (NaN where unknown; a value
        that is not text, or too long to be a postcode, is not found)."""
        width = self.keys.dtype.itemsize
        usable = np.array([isinstance(p, str) and len(p) <= width and p.isascii() and "\x00" not in p
                           for p in postcodes], dtype=bool)
        query = np.array([p if ok else "" for p, ok in zip(postcodes, usable)], dtype=f"S{width}")
        names = np.array([*self.districts, np.nan], dtype=object)  # code -1 reads the last: no district
        if not len(self.keys):
            nothing = np.full(len(query), np.nan)
            return np.zeros(len(query), dtype=bool), nothing, nothing.copy(), names[np.full(len(query), -1)]
        at = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        found = usable & (self.keys[at] == query)
        east = np.where(found, self.east[at], np.nan).astype(float)
        north = np.where(found, self.north[at], np.nan).astype(float)
        return found, east, north, names[np.where(found, self.district[at], -1)]


def cache_folder() -> Path:
    """Where the index is kept: $XL_VALIDATOR_CACHE, else the platform's per-user cache folder."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "xl_validator"


def letter_files(folder) -> list:
    return [folder.joinpath(f"postcodes_{c}.msgpack.br") for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            if folder.joinpath(f"postcodes_{c}.msgpack.br").is_file()]


def fingerprint(folder) -> str:
    """The letter files' names and sizes: a directory other than the one indexed is noticed."""
    def size(f) -> int:
        return f.stat().st_size if hasattr(f, "stat") else len(f.read_bytes())  # a zipped package has no stat
    return ";".join(f"{f.name}:{size(f)}" for f in letter_files(folder))


def build(folder) -> Index:
    """Decode every letter file of the packaged directory into an index."""
    import brotli
    import msgpack

    keys, east, north, district = [], [], [], []
    for path in letter_files(folder):
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        df = pd.DataFrame(data["data"], columns=data["columns"])
        keys.append(np.asarray(df["pcd"].str.replace(" ", "", regex=False).to_numpy(dtype=str), dtype="S"))
        east.append(pd.to_numeric(df["oseast1m"]).to_numpy(dtype=float))
        north.append(pd.to_numeric(df["osnrth1m"]).to_numpy(dtype=float))
        district.append(df["laua"].to_numpy(dtype=object))
    if not keys:
        return Index.from_columns(np.array([], dtype="S7"), [], [], [])
    return Index.from_columns(np.concatenate(keys), np.concatenate(east), np.concatenate(north),
                              np.concatenate(district))


def _layout(header: dict) -> list[tuple[str, str, int, int]]:
    """(field, dtype, offset, bytes) of each array after the header, each 8-byte aligned."""
    n, at, out = header["count"], header["start"], []
    for field, dtype in (("keys", header["keys"]), ("east", header["grid"]), ("north", header["grid"]),
                         ("district", "<i2")):
        size = n * np.dtype(dtype).itemsize
        out.append((field, dtype, at, size))
        at += -(-size // 8) * 8
    return out


def to_bytes(index: Index, stamp: str) -> bytes:
    head = {"format": FORMAT, "stamp": stamp, "count": len(index.keys), "keys": index.keys.dtype.str,
            "grid": index.east.dtype.str, "districts": list(index.districts)}
    text = json.dumps(head).encode()
    head["start"] = -(-(len(MAGIC) + 8 + len(text) + 64) // 8) * 8  # room for "start" itself in the header
    text = json.dumps(head).encode().ljust(head["start"] - len(MAGIC) - 8)
    parts = [MAGIC, len(text).to_bytes(8, "little"), text]
    for field, _, _, size in _layout(head):
        raw = getattr(index, field).tobytes()
        parts.append(raw + b"\x00" * (-len(raw) % 8))
    return b"".join(parts)


def read(path: Path, stamp: str) -> Index | None:
    """The index in ``path``, memory-mapped; None when absent, of another format or directory, or damaged."""
    try:
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            head = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        if head.get("format") != FORMAT or head.get("stamp") != stamp:
            return None
        layout = _layout(head)
        field, dtype, at, size = layout[-1]
        if path.stat().st_size != at + -(-size // 8) * 8:
            return None  # truncated, or something appended
        whole = np.memmap(path, dtype=np.uint8, mode="r")
        arrays = {f: whole[at:at + size].view(dtype) for f, dtype, at, size in layout}
        keys = arrays["keys"]
        if len(keys) > 1 and not (keys[0] <= keys[len(keys) // 2] <= keys[-1]):
            return None  # not sorted: overwritten with something else
        return Index(districts=tuple(head["districts"]), **arrays)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(folder) -> tuple[Index, str | None]:
    """The index of the packaged directory in ``folder``: from this process, from the cache file,
    or built now (then with a note for the run's messages, saying where it was kept)."""
    key = (str(folder), str(cache_folder()))
    if key in _opened:
        return _opened[key], None
    from importlib.metadata import PackageNotFoundError, version

    from ..outputs import save_bytes
    from ..errors import InputError
    from .postcodes import PACKAGE

    try:
        release = version(PACKAGE)
    except PackageNotFoundError:  # a folder given directly, not an installed package
        release = "unknown"
    path = cache_folder() / f"postcodes-{release}-index{FORMAT}.bin"
    stamp = f"{release}|{fingerprint(folder)}"
    index = read(path, stamp)
    note = None
    if index is None:
        t0 = time.perf_counter()
        index = build(folder)
        took = time.perf_counter() - t0
        try:
            save_bytes(to_bytes(index, stamp), path)
            _remove_older(path)
            index = read(path, stamp) or index
            note = (f"postcode directory indexed for quick look-ups in {took:.1f} s, once for this version of "
                    f"{PACKAGE}: {path}")
        except (InputError, OSError) as e:
            note = (f"postcode index kept in memory only ({e}); each new run indexes the postcode directory "
                    f"again ({took:.1f} s): set {CACHE_VARIABLE} to a folder you can write to")
    _opened[key] = index
    return index, note


def _remove_older(path: Path) -> None:
    """Indexes of other package versions or formats in the cache folder are no longer used."""
    for old in path.parent.glob("postcodes-*-index*.bin"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass  # in use by another process (Windows) or not ours to remove: harmless
