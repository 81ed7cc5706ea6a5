"""The DfE XML layout (tables.yaml ``xml_layout``): EXPSSDA903 > CHILD > HEADER + EPISODE*.

Element order follows the DfE sample file; element names equal the column names
except CHILD (CHILDID) and PLACE (PL).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from .. import catalogue
from ..read import RawTable

ROOT = "EXPSSDA903"
_ELEMENT = {"CHILD": "CHILDID", "PLACE": "PL"}
# Inside HEADER, in the sample's order: a tuple of columns is written as flat
# values, a string is the name of a group element (one per row of the table).
HEADER_ORDER = (
    ("Header", ("CHILD", "UPN", "SEX", "DOB", "ETHNIC", "UASC")),
    ("Reviews", "AREVIEW"),
    ("Header", ("MOTHER", "MC_DOB")),
    ("PrevPerm", "PERMANENCE"),
    ("OC2", "OC2"),
    ("Missing", "AMISSING"),
    ("UASC", ("DUC",)),
    ("OC3", ("IN_TOUCH", "ACTIV", "ACCOM")),
    ("AD1", ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")),
    ("PlacedAdoption", "AD_PLACED"),
)
EPISODE_ORDER = ("DECOM", "RNE", "LS", "CIN", "PLACE", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER",
                 "DEC", "REC", "REASON_PLACE_CHANGE")
# Tables the XML has room for once per child, and the value whose presence makes the
# DfE read a record from the flat HEADER values.
ONE_PER_CHILD = ("UASC", "OC2", "OC3", "AD1", "PrevPerm")
REQUIRED_IN_XML = {"OC3": "IN_TOUCH", "AD1": "DATE_INT"}
NO_XML_LAYOUT = ("SWEpisodes", "DoLo")


def _by_child(raw: RawTable | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if raw is not None:
        for rec in raw.frame.to_dict("records"):
            out.setdefault(rec["CHILD"], []).append(rec)
    return out


def _uasc_flags(tables: dict[str, RawTable], notes: list[str]) -> pd.Series:
    """HEADER/UASC: Header's own value when it has one, else 1/0 from the UASC table
    (blank, with a note, when neither was supplied)."""
    header = tables["Header"].frame
    own = header["UASC"] if "UASC" in header else pd.Series("", index=header.index)
    if "UASC" in tables:
        derived = header["CHILD"].isin(set(tables["UASC"].frame["CHILD"])).map({True: "1", False: "0"})
        return own.where(own.str.strip() != "", derived)
    if (own.str.strip() == "").any():
        notes.append("no UASC table was supplied, so HEADER/UASC is left blank for children without a "
                     "UASC value; the DfE expects 0 or 1 there (rule 105)")
    return own


def xml_bytes(tables: dict[str, RawTable], notes: list[str]) -> bytes:
    """The whole return as DfE XML (UTF-8); SWEpisodes and DoLo are left out (no known layout)."""
    rows = {name: _by_child(tables.get(name)) for name in catalogue.all_tables() if name != "Header"}
    header = tables["Header"].frame.assign(UASC=_uasc_flags(tables, notes))
    root = ET.Element(ROOT)
    for head in header.to_dict("records"):
        child_id = head["CHILD"]
        child = ET.SubElement(root, "CHILD")
        h = ET.SubElement(child, "HEADER")
        for table, part in HEADER_ORDER:
            if table == "Header":
                _values(h, head, part)
            elif isinstance(part, tuple):
                for rec in rows[table].get(child_id, ()):
                    _values(h, rec, part)
            else:
                columns = [c for c in catalogue.columns(table) if c not in ("CHILD", "DOB")]
                for rec in rows[table].get(child_id, ()):
                    _values(ET.SubElement(h, part), rec, columns)
        for rec in rows["Episodes"].get(child_id, ()):
            _values(ET.SubElement(child, "EPISODE"), rec, EPISODE_ORDER)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _values(parent: ET.Element, rec: dict, columns) -> None:
    for col in columns:
        ET.SubElement(parent, _ELEMENT.get(col, col)).text = rec.get(col, "") or None
