"""Chase lists: the findings a person has to look into, per social worker and child, with
plain-language guidance on what to check in the case record.

Guidance is hand-written for the rules that come up most on real 903 returns and
built from data for the rest: a sentence for the rule's error group, then the
meanings (from the table catalogue) of the fields the rule highlights.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import catalogue
from ..prepare.dates import parse_dates
from . import Report, finding_label
from .followup import FollowUp
from .groups import error_group

NO_WORKER = "no known social worker"
COLUMNS = ["worker", "child", "status", "since", "code", "problem", "what_to_check", "where", "table", "row",
           "fields", "values", "last_year", "cell"]
TITLES = ["Social worker", "Child", "Status", "Open since", "Code", "What is wrong (DfE message)", "What to check",
          "Where", "Table", "Row", "Fields", "Current values", "Last year's values", "Cell"]
FIXED_COLUMNS = ["worker", "child", "code", "problem", "where", "since"]
SUMMARY_COLUMNS = ["worker", "open", "new", "fixed", "oldest"]

# Which record of the child a row is, in words; {} is the row's key date as the return holds it.
RECORDS = {"Header": "Child's details", "Episodes": "Episode starting {}", "Reviews": "Review of {}",
           "UASC": "UASC details", "OC2": "Outcomes (OC2)", "OC3": "Care leaver details (OC3)",
           "AD1": "Adoption details (AD1)", "PlacedAdoption": "Adoption decision of {}",
           "PrevPerm": "Previous permanence", "Missing": "Missing or away from {}",
           "SWEpisodes": "Social worker allocated {}", "DoLo": "Deprivation of liberty order from {}"}

GROUP_CHECKS = {
    "Data integrity": "Check the child's identifier and date of birth are the same on every table, and that the "
                      "child appears only once where one record is allowed.",
    "Consistency with last year": "Compare with what was sent for this child last year: either last year's "
                                  "return was wrong (tell the 903 lead) or this year's value needs correcting.",
    "Placement postcode": "Check the placement address and the child's home address before care on the "
                          "placement record, and record full postcodes.",
    "URN": "Check the setting's Ofsted URN on the placement agreement or the Ofsted register.",
    "Provider code": "Check who provides the placement: parents (PR0), this council (PR1), another council (PR2), "
                     "other public body (PR3), private (PR4) or voluntary (PR5).",
    "Reviews": "Check the looked-after review records (IRO): the review dates and how the child took part.",
    "Social worker episodes": "Check the allocation history: who the child's social worker was, from when, until "
                              "when, and why it changed.",
    "Missing or away": "Check the missing and away-from-placement records: start and end dates, and whether the "
                       "child was missing or away without authorisation.",
    "UASC": "Check the child's UASC status and the date it ended (immigration or age assessment records).",
    "Outcomes (OC2)": "Check the health, dental, immunisation, SDQ, offending and substance misuse records for "
                      "this year.",
    "Care leavers (OC3)": "Check the care leaver's record around their birthday: contact, activity and "
                          "accommodation.",
    "Adoption": "Check the adoption record: the decision, matching and placement dates and the adopters' details.",
    "Previous permanence": "Check whether the child had an adoption, special guardianship or child arrangements "
                           "order before this period of care, made by which council and when.",
    "Deprivation of liberty": "Check the dates of any deprivation of liberty orders.",
    "Dates": "Check the dates on the case record; each must be a real date, written dd/mm/yyyy.",
    "Episode codes": "Check the episode against the court orders and placement records: legal status, "
                     "placement type, reason it started and reason it ended.",
    "Child details": "Check the child's personal details on the child's record.",
    "Other": "Check the values named below on the child's record.",
    "Local": "One of this council's own checks (not a DfE rule): see its notes on the Local rules sheet.",
}

# Fields worked out from postcodes, not typed: say where they come from.
DERIVED = {
    "PL_LA": "the placement's local authority, worked out from the placement postcode",
    "PL_LOCATION": "whether the placement is inside or outside the council's area, worked out from the postcode",
    "PL_DISTANCE": "the distance from home to placement, worked out from the two postcodes",
}

_POSTCODES = ("No usable postcode for this episode. Check the placement address on the placement record and the "
              "address the child lived at before care, and record both full postcodes (e.g. TW9 1DN). Placements "
              "outside England and children who are or were UASC can be exceptions: tell the 903 lead.")
_CONTINUITY = ("This year's first episode does not carry on from the episode open at the end of last year. Check "
               "the placement on 31 March and 1 April: if it really changed, this year needs a new episode from that "
               "date; if not, one of the two returns is wrong (tell the 903 lead).")
_URN_DATES = ("Ofsted's register shows the setting was not registered on this episode's date (it opened later or "
              "closed earlier). Check the URN and the placement dates on the placement record.")
_SW_ALLOCATION = ("Check the allocation history for who the child's social worker was and from when, so that "
                  "each worker's episode ends the day the next one starts.")
_REVIEWS = ("Check the review record (IRO): the date of the review and how the child took part (PN0 under 4; "
            "PN1-PN7 for how the child attended or gave views).")

HAND_WRITTEN = {
    "392a": _POSTCODES, "392b": _POSTCODES, "169": _POSTCODES, "179": _POSTCODES, "164": _POSTCODES,
    "392c": ("A postcode is not a real, current UK postcode. Check the placement address and the child's home "
             "address on the case record and copy the full postcode from them."),
    "1015": ("The placement is recorded as this council's own provision but its postcode is outside the council. "
             "Check the placement postcode and who provides the placement."),
    "1008": "The URN is not in Ofsted's register. Check the setting's URN on the placement agreement or Ofsted's "
            "website and correct it.",
    "218": "This type of placement needs the setting's Ofsted URN. Find it on the placement agreement or the "
           "setting's Ofsted report.",
    "222": "This type of placement (e.g. foster care, placed with parents) has no URN. Check the placement type; "
           "if it is right, the URN should be removed.",
    "224": "The provider code does not fit what Ofsted records for this URN. Check who runs the setting (private, "
           "voluntary, council) and that the URN is this setting's.",
    "221": "The placement postcode is not the address Ofsted holds for this URN. Check the setting's address and "
           "the URN on the placement record.",
    "227": _URN_DATES, "228": _URN_DATES,
    "178": "The placement provider code is not one of PR0-PR5. " + GROUP_CHECKS["Provider code"],
    "103": "Check the child's ethnicity as the child or family gave it on the child's record, and use its DfE code.",
    "168": "Check the UPN with the child's school or the virtual school (a letter then 12 characters); if it is "
           "not known, use UN1-UN5 with the reason.",
    "442": "The UPN is blank. Ask the virtual school for it; if it is not known, use UN1-UN5 with the reason.",
    "208": "The UPN differs from last year's. A child keeps one UPN: check which is right with the virtual school.",
    "204": "The ethnicity differs from last year's. Check with the child's record which is right; one of the two "
           "returns is wrong.",
    "202": "The child's sex differs from last year's. Check the child's record; one of the two returns is wrong.",
    "203": "The date of birth differs from last year's. Check the birth certificate or the child's record.",
    "SW13STG1": "The reason for the change of social worker is blank or not a valid code. Check the allocation "
                "history for why this worker was allocated (first contact, caseload, team transfer, absence cover, "
                "worker left, child's request...).",
    "SW11bSTG2": "This social worker's episode ended before 31 March but no next worker is recorded. "
                 + _SW_ALLOCATION,
    "SW08STG2": "A new social worker was allocated while the previous episode was still open. " + _SW_ALLOCATION,
    "SW10STG2": "A new social worker episode starts before the previous one ended. " + _SW_ALLOCATION,
    "191": "The child has been looked after for 12 months, so the immunisations, dental check, health assessment "
           "and substance misuse fields must all be filled in. Check this year's health records (LAC health team).",
    "186": "Check whether the carer's SDQ questionnaire was completed this year; record the total score, or the "
           "reason there is none.",
    "503E": _CONTINUITY, "503G": _CONTINUITY, "503H": _CONTINUITY, "503J": _CONTINUITY,
    "452": _CONTINUITY, "453": _CONTINUITY,
    "142": "The previous episode has no end date or reason, yet a new one starts. Check the placement history for "
           "the date and reason the previous episode ended.",
    "433": "This episode continues the last one, so it must start on the day the last one ended. Check the "
           "placement and legal status dates.",
    "435": "The reason for new episode says only the placement changed, but the episode does not show that (same "
           "placement details, or a different legal status). Check what changed on that date.",
    "434": "The reason for new episode says only the legal status changed, but the episode does not show that. "
           "Check the court orders and the placement on that date.",
    "225": "The placement ended but no reason for the change is recorded. Check why it ended (care plan, carer's "
           "or child's request, allegation, standards of care...).",
    "226": "Temporary placements (T0-T4) take no reason for placement change. Check the placement type; if it is "
           "right, the reason should be blank.",
    "166": _REVIEWS, "167": _REVIEWS,
    "393": "Record whether the young woman is herself a mother: 1 yes, 0 no.",
    "559": "The decision to place for adoption is dated before this year but was not in last year's return. "
           "Check the date of the decision on the adoption record.",
}

_NOTE = re.compile(r"\s*\([^()]*(?:rule|yaml|see |INT\d|Header\.)[^()]*\)")


def field_meaning(table: str, field: str) -> str:
    """What a column holds, in words, without the catalogue's cross-references."""
    if field in DERIVED:
        return DERIVED[field]
    spec = catalogue.all_tables().get(table.removesuffix("_last"), {"columns": []})
    for col in spec["columns"]:
        if col["name"] == field:
            return _NOTE.sub("", col.get("meaning", "")).strip() or field
    return field


