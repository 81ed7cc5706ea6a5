"""The MS-OVBA pieces on their own: compression, encryption, module text."""
import os
import struct

import pytest
from oletools.olevba import decompress_stream

from xl_validator.addin import build, ovba

BAS = (build.SOURCES / "XlValidator.bas").read_text(encoding="utf-8")

COMPRESSIBLE = {
    "empty": b"",
    "one byte": b"a",
    "three bytes": b"abc",
    "one run": b"x" * 10_000,
    "repeated pattern": b"abcabcabc" * 2_000,
    "exactly one chunk": (b"Dim i As Integer\r\n" * 300)[:4096],
    "one chunk and a byte": (b"Dim i As Integer\r\n" * 300)[:4097],
    "module source": ovba.normalise(BAS).encode("cp1252") * 7,
    "runs of every length": b"".join(bytes([65 + n % 26]) * n for n in range(1, 120)),
}


@pytest.mark.parametrize("name", COMPRESSIBLE)
def test_round_trip_and_olevba_agrees(name):
    data = COMPRESSIBLE[name]
    container = ovba.compress(data)
    assert container[0] == 1
    assert ovba.decompress(container) == data
    # an independent decoder reads the same bytes back
    assert bytes(decompress_stream(bytearray(container))) == data


def test_compression_shrinks_source():
    # Each 4 KB chunk is compressed on its own, so only the repetition inside a chunk counts.
    data = COMPRESSIBLE["module source"]
    assert len(ovba.compress(data)) < len(data) / 2


def test_incompressible_chunks_are_stored_raw():
    data = os.urandom(2 * ovba.CHUNK)
    container = ovba.compress(data)
    assert len(container) == 1 + 2 * (2 + ovba.CHUNK)
    (header,) = struct.unpack_from("<H", container, 1)
    assert header == 0x3FFF          # raw chunk: flag 0, signature 0b011, size 4098 - 3
    assert ovba.decompress(container) == data


def test_incompressible_tail_shorter_than_a_chunk_round_trips():
    data = os.urandom(ovba.CHUNK + 300)
    assert ovba.decompress(ovba.compress(data)) == data


def test_decompress_refuses_bad_input():
    with pytest.raises(ValueError):
        ovba.decompress(b"\x02\x00")
    with pytest.raises(ValueError):
        ovba.decompress(b"\x01\x00\x00")      # chunk signature is not 0b011


def test_encryption_round_trip_and_reads_excel_values():
    pid = "{5E2F6A1C-903D-4B7A-9C1E-0D903A11A903}"
    for data in (b"\x00\x00\x00\x00", b"\x00", b"\xff", b"longer data"):
        for seed in (0x00, 0x5D, 0xFE):
            assert ovba.decrypt(ovba.encrypt(data, pid, seed)) == data
    # CMG/DPB/GC of an unprotected, visible project as Excel wrote them (xlwings' quickstart add-in)
    assert ovba.decrypt("5D5F8AADDAA8DEA8DEA8DEA8DE") == b"\x00\x00\x00\x00"
    assert ovba.decrypt("5D5F8AADDAADDBADDBAD") == b"\x00"
    assert ovba.decrypt("5D5F8AADDAADDBADDB52") == b"\xff"


def test_normalise_uses_crlf():
    assert ovba.normalise("a\nb\r\nc\rd\n\n") == "a\r\nb\r\nc\r\nd\r\n"


def test_standard_module_takes_its_name_from_vb_name():
    m = ovba.standard_module(BAS)
    assert (m.name, m.kind) == ("XlValidator", "module")
    with pytest.raises(ValueError):
        ovba.standard_module("Sub X()\nEnd Sub\n")


def test_class_module_gets_the_attributes_the_vbe_adds():
    cls = ('VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  \'True\nEND\nAttribute VB_Name = "Thing"\n'
           'Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\n'
           'Attribute VB_PredeclaredId = False\nAttribute VB_Exposed = True\nOption Explicit\n')
    m = ovba.class_module(cls)
    assert m.name == "Thing" and m.kind == "class"
    assert m.source.split("\r\n")[:8] == [
        'Attribute VB_Name = "Thing"', f'Attribute VB_Base = "{ovba.CLASS_BASE}"',
        "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False", "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]


def _records(stream: bytes):
    i = 0
    while i < len(stream):
        rid, size = struct.unpack_from("<HI", stream, i)
        if rid == 0x09:                # PROJECTVERSION: the size field is a fixed 4, 6 bytes follow
            size = 6
        yield rid, stream[i + 6:i + 6 + size]
        i += 6 + size


def test_dir_stream_lists_every_module_and_ends_with_terminator():
    mods = [ovba.document_module("ThisWorkbook", ovba.WORKBOOK_BASE), ovba.standard_module(BAS)]
    recs = list(_records(ovba.dir_stream("P", mods)))
    assert recs[-1] == (0x10, b"")
    assert [d for r, d in recs if r == 0x19] == [b"ThisWorkbook", b"XlValidator"]
    assert [r for r, _ in recs if r in (0x21, 0x22)] == [0x22, 0x21]
    assert dict(recs)[0x0F] == struct.pack("<H", 2)
    assert all(d == b"\x00\x00\x00\x00" for r, d in recs if r == 0x31)   # no p-code before the source


def test_project_stream_names_modules_by_kind():
    mods = [ovba.document_module("ThisWorkbook", ovba.WORKBOOK_BASE), ovba.standard_module(BAS),
            ovba.Module("Dictionary", "class", "")]
    text = ovba.project_stream("P", "{00000000-0000-0000-0000-000000000000}", mods).decode("cp1252")
    assert "Document=ThisWorkbook/&H00000000\r\nModule=XlValidator\r\nClass=Dictionary\r\n" in text
    assert 'Name="P"' in text
