"""Unaccompanied asylum-seeking children: the date UASC status ceased (DUC) and the
UASC status from one year to the next.

UASC status is Header.UASC ('1' = UASC). For CSV returns the loader derives it as
'1' for every child listed in the UASC table (as the DfE does); XML returns carry it.
Where a CSV return has no Header, the status is derived from the UASC row itself:
'1' when its SEX or DUC is filled in.
"""
import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years


def own_row_status(t) -> pd.Series:
    """UASC status derived from a UASC table's own rows: '1' when SEX or DUC is filled."""
    filled = ~t.blank("SEX") | ~t.blank("DUC")
    return pd.Series(np.where(filled, "1", "0"), index=t.index)


def _status_sources(d):
    """This year's and last year's Header (None where a CSV return lacks it). XML returns
    must supply both Headers: the UASC table of an XML return carries no status."""
    if d.file_format == "xml":
        return d["Header"], d["Header_last"]
    return d.get("Header"), d.get("Header_last")


def uasc_two_years(d) -> pd.DataFrame:
    """Each row of this year's UASC table (``pos``) joined on CHILD, as the logic joins it,
    to every Header row of the child (``hpos``, -1 if none; ``this``, its status) and to
    every UASC_last row of the child (``last_duc``, ``last_dob``, and ``last``: its status,
    from each Header_last row of the child where Header_last is used). Statuses are '' where
    a supplied Header lacks the child or the child is not in UASC_last; a child repeated in
    any of these tables gives several pairs, whatever the row order. Also this year's DUC
    (``duc_blank``, ``duc``). Shared by 205A-205C through ``d.memo``."""
    return d.memo("uasc_two_years", lambda: _uasc_two_years(d))


def _uasc_two_years(d) -> pd.DataFrame:
    u, ul = d["UASC"], d["UASC_last"]
    header, header_last = _status_sources(d)
    pairs = pd.DataFrame({"CHILD": u["CHILD"].to_numpy(), "pos": np.arange(len(u)),
                          "duc_blank": u.blank("DUC").to_numpy(), "duc": u.date("DUC").to_numpy()})
    if header is not None:
        status = pd.DataFrame({"CHILD": header["CHILD"].to_numpy(), "this": header["UASC"].to_numpy(),
                               "hpos": np.arange(len(header))})
        pairs = pairs.merge(status, on="CHILD", how="left")
    else:
        pairs["this"], pairs["hpos"] = own_row_status(u).to_numpy(), -1
    last = pd.DataFrame({"CHILD": ul["CHILD"].to_numpy(), "last_duc": ul.date("DUC").to_numpy(),
                         "last_dob": ul.date("DOB").to_numpy(), "last": own_row_status(ul).to_numpy()})
    if header_last is not None:
        last_status = pd.DataFrame({"CHILD": header_last["CHILD"].to_numpy(), "last": header_last["UASC"].to_numpy()})
        last = last.drop(columns="last").merge(last_status, on="CHILD", how="left")
    pairs = pairs.merge(last, on="CHILD", how="left")
    pairs["this"], pairs["last"] = pairs["this"].fillna(""), pairs["last"].fillna("")
    pairs["hpos"] = pairs["hpos"].fillna(-1).astype("int64")
    return pairs


def _with_header_rows(d, s: pd.DataFrame, flagged: pd.Series) -> dict:
    """Flag the UASC row of each failing pair and, when a Header table was supplied, the
    pair's Header row."""
    flagged = flagged.to_numpy(dtype=bool)
    out = {"UASC": np.unique(s["pos"].to_numpy()[flagged])}
    if d.get("Header") is not None:
        hpos = s["hpos"].to_numpy()[flagged]
        out["Header"] = np.unique(hpos[hpos >= 0])
    return out


@rule("104")
def duc_valid(d):
    """DUC, when filled in, must be a real dd/mm/yyyy date on or after collection_start,
    as the spec's logic says (the message speaks only of an invalid date)."""
    u = d["UASC"]
    duc = u.date("DUC")
    return {"UASC": ~u.blank("DUC") & (duc.isna() | (duc < d.collection_start))}