def guidance(rule) -> str:
    """What to check in the case record for a finding of ``rule``."""
    if rule.code in HAND_WRITTEN:
        return HAND_WRITTEN[rule.code]
    text = GROUP_CHECKS.get(error_group(rule), GROUP_CHECKS["Other"])
    fields = [(t, f) for t, fs in rule.fields.items() if not t.endswith("_last") for f in fs if f != "CHILD"]
    if fields:
        text += " Look at: " + "; ".join(f"{field_meaning(t, f)} ({f})" for t, f in dict.fromkeys(fields)) + "."
    return text


def workers(report: Report) -> dict[str, str]:
    """{child: SW_ID} from SWEpisodes: the episode open at the end of the period, else the latest."""
    raw = report.tables.get("SWEpisodes")
    if raw is None or not {"CHILD", "SW_ID", "SW_DECOM", "SW_DEC"} <= set(raw.frame.columns):
        return {}
    f = raw.frame
    start, end = parse_dates(f["SW_DECOM"].str.strip()), parse_dates(f["SW_DEC"].str.strip())
    period_end = pd.Timestamp(report.collection_end)
    open_at_end = (start <= period_end) & ((f["SW_DEC"].str.strip() == "") | (end >= period_end))
    table = pd.DataFrame({"child": f["CHILD"].str.strip(), "worker": f["SW_ID"].str.strip().str.upper(),
                          "open": open_at_end, "start": start})
    table = table[(table["child"] != "") & (table["worker"] != "")]
    latest = table.sort_values(["open", "start"], na_position="first").groupby("child").tail(1)
    return dict(zip(latest["child"], latest["worker"]))


