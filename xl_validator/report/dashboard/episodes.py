"""The episodes as the figures read them: who is looked after on 31 March, in which episode,
and when each period of care and placement began (reaching into last year's return)."""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ...prepare import Data
from .figure import DEFINITIONS, plural

RESPITE = DEFINITIONS["respite"]
NEW_PLACEMENT = DEFINITIONS["new_placement_rne"]


def age_on(dob: pd.Series, day: pd.Timestamp) -> pd.Series:
    """Whole years of age on ``day`` (NaN where the date of birth is unknown)."""
    years = day.year - dob.dt.year
    before_birthday = (dob.dt.month > day.month) | ((dob.dt.month == day.month) & (dob.dt.day > day.day))
    return (years - before_birthday.astype(float)).where(dob.notna())


class Episodes:
    """This year's episodes (``d``), with last year's (``earlier``) for when care began."""

    def __init__(self, d: Data, earlier: Data | None = None):
        self.d, self.start, self.end = d, d.collection_start, d.collection_end
        e = d["Episodes"]
        self.frame = pd.DataFrame({
            "child": e["CHILD"], "decom": e.date("DECOM"), "dec": e.date("DEC"), "rne": e["RNE"],
            "ls": e["LS"], "cin": e["CIN"], "place": e["PLACE"], "rec": e["REC"],
            "no_child": e.blank("CHILD"), "no_decom": e.date("DECOM").isna(),
            "bad_dec": e.date("DEC").isna() & ~e.blank("DEC"), "open_end": e.blank("DEC")})
        self.frame["respite"] = self.frame["ls"].isin(RESPITE)
        self.frame["pos"] = self.frame.index  # the episode's row in the prepared table
        f = self.frame
        self.usable = ~(f["no_child"] | f["no_decom"] | f["bad_dec"])
        self.earlier = earlier

    # --- what could not be read -----------------------------------------------------------------

    def unreadable(self, dec_matters: bool = True) -> list[str]:
        """Why some episodes were left out of a figure, in words."""
        f = self.frame
        out = []
        if f["no_child"].any():
            out.append(f"{plural(int(f['no_child'].sum()), 'episode')} with no CHILD")
        n = int((f["no_decom"] & ~f["no_child"]).sum())
        if n:
            out.append(f"{plural(n, 'episode')} with a blank or unreadable start date (DECOM)")
        n = int((f["bad_dec"] & ~f["no_decom"] & ~f["no_child"]).sum()) if dec_matters else 0
        if n:
            out.append(f"{plural(n, 'episode')} with an unreadable end date (DEC)")
        return [f"{text} not counted" for text in out]

    # --- 31 March ---------------------------------------------------------------------------------

    @cached_property
    def open_at_end(self) -> pd.Series:
        f = self.frame
        return self.usable & (f["decom"] <= self.end) & (f["open_end"] | (f["dec"] > self.end))

    @cached_property
    def current(self) -> pd.DataFrame:
        """One row per child looked after at 31 March (short breaks left out): the latest
        episode open then, indexed by CHILD."""
        f = self.frame[self.open_at_end & ~self.frame["respite"]]
        f = f.sort_values(["child", "decom"], kind="stable").groupby("child", sort=False).tail(1)
        return f.set_index("child")

    @cached_property
    def respite_only_at_end(self) -> int:
        f = self.frame[self.open_at_end & self.frame["respite"]]
        return int((~f["child"].isin(self.current.index)).groupby(f["child"]).all().sum())

    @cached_property
    def respite_only(self) -> set:
        """Children all of whose usable episodes are short breaks (V3, V4)."""
        f = self.frame[self.usable]
        return set(f.loc[f.groupby("child")["respite"].transform("all"), "child"])

    # --- periods of care and placements, over this and last year's episodes -----------------------

    @cached_property
    def history(self) -> pd.DataFrame:
        """Usable episodes of this and last year's return, one per (child, DECOM), oldest first;
        this year's row wins where both returns hold the episode."""
        cols = ["child", "decom", "rne", "place"]
        parts = [self.frame.loc[self.usable, cols]]
        if self.earlier is not None and self.earlier.has("Episodes"):
            last = Episodes(self.earlier)
            parts.append(last.frame.loc[last.usable, cols])
        h = pd.concat(parts, ignore_index=True).drop_duplicates(["child", "decom"], keep="first")
        return h.sort_values(["child", "decom"], kind="stable").reset_index(drop=True)

    @cached_property
    def first_known(self) -> pd.Series:
        """Each child's earliest episode start held in the returns given."""
        return self.history.groupby("child")["decom"].min()

    @staticmethod
    def _asof(starts: pd.DataFrame, at: pd.Series, shift_days: int, value: str) -> pd.DataFrame:
        """For each (child, date) of ``at`` (indexed by child), the ``value`` of the latest row of
        ``starts`` for that child starting on or before the date less ``shift_days``; the
        result's ``pos`` is the position in ``at``."""
        q = pd.DataFrame({"child": at.index.astype(object), "at": pd.to_datetime(at.to_numpy()).as_unit("ns"),
                          "pos": np.arange(len(at))}).dropna(subset=["at"])
        q["at"] -= pd.Timedelta(days=shift_days)
        q["child"] = q["child"].astype(str)
        s = pd.DataFrame({"child": starts["child"].astype(object).to_numpy(),
                          "found": pd.to_datetime(starts["decom"].to_numpy()).as_unit("ns"),
                          "value": starts[value].to_numpy()}).sort_values("found")
        s["child"] = s["child"].astype(str)  # one key type on both sides, whatever pandas inferred
        return pd.merge_asof(q.sort_values("at"), s, left_on="at", right_on="found", by="child",
                             direction="backward")

    def _latest_before(self, starts: pd.DataFrame, at: pd.Series, strictly: bool = False) -> pd.Series:
        """Per (child, date) in ``at``, the latest start of ``starts`` on or before the date
        (before it, if ``strictly``); NaT where none is held."""
        m = self._asof(starts, at, 1 if strictly else 0, "decom")
        out = np.full(len(at), np.datetime64("NaT"), dtype="datetime64[ns]")
        out[m["pos"].to_numpy()] = m["found"].to_numpy()
        return pd.Series(out, index=at.index)

    def care_began(self, at: pd.Series) -> pd.Series:
        """Start of the period of care each child (index) was in on the date (value): the latest
        episode with RNE S on or before it; NaT when no such episode is held."""
        h = self.history
        return self._latest_before(h[h["rne"] == "S"], at)

    def placement_began(self, at: pd.Series, strictly: bool = False) -> pd.Series:
        """Start of the placement each child was in on the date: the latest episode with a new
        placement (RNE S, P, B, T or U) on or before it."""
        h = self.history
        return self._latest_before(h[h["rne"].isin(NEW_PLACEMENT)], at, strictly)

    def placement_before(self, at: pd.Series) -> pd.Series:
        """PLACE of each child's (index) latest non-temporary episode starting before the date
        (value): the placement a temporary one interrupts ('' if none is held)."""
        h = self.history
        m = self._asof(h[~h["place"].isin(DEFINITIONS["temporary_places"])], at, 1, "place")
        out = np.full(len(at), "", dtype=object)
        out[m["pos"].to_numpy()] = m["value"].fillna("").to_numpy()
        return pd.Series(out, index=at.index)
