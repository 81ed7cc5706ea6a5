"""Care in the year: adoption timeliness, missing episodes, reviews on time, care leavers."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .episodes import Episodes, age_on
from .figure import DEFINITIONS, Figure, Line, plural


def adoption_timeliness(ep: Episodes) -> Figure:
    """Median days from the start of care to the first placement for adoption, for children adopted."""
    f = ep.frame[ep.usable & ~ep.frame["respite"]]
    adopted = f[f["dec"].between(ep.start, ep.end) & f["rec"].isin(DEFINITIONS["adopted"])]
    adopted = adopted.sort_values(["child", "dec"], kind="stable").groupby("child").tail(1).set_index("child")
    began = ep.care_began(adopted["decom"])
    h = ep.history
    placed_for_adoption = h[h["place"].isin(DEFINITIONS["adoption_places"])]
    days = []
    no_start = no_placement = 0
    for child, start in began.items():
        if pd.isna(start):
            no_start += 1
            continue
        when = placed_for_adoption.loc[(placed_for_adoption["child"] == child)
                                       & placed_for_adoption["decom"].between(start, adopted.at[child, "dec"]), "decom"]
        if when.empty:
            no_placement += 1
        else:
            days.append((when.min() - start).days)
    lines = [Line("Median days", float(np.median(days)) if days else None, people=False),
             Line("Children adopted in the year", len(adopted)),
             Line("Shortest (days)", min(days) if days else None, people=False),
             Line("Longest (days)", max(days) if days else None, people=False)]
    skipped = ep.unreadable()
    if no_start:
        skipped.append(f"{plural(no_start, 'child')} adopted whose start of care is not in the returns given "
                       "not counted")
    if no_placement:
        skipped.append(f"{plural(no_placement, 'child')} adopted with no placement for adoption (A3-A6) held "
                       "not counted")
    return Figure("adoption", lines, skipped)


def missing(ep: Episodes) -> Figure:
    m = ep.d.get("Missing")
    if m is None:
        return Figure("missing", [], note="Not worked out: the return has no Missing table.")
    start = m.date("MIS_START")
    child, kind = m["CHILD"], m["MISSING"]
    keep = ~m.blank("CHILD") & start.between(ep.start, ep.end) & kind.isin(["M", "A"]) & ~child.isin(ep.respite_only)
    lines = []
    for code, what in (("M", "missing"), ("A", "away from placement")):
        rows = keep & (kind == code)
        lines += [Line(f"Children {what}", int(child[rows].nunique())),
                  Line(f"Episodes {what}", int(rows.sum()))]
    skipped = []
    bad = int((start.isna() & ~m.blank("CHILD")).sum())
    if bad:
        skipped.append(f"{plural(bad, 'episode')} with a blank or unreadable start date (MIS_START) not counted")
    odd = int((~kind.isin(["M", "A"]) & start.between(ep.start, ep.end)).sum())
    if odd:
        skipped.append(f"{plural(odd, 'episode')} neither missing (M) nor away (A) in MISSING not counted")
    return Figure("missing", lines, skipped)


def _reviews(d) -> pd.DataFrame:
    r = d.get("Reviews") if d is not None else None
    if r is None:
        return pd.DataFrame({"child": pd.Series(dtype=object), "when": pd.Series(dtype="datetime64[ns]")})
    return pd.DataFrame({"child": r["CHILD"], "when": r.date("REVIEW")})[~r.blank("CHILD").to_numpy()]


def reviews_on_time(ep: Episodes) -> Figure:
    """Each review of the year against the statutory timescale from the one before it."""
    r = ep.d.get("Reviews")
    if r is None:
        return Figure("reviews", [], note="Not worked out: the return has no Reviews table.")
    this = _reviews(ep.d)
    this = this[~this["child"].isin(ep.respite_only)]
    unreadable = int(this["when"].isna().sum())
    known = pd.concat([this.dropna(), _reviews(ep.earlier).dropna()]).drop_duplicates()
    known = known.sort_values(["child", "when"], kind="stable").reset_index(drop=True)
    known["care"] = ep.care_began(known.set_index("child")["when"]).to_numpy()
    # Reviews are held from this year's start, or last year's when its reviews were given: a period of
    # care that began before then may have had reviews not held, so its reviews' order is not known.
    held_from = ep.earlier.collection_start if len(_reviews(ep.earlier)) else ep.start
    known.loc[known["care"] < held_from, "care"] = pd.NaT
    period = known["care"].fillna(pd.Timestamp.min)  # reviews with no start of care held: one unknown period
    grouped = known.groupby([known["child"], period], sort=False)
    known["nth"], known["before"] = grouped.cumcount(), grouped["when"].shift(1)
    known = known[known["when"].between(ep.start, ep.end)]
    start_known = known["care"].notna()
    first = start_known & (known["nth"] == 0)
    second = start_known & (known["nth"] == 1)
    later = known["nth"] >= 2  # with no start of care held, still at least the third review
    due = pd.Series(pd.NaT, index=known.index, dtype="datetime64[ns]")
    if first.any():
        days = known.loc[first, "care"].to_numpy().astype("datetime64[D]")
        due[first] = np.busday_offset(days, 20, roll="backward").astype("datetime64[ns]")
    due[second] = known.loc[second, "before"] + pd.DateOffset(months=3)
    due[later] = known.loc[later, "before"] + pd.DateOffset(months=6)
    measured = due.notna()
    on_time = measured & (known["when"] <= due)
    n = int(measured.sum())
    lines = [Line("Reviews on time", int(on_time.sum()), n), Line("Reviews late", int((measured & ~on_time).sum()), n)]
    for label, which in (("First reviews on time", first), ("Second reviews on time", second),
                         ("Later reviews on time", later)):
        lines.append(Line(label, int((on_time & which).sum()), int(which.sum())))
    skipped = []
    if unreadable:
        skipped.append(f"{plural(unreadable, 'review')} with a blank or unreadable date (REVIEW) not counted")
    unsure = int((~measured).sum())
    if unsure:
        skipped.append(f"{plural(unsure, 'review')} whose place in the sequence is not known (start of care and "
                       "earlier reviews not in the returns given) not counted")
    return Figure("reviews", lines, skipped, people=False)


def care_leavers(ep: Episodes) -> list[Figure]:
    """In touch, in education, employment or training, and in suitable accommodation, per age group."""
    keys = ("leavers_touch", "leavers_eet", "leavers_accom")
    oc3 = ep.d.get("OC3")
    if oc3 is None:
        return [Figure(k, [], note="Not worked out: the return has no OC3 table.") for k in keys]
    age = age_on(oc3.date("DOB"), ep.end)
    group = pd.Series(np.select([age == 17, age == 18, age.between(19, 21)], ["Aged 17", "Aged 18", "Aged 19 to 21"],
                                ""), index=age.index)
    tests = {"leavers_touch": oc3["IN_TOUCH"] == "YES",
             "leavers_eet": oc3["ACTIV"].isin(DEFINITIONS["eet"]),
             "leavers_accom": oc3["ACCOM"].str.endswith("1")}
    counted = group != ""
    skipped = []
    bad = int(age.isna().sum())
    if bad:
        skipped.append(f"{plural(bad, 'young person')} with a blank or unreadable date of birth (DOB) not counted")
    outside = int((age.notna() & ~counted).sum())
    if outside:
        skipped.append(f"{plural(outside, 'young person')} not aged 17 to 21 in the year not counted")
    figures = []
    for key in keys:
        yes = tests[key] & counted
        lines = [Line("All aged 17 to 21", int(yes.sum()), int(counted.sum()))]
        for label in ("Aged 17", "Aged 18", "Aged 19 to 21"):
            lines.append(Line(label, int((yes & (group == label)).sum()), int((group == label).sum())))
        figures.append(Figure(key, lines, list(skipped)))
    return figures
