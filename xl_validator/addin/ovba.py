"""The VBA project streams of MS-OVBA, written from module source text.

Only what Excel needs to load a project from source is written: no p-code
(``_VBA_PROJECT`` carries the version-independent header, so Excel compiles the
modules from their source on first load) and no performance cache.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

CHUNK = 4096
CODEPAGE = 1252
ENCODING = "cp1252"

# The Office object library (for IRibbonControl). Excel resolves registered
# references by GUID, so the Windows path in it also serves Excel for Mac.
OFFICE_LIBID = (
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
    r"C:\Program Files (x86)\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#"
    "Microsoft Office 16.0 Object Library"
)

# VB_Base of each kind of non-standard module (the coclass it derives from).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

NO_PASSWORD = b"\x00"
VISIBLE = b"\xff"


# --- compression (MS-OVBA 2.4.1) -------------------------------------------

def _copy_token_fields(position: int) -> tuple[int, int]:
    """Bits used for the offset, and the longest match, at this chunk position."""
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    """Tokens of one chunk: greedy longest match over recent 3-byte prefixes."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len, best_at = 0, 0
            if pos + 3 <= n:
                bits, max_len = _copy_token_fields(pos)
                limit = min(max_len, n - pos)
                for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-32:]):
                    length = 3
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_at = length, cand
                        if length == limit:
                            break
            step = best_len if best_len >= 3 else 1
            for p in range(pos, min(pos + step, n - 2)):
                seen.setdefault(chunk[p:p + 3], []).append(p)
            if best_len >= 3:
                token = ((pos - best_at - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
            else:
                out.append(chunk[pos])
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer; a chunk that does not shrink is stored raw (padded to 4096 bytes)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        else:
            out += struct.pack("<H", 0x3000 | (CHUNK + 2 - 3)) + chunk.ljust(CHUNK, b"\x00")
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Inverse of :func:`compress`, for any conforming container (used by the checks)."""
    if not container or container[0] != 1:
        raise ValueError("not a compressed container (signature byte is not 0x01)")
    out = bytearray()
    i = 1
    while i < len(container):
        if i + 2 > len(container):
            raise ValueError("truncated chunk header at the end of the container")
        (header,) = struct.unpack_from("<H", container, i)
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at byte {i}")
        end = min(i + (header & 0x0FFF) + 3, len(container))
        i += 2
        if not header & 0x8000:
            out += container[i:i + CHUNK]
            i += CHUNK
            continue
        start = len(out)
        while i < end:
            flags = container[i]
            i += 1
            for bit in range(8):
                if i >= end:
                    break
                if flags & (1 << bit):
                    (token,) = struct.unpack_from("<H", container, i)
                    i += 2
                    bits, _ = _copy_token_fields(len(out) - start)
                    length = (token & (0xFFFF >> bits)) + 3
                    src = len(out) - ((token >> (16 - bits)) + 1)
                    for k in range(length):
                        out.append(out[src + k])
                else:
                    out.append(container[i])
                    i += 1
    return bytes(out)


# --- modules -----------------------------------------------------------------

@dataclass(frozen=True)
class Module:
    """One VBA module: ``kind`` is "module", "class" or "document"; ``source`` as stored (CRLF)."""
    name: str
    kind: str
    source: str


def normalise(text: str) -> str:
    """CRLF line endings, ending with one: how the VBE stores source."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    return "\r\n".join(lines) + "\r\n"


def standard_module(text: str) -> Module:
    """A module from a ``.bas`` export; its name is its ``Attribute VB_Name``."""
    source = normalise(text)
    first = source.split("\r\n", 1)[0]
    if not first.startswith('Attribute VB_Name = "'):
        raise ValueError('a .bas module must start with Attribute VB_Name = "..."')
    return Module(first.split('"')[1], "module", source)


def class_module(text: str) -> Module:
    """A class from a ``.cls`` export: drop the VERSION/BEGIN..END header, add the attributes the VBE adds on import."""
    lines = normalise(text).split("\r\n")[:-1]
    if lines and lines[0].startswith("VERSION"):
        lines = lines[lines.index("END") + 1:]
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("Attribute VB_Name = "):
            out.append(f'Attribute VB_Base = "{CLASS_BASE}"')
        elif line.startswith("Attribute VB_Exposed = "):
            out += ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    name = out[0].split('"')[1]
    return Module(name, "class", "\r\n".join(out) + "\r\n")


def document_module(name: str, base: str) -> Module:
    """The empty code-behind of the workbook or a sheet (``codeName`` in the package)."""
    attrs = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{base}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "document", "\r\n".join(attrs) + "\r\n")


# --- streams -----------------------------------------------------------------

def _rec(rid: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _mbcs(s: str) -> bytes:
    return s.encode(ENCODING)


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def dir_stream(project: str, modules: list[Module]) -> bytes:
    """The decompressed ``VBA/dir`` stream: project information, the Office reference, the modules."""
    out = bytearray()
    out += _rec(0x01, _u32(1))                        # SYSKIND: 32-bit Windows, as Excel writes it
    out += _rec(0x02, _u32(0x409)) + _rec(0x14, _u32(0x409))  # LCID, LCIDINVOKE
    out += _rec(0x03, _u16(CODEPAGE))
    out += _rec(0x04, _mbcs(project))
    out += _rec(0x05) + _rec(0x40)                    # DOCSTRING, its unicode twin
    out += _rec(0x06) + _rec(0x3D)                    # HELPFILEPATH 1 and 2
    out += _rec(0x07, _u32(0))                        # HELPCONTEXT
    out += _rec(0x08, _u32(0))                        # LIBFLAGS
    out += struct.pack("<HIIH", 0x09, 4, 1, 0)        # VERSION 1.0 (its size field is fixed at 4)
    out += _rec(0x0C) + _rec(0x3C)                    # CONSTANTS
    libid = _mbcs(OFFICE_LIBID)
    out += _rec(0x16, b"Office") + _rec(0x3E, _utf16("Office"))
    out += _rec(0x0D, _u32(len(libid)) + libid + _u32(0) + _u16(0))
    out += _rec(0x0F, _u16(len(modules))) + _rec(0x13, _u16(0xFFFF))
    for m in modules:
        out += _rec(0x19, _mbcs(m.name)) + _rec(0x47, _utf16(m.name))
        out += _rec(0x1A, _mbcs(m.name)) + _rec(0x32, _utf16(m.name))   # stream name = module name
        out += _rec(0x1C) + _rec(0x48)                # DOCSTRING
        out += _rec(0x31, _u32(0))                    # source starts at offset 0: no p-code
        out += _rec(0x1E, _u32(0)) + _rec(0x2C, _u16(0xFFFF))
        out += _rec(0x21 if m.kind == "module" else 0x22)
        out += _rec(0x2B)
    out += _rec(0x10)
    return bytes(out)


def vba_project_stream() -> bytes:
    """``_VBA_PROJECT``: version 0xFFFF marks it version-independent, so Excel recompiles from source."""
    return b"\xcc\x61\xff\xff\x00\x01\x00"


def projectwm_stream(modules: list[Module]) -> bytes:
    """Module names in the code page and in UTF-16."""
    out = bytearray()
    for m in modules:
        out += _mbcs(m.name) + b"\x00" + _utf16(m.name) + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _proj_key(project_id: str) -> int:
    return sum(_mbcs(project_id)) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int = 0x5D) -> str:
    """MS-OVBA 2.4.3 data encryption (an obfuscation) of a PROJECT property, as hex.

    A fixed seed keeps builds reproducible; the ignored bytes are zeros.
    """
    version, key = 2, _proj_key(project_id)
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted1, encrypted1, encrypted2 = key, seed ^ key, seed ^ version
    plain = bytes((seed & 6) // 2) + _u32(len(data)) + data
    for byte in plain:
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


def decrypt(hex_text: str) -> bytes:
    """Inverse of :func:`encrypt` (the project key is not checked)."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[:3]
    unencrypted1, encrypted1, encrypted2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    return bytes(plain[ignored + 4:ignored + 4 + length])


def project_stream(project: str, project_id: str, modules: list[Module]) -> bytes:
    """The ``PROJECT`` stream: module list, name, and an unprotected, visible project."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append({"module": f"Module={m.name}", "class": f"Class={m.name}",
                      "document": f"Document={m.name}/&H00000000"}[m.kind])
    lines += [
        f'Name="{project}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(_u32(0), project_id)}"',        # protection state: none
        f'DPB="{encrypt(NO_PASSWORD, project_id)}"',    # password: none
        f'GC="{encrypt(VISIBLE, project_id)}"',         # visibility: visible
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def vba_project(project: str, project_id: str, modules: list[Module]) -> dict[str, bytes]:
    """Every stream of the project storage, keyed by path inside the compound file."""
    streams = {
        "PROJECT": project_stream(project, project_id, modules),
        "PROJECTwm": projectwm_stream(modules),
        "VBA/_VBA_PROJECT": vba_project_stream(),
        "VBA/dir": compress(dir_stream(project, modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(_mbcs(m.source))
    return streams