def _resolved_by_fixes(findings: pd.DataFrame, fixes: pd.DataFrame | None) -> np.ndarray:
    """True for findings a previewed safe fix resolves (same table, row, field and rule)."""
    if fixes is None or not len(fixes) or not len(findings):
        return np.zeros(len(findings), dtype=bool)
    done = {(t, r, c, code) for t, r, c, codes in zip(fixes["table"], fixes["row"], fixes["column"],
                                                       fixes["resolves"]) for code in codes}
    return np.array([any((t, r, f, code) in done for f in fields)
                     for t, r, fields, code in zip(findings["table"], findings["row"], findings["fields"],
                                                   findings["code"])], dtype=bool)


def where(table: str, raw, positions: np.ndarray, fields) -> list[str]:
    """Which record of the child each finding is on, and its columns: 'Episode starting 01/04/2025: DEC'."""
    base = table.removesuffix("_last")
    pattern = RECORDS.get(base, base)
    key = [c for c in catalogue.all_tables().get(base, {}).get("key", []) if c != "CHILD"]
    dates = (raw.frame[key[0]].to_numpy()[positions] if raw is not None and key and key[0] in raw.frame.columns
             else [""] * len(positions))
    after = " (last year's return)" if table.endswith("_last") else ""
    return [f"{pattern.format(d or '(no date)')}{after}: {', '.join(fs)}" if fs else pattern.format(d) + after
            for d, fs in zip(dates, fields)]


def _values(raw, positions: np.ndarray, fields: pd.Series) -> list[str]:
    """Each finding's fields with their values on its row: 'ETHNIC=XXXX, UPN=UN1'."""
    if raw is None:
        return [""] * len(positions)
    used = {fld for fs in fields for fld in fs if fld in raw.frame.columns}
    column = {fld: raw.frame[fld].to_numpy()[positions] for fld in used}  # a column's values on these rows
    return [", ".join(f"{fld}={column[fld][i]}" for fld in fs if fld in column) for i, fs in enumerate(fields)]


