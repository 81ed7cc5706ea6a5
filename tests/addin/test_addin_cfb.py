"""The compound file writer, read back with olefile (what olevba uses)."""
import io
import os

import olefile
import pytest

from xl_validator.addin import cfb


def _open(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_POTENTIAL)


def test_streams_in_mini_and_regular_sectors_read_back():
    streams = {
        "PROJECT": b"small",
        "VBA/dir": os.urandom(4095),               # last size in the mini stream
        "VBA/big": os.urandom(4096),               # first size in regular sectors
        "VBA/bigger": os.urandom(70_000),          # needs more than one FAT sector
        "VBA/empty": b"",
        "Other/Deeper/leaf": b"x" * 100,
    }
    ole = _open(cfb.write_cfb(streams))
    for path, data in streams.items():
        assert ole.openstream(path).read() == data
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)


def _check_red_black(ole: olefile.OleFileIO, sid: int) -> int:
    """Black height of the sibling tree under ``sid``; fails on a red node with a red child."""
    if sid == cfb.NOSTREAM:
        return 1
    e = ole.direntries[sid]
    for kid in (e.sid_left, e.sid_right):
        if kid != cfb.NOSTREAM and e.color == cfb.RED:
            assert ole.direntries[kid].color == cfb.BLACK
    left, right = _check_red_black(ole, e.sid_left), _check_red_black(ole, e.sid_right)
    assert left == right
    return left + (e.color == cfb.BLACK)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 13, 40])
def test_siblings_form_a_valid_red_black_tree_in_cfb_order(n):
    names = [f"s{i}" * (1 + i % 3) for i in range(n)]
    ole = _open(cfb.write_cfb({f"S/{name}": b"." for name in names}))
    storage = ole.direntries[ole.root.sid_child]
    _check_red_black(ole, storage.sid_child)
    assert ole.direntries[storage.sid_child].color == cfb.BLACK

    def in_order(sid):
        if sid == cfb.NOSTREAM:
            return []
        e = ole.direntries[sid]
        return in_order(e.sid_left) + [e.name] + in_order(e.sid_right)
    assert in_order(storage.sid_child) == sorted(names, key=cfb._order)


def test_names_longer_than_31_characters_are_refused():
    with pytest.raises(ValueError):
        cfb.write_cfb({"x" * 32: b""})
