"""Placements at 31 March (type, area, distance) and how stable they are."""
from __future__ import annotations

import pandas as pd

from ...prepare import Missing
from .children import GROUPS, counted, grouped
from .episodes import NEW_PLACEMENT, Episodes, age_on
from .figure import DEFINITIONS, Figure, Line, plural

OTHER = "Other placements"


def placement_type(ep: Episodes) -> Figure:
    cur = ep.current
    place = cur["place"].copy()
    temporary = place.isin(DEFINITIONS["temporary_places"])
    place[temporary] = ep.placement_before(cur.loc[temporary, "decom"])
    label = grouped(place, GROUPS["placement"], OTHER)
    blank = int((cur["place"] == "").sum())
    lines = counted(label[cur["place"] != ""], list(GROUPS["placement"]), len(cur))
    skipped = [f"{plural(blank, 'child')} with a blank placement type (PLACE) not counted"] if blank else []
    n = int((temporary & (place == "")).sum())
    if n:
        skipped.append(f"{plural(n, 'child')} in a temporary placement with no earlier placement held: "
                       "counted as other placements")
    return Figure("placement_type", lines, skipped)


def _derived(ep: Episodes, col: str) -> pd.Series | str:
    """A column worked out from the postcodes for each child's episode at 31 March, or why not."""
    try:
        values = ep.d["Episodes"][col]
    except Missing as e:
        return f"Not worked out: {e}."
    return pd.Series(values.to_numpy()[ep.current["pos"].to_numpy()], index=ep.current.index)


def placement_area(ep: Episodes) -> Figure:
    where = _derived(ep, "PL_LOCATION")
    if isinstance(where, str):
        return Figure("placement_area", [], note=where)
    n = len(where)
    lines = [Line("Inside the council's area", int((where == "IN").sum()), n),
             Line("Outside the council's area", int((where == "OUT").sum()), n)]
    unknown = int((where == "").sum())
    skipped = [f"{plural(unknown, 'child')} whose placement postcode (PL_POST) is blank or not in the "
               "postcode directory not counted"] if unknown else []
    return Figure("placement_area", lines, skipped)


def placement_distance(ep: Episodes) -> Figure:
    miles = _derived(ep, "PL_DISTANCE")
    if isinstance(miles, str):
        return Figure("placement_distance", [], note=miles)
    n = len(miles)
    lines = [Line("More than 20 miles from home", int((miles > 20).sum()), n),
             Line("20 miles or less", int((miles <= 20).sum()), n)]
    unknown = int(miles.isna().sum())
    skipped = [f"{plural(unknown, 'child')} whose home or placement postcode is blank or not in the postcode "
               "directory not counted"] if unknown else []
    return Figure("placement_distance", lines, skipped)


def short_term_stability(ep: Episodes) -> Figure:
    """Children looked after at 31 March with three or more placements in the year."""
    f = ep.frame[ep.usable & ~ep.frame["respite"] & ep.frame["child"].isin(ep.current.index)]
    on_1_april = f[(f["decom"] < ep.start) & (f["open_end"] | (f["dec"] >= ep.start))]
    new = f[f["decom"].between(ep.start, ep.end) & f["rne"].isin(NEW_PLACEMENT)]
    count = new.groupby("child").size().add(pd.Series(1, index=on_1_april["child"].unique()), fill_value=0)
    n = len(ep.current)
    lines = [Line("Three or more placements", int((count >= 3).sum()), n),
             Line("Two placements", int((count == 2).sum()), n),
             Line("One placement", int(n - (count >= 2).sum()), n)]
    return Figure("stability_short", lines, ep.unreadable())


def long_term_stability(ep: Episodes) -> Figure:
    """Children under 16 looked after for 2.5 years or more: how many in the same placement 2 years or more."""
    cur = ep.current
    h = ep.d.get("Header")
    dob = (pd.Series(h.date("DOB").to_numpy(), index=h["CHILD"]).groupby(level=0).first() if h is not None
           else pd.Series(dtype="datetime64[ns]"))
    age = age_on(dob.reindex(cur.index), ep.end)
    young = cur[age < 16]
    at_end = pd.Series(ep.end, index=young.index)
    long_ago, two_years = ep.end - pd.DateOffset(years=2, months=6), ep.end - pd.DateOffset(years=2)
    earliest = ep.first_known.reindex(young.index)
    began = ep.care_began(at_end).fillna(earliest.where(earliest <= long_ago))
    placed = ep.placement_began(at_end)
    adoptive = young["place"].isin(DEFINITIONS["adoption_places"]) & placed.notna()
    placed[adoptive] = ep.placement_began(placed[adoptive], strictly=True).fillna(placed[adoptive])
    placed = placed.fillna(earliest.where(earliest <= two_years))
    known = began.notna()
    qualifying = known & (began <= long_ago)
    stable = qualifying & placed.notna() & (placed <= two_years)
    lines = [Line("In the same placement for 2 years or more", int(stable.sum()), int(qualifying.sum())),
             Line("Under 16, looked after for 2.5 years or more", int(qualifying.sum()))]
    skipped = ep.unreadable()
    no_dob = int(age.isna().sum())
    if no_dob:
        skipped.append(f"{plural(no_dob, 'child')} with no readable date of birth not counted")
    unknown = int((~known).sum())
    if unknown:
        skipped.append(f"{plural(unknown, 'child')} whose start of care is not in the returns given not counted")
    return Figure("stability_long", lines, skipped)