@rule("205A")
def uasc_ended_supported_by_duc(d):
    """A child UASC last year but not this year must have ceased being UASC last year:
    last year's DUC a valid date inside the previous collection year, and no DUC this year.
    A status not '1' includes blank, and a child missing from a supplied Header has a blank
    status. With CSV input every UASC row listed in Header has status '1' this year."""
    s = uasc_two_years(d)
    prev_start = d.collection_start - pd.DateOffset(years=1)
    prev_end = d.collection_end - pd.DateOffset(years=1)
    ceased_last_year = (s["last_duc"] >= prev_start) & (s["last_duc"] <= prev_end)
    flagged = ((s["this"] != "1") & (s["last"] == "1")
               & (~s["duc_blank"] | ~ceased_last_year))
    return _with_header_rows(d, s, flagged)


@rule("205B")
def uasc_continues_supported_by_duc(d):
    """A child UASC in both years: last year's DUC is the 18th birthday (from last year's
    DOB), and this year's DUC is in this collection year or repeats last year's.
    Blank or unparseable dates count as missing and never match."""
    s = uasc_two_years(d)
    birthday_18 = add_years(s["last_dob"], 18)
    in_year = (s["duc"] >= d.collection_start) & (s["duc"] <= d.collection_end)
    flagged = ((s["this"] == "1") & (s["last"] == "1")
               & ((s["last_duc"] != birthday_18) | (~in_year & (s["duc"] != s["last_duc"]))))
    return _with_header_rows(d, s, flagged)


@rule("205C")
def duc_only_for_uasc(d):
    """A child UASC in neither year (status '0' or blank; absent from UASC_last, or from a
    supplied Header, counts as blank) must have no valid DUC in either year. With CSV input
    every UASC row listed in Header has status '1'."""
    s = uasc_two_years(d)
    not_uasc = s["this"].isin(["0", ""]) & s["last"].isin(["0", ""])
    flagged = not_uasc & (s["duc"].notna() | s["last_duc"].notna())
    return _with_header_rows(d, s, flagged)


def _status_table(d, header_name, uasc_name):
    """(table name, CHILD, status) from the Header if supplied, else derived from UASC rows."""
    header = d.get(header_name)
    if header is not None:
        return header_name, header["CHILD"], header["UASC"]
    u = d[uasc_name]
    return uasc_name, u["CHILD"], own_row_status(u)


@rule("205D")
def uasc_this_year_was_uasc_last_year(d):
    """A child with UASC status '1' this year had status '1' last year too (children in
    only one of the years are not compared). Each row of this year is joined on CHILD to
    every row of last year, so any last-year row of the child not '1' flags it."""
    name, child, status = _status_table(d, "Header", "UASC")
    last_name, last_child, last_status = _status_table(d, "Header_last", "UASC_last")
    now = pd.DataFrame({"CHILD": child.to_numpy(), "pos": np.arange(len(child))})[(status == "1").to_numpy()]
    before = pd.DataFrame({"CHILD": last_child.to_numpy()})[(last_status != "1").to_numpy()]
    return {name: np.unique(now.merge(before, on="CHILD", how="inner")["pos"].to_numpy())}


@rule("303")
def duc_means_uasc(d):
    """A filled-in DUC (any text) needs the child's Header UASC to be numerically 1.
    Flags both the UASC row and the Header row; children absent from Header are INT09's."""
    u, h = d["UASC"], d["Header"]
    status_is_1 = h.number("UASC") == 1
    ducs = pd.DataFrame({"CHILD": u["CHILD"], "u_pos": np.arange(len(u))})[(~u.blank("DUC")).to_numpy()]
    heads = pd.DataFrame({"CHILD": h["CHILD"], "h_pos": np.arange(len(h))})[(~status_is_1).to_numpy()]
    pairs = ducs.merge(heads, on="CHILD", how="inner")
    return {"UASC": pairs["u_pos"].to_numpy(), "Header": pairs["h_pos"].to_numpy()}


@rule("304")
def duc_by_18th_birthday(d):
    """UASC status ends on or before the 18th birthday (29 February -> 28 February)."""
    u = d["UASC"]
    return {"UASC": u.date("DUC") > add_years(u.date("DOB"), 18)}
