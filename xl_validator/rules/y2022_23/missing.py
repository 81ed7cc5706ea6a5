"""Missing / away-without-authorisation periods: codes, dates and how periods follow each other."""
import numpy as np
import pandas as pd

from .. import rule
from ..common import isin, row_rank

MISSING_CODES = ("M", "A")


@rule("1004")
def missing_start_valid(d):
    """MIS_START is required and must be a real dd/mm/yyyy date."""
    m = d["Missing"]
    return {"Missing": m.date("MIS_START").isna()}


@rule("1005")
def missing_end_valid(d):
    """MIS_END may be blank (period still open) but otherwise must be a real date."""
    m = d["Missing"]
    return {"Missing": ~m.blank("MIS_END") & m.date("MIS_END").isna()}


@rule("1006")
def missing_type_code(d):
    """MISSING is M or A when filled in. Lower-case 'm'/'a' pass: values are upper-cased
    on loading, as the DfE does (the spec's lower-case example is a bulk case fix)."""
    m = d["Missing"]
    return {"Missing": ~m.blank("MISSING") & ~isin(m["MISSING"], MISSING_CODES)}


@rule("564")
def missing_has_start(d):
    """A period recorded as M or A needs a start date (present, valid or not)."""
    m = d["Missing"]
    return {"Missing": isin(m["MISSING"], MISSING_CODES) & m.blank("MIS_START")}


@rule("565")
def start_has_missing_type(d):
    """A start date needs the period's type."""
    m = d["Missing"]
    return {"Missing": ~m.blank("MIS_START") & m.blank("MISSING")}


@rule("566")
def end_has_missing_type(d):
    """An end date needs the period's type."""
    m = d["Missing"]
    return {"Missing": ~m.blank("MIS_END") & m.blank("MISSING")}


@rule("567")
def missing_end_not_before_start(d):
    """A period cannot end before it starts; same day is fine, unknown dates are not compared."""
    m = d["Missing"]
    return {"Missing": m.date("MIS_END") < m.date("MIS_START")}


@rule("570")
def missing_start_not_after_year(d):
    """A period cannot start after the collection year ends."""
    m = d["Missing"]
    return {"Missing": m.date("MIS_START") > d.collection_end}


@rule("571")
def missing_end_within_year(d):
    """A period's end date falls inside the collection year (boundaries included)."""
    m = d["Missing"]
    end = m.date("MIS_END")
    return {"Missing": (end < d.collection_start) | (end > d.collection_end)}


@rule("574")
def missing_periods_do_not_overlap(d):
    """Each period, taken in order of its end (its start if still open), must begin on
    or after the end of the child's period just before it, and that period must be closed.
    Only neighbours in that order are compared, as the spec says. Rows equal on both dates
    are ordered by their text (``common.row_rank``), not by file order."""
    m = d["Missing"]
    start, end = m.date("MIS_START"), m.date("MIS_END")
    df = pd.DataFrame({"CHILD": m["CHILD"], "key": end.fillna(start), "start": start,
                       "end": end, "rank": row_rank(d, "Missing"), "pos": np.arange(len(m))})
    df = df.sort_values(["CHILD", "key", "start", "rank", "pos"], kind="stable", na_position="last")
    prev_end = df["end"].shift()
    same_child = df["CHILD"].eq(df["CHILD"].shift())
    flagged = same_child & (prev_end.isna() | (df["start"] < prev_end))
    return {"Missing": df.loc[flagged, "pos"].to_numpy()}


@rule("576")
def open_period_continues_this_year(d):
    """A period left open at the end of last year must be the child's first period this
    year, with the same start date. Each child's earliest period this year (blank or
    unparseable starts count as latest; among equal starts the row whose text sorts first,
    ``common.row_rank``, not the first in the file) is compared with every open period of
    last year that has a valid start. A child with an open period last year but no Missing
    row this year is not reported: there is no row of this year to flag."""
    m, last = d["Missing"], d["Missing_last"]
    this = pd.DataFrame({"CHILD": m["CHILD"], "start": m.date("MIS_START"),
                         "rank": row_rank(d, "Missing"), "pos": np.arange(len(m))})
    first = (this.sort_values(["CHILD", "start", "rank", "pos"], kind="stable", na_position="last")
             .drop_duplicates("CHILD"))
    last_start = last.date("MIS_START")
    open_last = pd.DataFrame({"CHILD": last["CHILD"], "last_start": last_start})
    open_last = open_last[(last.blank("MIS_END") & last_start.notna()).to_numpy()].drop_duplicates()
    pairs = first.merge(open_last, on="CHILD", how="inner")
    return {"Missing": pairs.loc[pairs["start"] != pairs["last_start"], "pos"].to_numpy()}


@rule("586")
def missing_not_before_birth(d):
    """A missing period cannot start on or before the child's date of birth (the Missing
    table's own DOB); as the spec says, a start on the birth date is flagged too and
    MIS_END is not checked."""
    m = d["Missing"]
    return {"Missing": m.date("MIS_START") <= m.date("DOB")}