def chase_list(report: Report, fixes: pd.DataFrame | None = None, follow: FollowUp | None = None) -> pd.DataFrame:
    """The findings that need a person, one row each, sorted by social worker and child.

    ``fixes``: the preview of safe fixes (``xl_validator.fix.preview``); findings they
    resolve are left out, as the analyst can fix those in bulk. ``follow``: what the run history
    knows (``followup.follow_up``): status 'new' or 'open' and the date first seen; without it
    both are blank.
    """
    f = report.findings[~_resolved_by_fixes(report.findings, fixes)]
    if not len(f):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    who = workers(report)
    last_year = report.last_year()
    texts = {code: guidance(report.rules[code]) if code in report.rules else "" for code in f["code"].unique()}
    since = follow.since.reindex(f.index) if follow is not None else pd.Series(pd.NaT, index=f.index)
    status = (since.isna().map({True: "new", False: "open"}) if follow is not None
              else pd.Series("", index=f.index))
    if follow is not None:  # a new finding was first seen now
        since = since.fillna(pd.Timestamp.now().normalize())
    parts = []
    for table, group in f.groupby("table", sort=False):
        raw = report.tables.get(table)
        pos = raw.positions(group["row"].to_numpy()) if raw is not None else group["row"].to_numpy()
        values = _values(raw, pos, group["fields"])
        label = f"{table.removesuffix('_last')} (last year)" if table.endswith("_last") else table
        parts.append(pd.DataFrame({
            "worker": [who.get(c, NO_WORKER) for c in group["child"].str.strip().tolist()],
            "child": group["child"].to_numpy(), "status": status.loc[group.index].to_numpy(),
            "since": since.loc[group.index].dt.normalize().to_numpy(), "code": finding_label(group).to_numpy(),
            "problem": group["message"].to_numpy(), "what_to_check": group["code"].map(texts).to_numpy(),
            "where": where(table, raw, pos, group["fields"]),
            "table": label, "row": raw.rows[pos] if raw is not None else pos + 2,
            "fields": group["fields"].map(", ".join).to_numpy(), "values": values,
            "last_year": last_year.loc[group.index].to_numpy(), "cell": group["cell"].to_numpy(),
        }, index=group.index))
    out = pd.concat(parts)
    out["_none"] = out["worker"] == NO_WORKER
    return (out.sort_values(["_none", "worker", "child", "code", "table", "row"], kind="stable")
            .drop(columns="_none")[COLUMNS])


def fixed_list(report: Report, follow: FollowUp | None) -> pd.DataFrame:
    """What the last chase listed that is fixed now, per worker it was listed for, with thanks in mind."""
    if follow is None or not len(follow.fixed):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIXED_COLUMNS})
    g = follow.fixed
    messages = g["code"].map(lambda c: report.rules[c].message if c in report.rules else "")
    out = pd.DataFrame({"worker": g["worker"].replace("", NO_WORKER), "child": g["child"], "code": g["code"],
                        "problem": messages, "where": g["table"] + ": " + g["fields"].str.replace(",", ", "),
                        "since": g["since"].dt.normalize()})
    out["_none"] = out["worker"] == NO_WORKER
    return (out.sort_values(["_none", "worker", "child", "code"], kind="stable").drop(columns="_none")
            .reset_index(drop=True)[FIXED_COLUMNS])


def per_worker(items: pd.DataFrame, fixed: pd.DataFrame) -> pd.DataFrame:
    """Per social worker: findings open, of which new, fixed since the last chase, oldest open (first seen)."""
    names = list(dict.fromkeys([*items["worker"], *fixed["worker"]]))
    by = items.groupby("worker")
    new = items[items["status"] == "new"].groupby("worker").size()
    out = pd.DataFrame({"worker": names, "open": by.size().reindex(names, fill_value=0).to_numpy(),
                        "new": new.reindex(names, fill_value=0).to_numpy(),
                        "fixed": fixed.groupby("worker").size().reindex(names, fill_value=0).to_numpy(),
                        "oldest": pd.to_datetime(by["since"].min().reindex(names)).to_numpy()})
    out["_none"] = out["worker"] == NO_WORKER
    return out.sort_values(["_none", "worker"], kind="stable").drop(columns="_none").reset_index(drop=True)
