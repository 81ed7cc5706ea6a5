"""The DfE XML submission (root EXPSSDA903, one CHILD element per child), parsed safely."""
from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as SafeET
import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException

from .. import catalogue
from .limits import check_rows, check_size, check_xml_runs
from .table import InputError, RawTable, ReadIssue, table_from_frame

_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
# Repeated groups inside HEADER, and the table each one fills.
_GROUPS = {"AREVIEW": "Reviews", "AMISSING": "Missing", "OC2": "OC2",
           "PERMANENCE": "PrevPerm", "AD_PLACED": "PlacedAdoption"}
# Tables made from values sitting directly in HEADER, and the element that must be filled.
_FLAT = {"UASC": "UASC", "OC3": "IN_TOUCH", "AD1": "DATE_INT"}


def _text(el) -> str:
    return "" if el is None or el.text is None else el.text.strip()


def _values(el) -> dict[str, str]:
    return {_RENAME.get(c.tag, c.tag): _text(c) for c in el if len(c) == 0}


def read_xml(path: Path, suffix: str = "", year: str | None = None):
    source = str(path)
    check_size(path)
    check_xml_runs(path)
    rows: dict[str, list[dict]] = {t: [] for t in catalogue.all_tables()}
    lines: dict[str, list[int]] = {t: [] for t in rows}
    try:
        for n, child in enumerate(_children(source), start=1):
            _add_child(child, n, rows, lines)
            if n % 10_000 == 0:
                check_rows(max(map(len, rows.values())), source)
    except DefusedXmlException as e:
        raise InputError(f"{source}: the XML declares a DTD or entities, which a 903 return never "
                         f"does; refused for safety ({type(e).__name__})") from None
    except SafeET.ParseError as e:
        raise InputError(f"{source}: not well-formed XML ({e})") from None
    check_rows(max(map(len, rows.values())), source)
    if not rows["Header"]:
        raise InputError(f"{source}: no CHILD/HEADER elements found; is this a 903 XML return?")
    tables: dict[str, RawTable] = {}
    issues: list[ReadIssue] = []
    for table, records in rows.items():
        if table in ("SWEpisodes", "DoLo"):
            continue  # the DfE XML layout for these is not published; see tables.yaml
        header = catalogue.columns(table) + (["UASC"] if table == "Header" else [])
        frame = pd.DataFrame(records, columns=header, dtype=object).fillna("")
        frame.columns = range(len(header))
        t, found = table_from_frame(table + suffix, frame, header, source, first_row=1,
                                    rows=np.asarray(lines[table], dtype=np.int64))
        tables[t.name] = t
        issues += [i for i in found if "missing column" not in i.message]
    return tables, issues


def _children(source: str):
    """Each element under the root, complete, one at a time; each is dropped once used,
    so memory holds the tables read, not the whole document."""
    depth, root = 0, None
    for event, el in SafeET.iterparse(source, events=("start", "end"), forbid_dtd=True,
                                      forbid_entities=True, forbid_external=True):
        if event == "start":
            depth += 1
            if depth == 1:
                root = el
            continue
        depth -= 1
        if depth == 1:
            yield el
            root.remove(el)


def _add_child(child, n: int, rows: dict, lines: dict) -> None:
    """The rows of every table one CHILD element holds."""
    header_el = child.find("HEADER")
    if header_el is None:
        return
    head = _values(header_el)
    ident = {"CHILD": head.get("CHILD", ""), "DOB": head.get("DOB", "")}
    rows["Header"].append(head)
    lines["Header"].append(n)
    for table, trigger in _FLAT.items():
        if head.get(trigger, ""):
            rows[table].append({**head, **ident})
            lines[table].append(n)
    for group in header_el:
        table = _GROUPS.get(group.tag)
        if table:
            rows[table].append({**ident, **_values(group)})
            lines[table].append(n)
    for episode in child.findall("EPISODE"):
        rows["Episodes"].append({"CHILD": ident["CHILD"], **_values(episode)})
        lines["Episodes"].append(n)
