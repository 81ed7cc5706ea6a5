"""A minimal writer of compound files (MS-CFB, version 3, 512-byte sectors).

Enough for a ``vbaProject.bin``: storages and streams from ``{"A/B": bytes}``,
streams under 4096 bytes in the mini stream, no DIFAT sectors (so up to
109 FAT sectors, about 7 MB), zero timestamps so a build is reproducible.
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN


def _order(name: str) -> tuple[int, str]:
    """Sibling order in the directory: shorter names first, then by upper case."""
    return len(name.encode("utf-16-le")), name.upper()


def _tree(entries: list[_Entry], depth: int, depths: list[tuple[_Entry, int]]) -> int:
    """Link sorted siblings as a balanced binary tree; return the id of its root."""
    if not entries:
        return NOSTREAM
    mid = len(entries) // 2
    node = entries[mid]
    depths.append((node, depth))
    node.left = _tree(entries[:mid], depth + 1, depths)
    node.right = _tree(entries[mid + 1:], depth + 1, depths)
    return node.sid


def _link_siblings(storage: _Entry) -> None:
    """A valid red-black tree: balanced, black except the deepest level of an incomplete tree."""
    kids = sorted(storage.children.values(), key=lambda e: _order(e.name))
    depths: list[tuple[_Entry, int]] = []
    storage.child = _tree(kids, 0, depths)
    if kids:
        deepest = max(d for _, d in depths)
        perfect = len(kids) == 2 ** (deepest + 1) - 1
        for node, d in depths:
            node.color = RED if d == deepest and not perfect else BLACK
    for kid in kids:
        if kid.kind == STORAGE:
            _link_siblings(kid)


def _dir_entry(e: _Entry | None, size: int = 0) -> bytes:
    if e is None:
        return bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + bytes(48)
    name = e.name.encode("utf-16-le") + b"\x00\x00"
    if len(name) > 64:
        raise ValueError(f"compound file names have at most 31 characters: {e.name!r}")
    return (name.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right, e.child)
            + bytes(16) + struct.pack("<IQQIQ", 0, 0, 0, e.start, size))


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def _sectors(n_bytes: int, size: int = SECTOR) -> int:
    return math.ceil(n_bytes / size)


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding ``streams``; ``/`` in a key separates storages."""
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        *storages, leaf = path.split("/")
        node = root
        for part in storages:
            node = node.children.setdefault(part, _Entry(part, STORAGE))
        node.children[leaf] = _Entry(leaf, STREAM, bytes(data))

    entries, queue = [], [root]
    while queue:                                     # ids in breadth-first order
        e = queue.pop(0)
        e.sid = len(entries)
        entries.append(e)
        queue += sorted(e.children.values(), key=lambda c: _order(c.name))
    _link_siblings(root)

    small = [e for e in entries if e.kind == STREAM and 0 < len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == STREAM and len(e.data) >= MINI_CUTOFF]

    mini_fat: list[int] = []
    mini_stream = bytearray()
    for e in small:
        e.start = len(mini_fat)
        n = _sectors(len(e.data), MINI_SECTOR)
        mini_fat += [0] * n
        _chain(mini_fat, e.start, n)
        mini_stream += e.data.ljust(n * MINI_SECTOR, b"\x00")

    n_dir = _sectors(len(entries) * 128)
    n_minifat = _sectors(len(mini_fat) * 4)
    n_mini = _sectors(len(mini_stream))
    n_large = [_sectors(len(e.data)) for e in large]
    body = n_dir + n_minifat + n_mini + sum(n_large)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + body:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a compound file without DIFAT sectors")

    total = n_fat + body
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    first_dir = n_fat
    _chain(fat, first_dir, n_dir)
    first_minifat = first_dir + n_dir
    _chain(fat, first_minifat, n_minifat)
    first_mini = first_minifat + n_minifat
    _chain(fat, first_mini, n_mini)
    root.start = first_mini if n_mini else ENDOFCHAIN
    at = first_mini + n_mini
    for e, n in zip(large, n_large):
        e.start = at
        _chain(fat, at, n)
        at += n
    assert at == total

    sizes = {id(e): len(e.data) for e in entries if e.kind == STREAM}
    sizes[id(root)] = len(mini_stream)
    directory = b"".join(_dir_entry(e, sizes.get(id(e), 0)) for e in entries)
    directory += _dir_entry(None) * (n_dir * 4 - len(entries))

    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header = (SIGNATURE + bytes(16)
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, MINI_CUTOFF,
                            first_minifat if n_minifat else ENDOFCHAIN, n_minifat, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))

    def padded(b: bytes, n: int) -> bytes:
        return b.ljust(n * SECTOR, b"\x00")

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    mf = mini_fat + [FREESECT] * (n_minifat * SECTOR // 4 - len(mini_fat))
    out += struct.pack(f"<{len(mf)}I", *mf)
    out += padded(bytes(mini_stream), n_mini)
    for e, n in zip(large, n_large):
        out += padded(e.data, n)
    return bytes(out)
