"""A small hand-built 2025/26 return (with last year's) whose Dashboard figures can be counted by eye.

Children (31 March 2026 is the end of the year; ages are on that day):
  A  looked after since 2020 in foster care U4, care order, N1, boy 10, WBRI; home TW1 1AA, placed TW1 1AB
     (in area, 10 miles); reviews 01/05/2025 and 01/11/2025 (and 01/11/2024 last year); UASC until 01/01/2026
  B  started 12/05/2025 in a children's home K2, section 20 (V2), N4, girl 16, BAFR; placed EC1 1AA
     (out of area, 30 miles); reviews 09/06/2025 (on time), 15/09/2025 (late), 01/03/2026 (on time)
  C  care from 01/02/2024, placed for adoption (A5) 01/03/2025, adopted (E11) 20/10/2025
  D  short breaks only (V3), open on 31 March
  E  care from 01/01/2025 (U6); new placements P U4 01/06/2025, P K2 01/09/2025, then L (legal status only)
     01/11/2025: three placements in the year; girl 2, MWBC; no placement postcode
  F  one episode whose DECOM is typed the ISO way (unreadable)
  G  care from 01/01/2023 in U4, then a temporary placement T1 from 20/03/2026 (counted as foster care);
     boy, 5 on 31 March 2026 (born 31/03/2021), CHNE; placed TW1 1AB
  H  started 01/04/2025 in U4, N1, boy 16, AOTH, UASC (no DUC); placed at an unknown postcode
  I  started 02/06/2025 with parents (P1), returned home (E4A) 15/08/2025
  J  last year only: started 01/06/2024, returned home (E13) 01/12/2024
Care leavers (OC3): L1 17 in touch, F2, U1; L2 19 in touch, G4, U2; L3 20 not in touch, 0, 0; L4 no DOB.
Missing: A missing 05/05/2025 and away 06/06/2025; B missing 07/07/2025; one unreadable start; one before the year.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from xl_validator import catalogue

YEAR = "2025/26"
LA = "E09000027"
HOME, NEAR, FAR, UNKNOWN = "TW1 1AA", "TW1 1AB", "EC1 1AA", "ZZ9 9ZZ"


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = catalogue.columns(name)
    return pd.DataFrame([[r.get(c, "") for c in cols] for r in rows], columns=cols, dtype=object)


def _ep(child, decom, rne, place, ls="C2", cin="N1", dec="", rec="", home=HOME, pl=NEAR, why=""):
    return {"CHILD": child, "DECOM": decom, "RNE": rne, "PLACE": place, "LS": ls, "CIN": cin, "DEC": dec,
            "REC": rec, "HOME_POST": home, "PL_POST": pl, "REASON_PLACE_CHANGE": why, "PLACE_PROVIDER": "PR1"}


def _child(child, sex, dob, ethnic):
    return {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": ethnic}


HEADER = [_child("A", "M", "01/06/2015", "WBRI"), _child("B", "F", "15/09/2009", "BAFR"),
          _child("C", "F", "01/02/2022", "WBRI"), _child("D", "M", "01/01/2012", "WBRI"),
          _child("E", "F", "01/01/2024", "MWBC"), _child("F", "M", "01/01/2014", "WBRI"),
          _child("G", "M", "31/03/2021", "CHNE"), _child("H", "M", "01/01/2010", "AOTH"),
          _child("I", "F", "01/01/2018", "WBRI")]


def this_year() -> dict[str, pd.DataFrame]:
    episodes = [
        _ep("A", "01/01/2020", "S", "U4"),
        _ep("B", "12/05/2025", "S", "K2", ls="V2", cin="N4", pl=FAR),
        _ep("C", "01/03/2025", "P", "A5", ls="E1", dec="20/10/2025", rec="E11"),
        _ep("D", "01/06/2025", "S", "U4", ls="V3"),
        _ep("E", "01/01/2025", "S", "U6", dec="01/06/2025", rec="X1", pl=""),
        _ep("E", "01/06/2025", "P", "U4", dec="01/09/2025", rec="X1", pl="", why="CARPL"),
        _ep("E", "01/09/2025", "P", "K2", dec="01/11/2025", rec="X1", pl="", why="CARPL"),
        _ep("E", "01/11/2025", "L", "K2", pl=""),
        _ep("F", "2025-05-01", "S", "U4"),
        _ep("G", "01/01/2023", "S", "U4", dec="20/03/2026", rec="X1"),
        _ep("G", "20/03/2026", "T", "T1"),
        _ep("H", "01/04/2025", "S", "U4", pl=UNKNOWN),
        _ep("I", "02/06/2025", "S", "P1", ls="C1", cin="N2", dec="15/08/2025", rec="E4A"),
    ]
    reviews = [{"CHILD": c, "REVIEW": d, "REVIEW_CODE": "PN1"} for c, d in (
        ("A", "01/05/2025"), ("A", "01/11/2025"), ("B", "09/06/2025"), ("B", "15/09/2025"), ("B", "01/03/2026"),
        ("G", "31/02/2025"))]
    missing = [{"CHILD": c, "MISSING": m, "MIS_START": d, "MIS_END": d} for c, m, d in (
        ("A", "M", "05/05/2025"), ("A", "A", "06/06/2025"), ("B", "M", "07/07/2025"), ("G", "M", "last week"),
        ("H", "M", "01/03/2025"))]
    oc3 = [{"CHILD": "L1", "DOB": "01/06/2008", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "U1"},
           {"CHILD": "L2", "DOB": "01/06/2006", "IN_TOUCH": "YES", "ACTIV": "G4", "ACCOM": "U2"},
           {"CHILD": "L3", "DOB": "01/06/2005", "IN_TOUCH": "NO", "ACTIV": "0", "ACCOM": "0"},
           {"CHILD": "L4", "DOB": "", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "U1"}]
    uasc = [{"CHILD": "A", "SEX": "M", "DOB": "01/06/2015", "DUC": "01/01/2026"},
            {"CHILD": "H", "SEX": "M", "DOB": "01/01/2010", "DUC": ""}]
    return {"Header": _table("Header", HEADER), "Episodes": _table("Episodes", episodes),
            "Reviews": _table("Reviews", reviews), "Missing": _table("Missing", missing),
            "OC3": _table("OC3", oc3), "UASC": _table("UASC", uasc)}


def last_year() -> dict[str, pd.DataFrame]:
    episodes = [
        _ep("A", "01/01/2020", "S", "U4"),
        _ep("C", "01/02/2024", "S", "U4", dec="01/03/2025", rec="X1"),
        _ep("C", "01/03/2025", "P", "A5", ls="E1"),
        _ep("E", "01/01/2025", "S", "U6", pl=""),
        _ep("G", "01/01/2023", "S", "U4"),
        _ep("J", "01/06/2024", "S", "U4", dec="01/12/2024", rec="E13"),
    ]
    header = [h for h in HEADER if h["CHILD"] in "ACEG"] + [_child("J", "F", "01/01/2012", "WBRI")]
    return {"Header": _table("Header", header), "Episodes": _table("Episodes", episodes),
            "Reviews": _table("Reviews", [{"CHILD": "A", "REVIEW": "01/11/2024", "REVIEW_CODE": "PN1"}])}


class Postcodes:
    """A stand-in postcode directory of three places on a line: home and near in Richmond upon
    Thames, 10 miles apart; far in the City of London, 30 miles from home."""

    AT = {"TW11AA": (0.0, 0.0, LA), "TW11AB": (16093.0, 0.0, LA), "EC11AA": (48279.0, 0.0, "E09000001")}

    def lookup(self, keys: pd.Series) -> pd.DataFrame:
        found = [self.AT.get(k) for k in keys]
        return pd.DataFrame({"east": [f[0] if f else np.nan for f in found],
                             "north": [f[1] if f else np.nan for f in found],
                             "district": [f[2] if f else np.nan for f in found],
                             "found": [f is not None for f in found]}, index=keys.index)
