"""Child details checked against the rest of the return: mother status, the child's
age at the start and end of episodes, and that each child has episodes or OC3 data."""
import functools

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, any_header_dob, child_in, episodes_sorted, header_pairs, isin, once_per_value
from .header import flagged_positions, last_year_pairs

SHORT_BREAKS = ("V3", "V4")


@rule("165")
def mother_status_valid(d):
    """MOTHER against sex and care, for children with an episode that is not a short break
    (LS V3/V4), as the spec's logic says: MOTHER given but not 0/1, or given for a male;
    a female with MOTHER blank though looked after in the year, or with MOTHER given
    though not looked after and with OC3 data. The child's Header and OC3 rows are flagged.
    Male/female are SEX '1'/'2' in every year, as the logic says: the version was never
    changed for the 2024/25 switch to M/F, so from then only the MOTHER-code branch fires
    (the spec's code lists record this; no DfE coding says otherwise)."""
    h, e, oc3 = d["Header"], d["Episodes"], d["OC3"]
    male, female = "1", "2"
    counted = ~isin(e["LS"], SHORT_BREAKS)
    in_year = counted & (e.date("DECOM") <= d.collection_end) & (e.date("DEC").fillna(d.collection_end) >= d.collection_start)
    examined = child_in(d, "Header", "Episodes", counted)
    looked_after = child_in(d, "Header", "Episodes", in_year)
    oc3_given = ~(oc3.blank("IN_TOUCH") & oc3.blank("ACTIV") & oc3.blank("ACCOM"))
    has_oc3 = child_in(d, "Header", "OC3", oc3_given)
    given = ~h.blank("MOTHER")
    female_ = h["SEX"] == female
    bad = examined & ((given & ~isin(h["MOTHER"], ("0", "1")))
                      | (given & (h["SEX"] == male))
                      | (female_ & ~given & looked_after)
                      | (female_ & given & ~looked_after & has_oc3))
    return {"Header": bad, "OC3": child_in(d, "OC3", "Header", bad)}


@rule("174")
def male_has_no_child_dob(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "1") & ~h.blank("MC_DOB")}


@rule("184")
def placed_for_adoption_after_birth(d):
    """A valid DATE_PLACED not on or after the birth date (before it, or the birth date
    blank or unusable), as the spec's logic says. The birth date is PlacedAdoption's own
    DOB, Header DOB only when PlacedAdoption has no DOB column."""
    pa = d["PlacedAdoption"]
    placed = pa.date("DATE_PLACED").to_numpy()
    if pa.has("DOB"):
        return {"PlacedAdoption": pd.notna(placed) & ~(placed >= pa.date("DOB").to_numpy())}
    return {"PlacedAdoption": any_header_dob(d, "PlacedAdoption", lambda pos, dob: pd.notna(placed[pos]) & ~(placed[pos] >= dob.to_numpy()))}


@rule("210")
def un4_not_after_a_week(d):
    """UPN UN4 with an episode starting (valid DECOM) on or after 24 March of
    collection_end's year, as the spec's logic says (the spec's notes record that this
    reads as the reverse of the message); the episode and the child's Header row are
    flagged. Each episode is joined to every Header row of its child: a UN4 row flags the
    episode and itself."""
    h, e = d["Header"], d["Episodes"]
    cutoff = pd.Timestamp(d.collection_end.year, 3, 24)
    pairs = header_pairs(d, "Episodes")
    pos, hpos = pairs["pos"].to_numpy(), pairs["hpos"].to_numpy()
    un4 = (hpos >= 0) & (h["UPN"].to_numpy()[np.maximum(hpos, 0)] == "UN4")
    bad = un4 & (e.date("DECOM").to_numpy()[pos] >= cutoff)
    return {"Episodes": np.unique(pos[bad]), "Header": np.unique(hpos[bad])}


@rule("302")
def first_episode_after_birth(d):
    """The child's earliest episode (by valid DECOM) may not start before its Header DOB.
    Among episodes sharing the earliest DECOM the shared episode order decides (DEC, then
    the rows' text), not file order. Children with no valid DECOM are skipped. The episode is
    joined to every Header row of the child: a DOB after DECOM flags it and that row."""
    order = episodes_sorted(d)
    first = order[order["first"] & order["DECOM"].notna()]
    pairs = header_pairs(d, "Episodes", first["pos"].to_numpy())
    at = pairs["pos"].to_numpy()
    bad = (pairs["DOB"].to_numpy() > first["DECOM"].to_numpy()[at])
    return {"Episodes": np.unique(first["pos"].to_numpy()[at[bad]]), "Header": np.unique(pairs["hpos"].to_numpy()[bad])}


@rule("352")
def started_care_under_18(d):
    """RNE S with DECOM on or after the 18th birthday, by any of the child's Header rows."""
    e = d["Episodes"]
    started, decom = (e["RNE"] == "S").to_numpy(), e.date("DECOM").to_numpy()
    return {"Episodes": any_header_dob(d, "Episodes", lambda pos, dob: started[pos] & (decom[pos] >= add_years(dob, 18)).to_numpy())}


@rule("358")
def justice_legal_status_age_10(d):
    """LS J1-J3 on an episode starting on or before the 10th birthday (the birthday itself
    included, as the spec's logic says). Each episode is joined to every Header row of its
    child; a failing pair flags the episode and that Header row."""
    e = d["Episodes"]
    pairs = header_pairs(d, "Episodes")
    pos = pairs["pos"].to_numpy()
    justice = isin(e["LS"], ("J1", "J2", "J3")).to_numpy()[pos]
    bad = justice & (e.date("DECOM").to_numpy()[pos] <= add_years(pairs["DOB"], 10)).to_numpy()
    return {"Episodes": np.unique(pos[bad]), "Header": np.unique(pairs["hpos"].to_numpy()[bad])}


@rule("359")
def over_18_open_episode_is_v2_k2(d):
    """An episode still open (DEC blank) for a child whose 18th birthday is before
    collection_end (by any of its Header rows) must be LS V2 in PLACE K2."""
    e = d["Episodes"]
    open_not_v2_k2 = (e.blank("DEC") & ~((e["LS"] == "V2") & (e["PLACE"] == "K2"))).to_numpy()
    return {"Episodes": any_header_dob(d, "Episodes", lambda pos, dob: open_not_v2_k2[pos] & (add_years(dob, 18) < d.collection_end).to_numpy())}


@rule("386")
def adopted_before_18(d):
    """REC E11/E12 with DEC on or after the 18th birthday, by any of the child's Header rows."""
    e = d["Episodes"]
    adopted, dec = isin(e["REC"], ("E11", "E12")).to_numpy(), e.date("DEC").to_numpy()
    return {"Episodes": any_header_dob(d, "Episodes", lambda pos, dob: adopted[pos] & (dec[pos] >= add_years(dob, 18)).to_numpy())}


@rule("387")
def independent_living_from_14(d):
    """REC E5/E6 with a valid DEC not on or after the 14th birthday, so a child without a
    usable Header DOB (or without a Header row) is flagged too, as the spec's logic says
    (unlike 386 and 460). A child in Header twice is flagged if either DOB fails."""
    e = d["Episodes"]
    dec = e.date("DEC").to_numpy()
    independent = (isin(e["REC"], ("E5", "E6")) & e.date("DEC").notna()).to_numpy()
    return {"Episodes": any_header_dob(d, "Episodes", lambda pos, dob: independent[pos] & ~(dec[pos] >= add_years(dob, 14)).to_numpy())}


def looked_after_children(d) -> set:
    """Children with at least one episode that is not a short break (LS V3/V4)."""
    e = d["Episodes"]
    return set(e["CHILD"][~isin(e["LS"], SHORT_BREAKS)])


@rule("393")
def mother_given_for_looked_after_girl(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "2") & h.blank("MOTHER") & h["CHILD"].isin(looked_after_children(d))}


@rule("460")
def stayed_with_carers_at_18(d):
    """REC E17 with DEC before the 18th birthday, against every Header row of the child."""
    e = d["Episodes"]
    e17, dec = (e["REC"] == "E17").to_numpy(), e.date("DEC").to_numpy()
    return {"Episodes": any_header_dob(d, "Episodes", lambda pos, dob: e17[pos] & (dec[pos] < add_years(dob, 18)).to_numpy())}


@rule("3001")
def not_with_former_foster_carers_at_17(d):
    """OC3 ACCOM Z1/Z2 for a child whose 17th birthday is in the collection year, by the DOB
    of any of the child's Header rows (the logic's join on CHILD)."""
    oc3 = d["OC3"]
    former_carers = isin(oc3["ACCOM"], ("Z1", "Z2")).to_numpy()

    def flags(pos, dob):
        birthday = add_years(dob, 17)
        return former_carers[pos] & ((birthday >= d.collection_start) & (birthday <= d.collection_end)).to_numpy()
    return {"OC3": any_header_dob(d, "OC3", flags)}


@rule("611")
def mother_has_child_dob(d):
    h = d["Header"]
    return {"Header": (h["MOTHER"] == "1") & h.blank("MC_DOB")}


@rule("612")
def child_dob_means_mother(d):
    """A female child with MC_DOB filled in (any text) and MOTHER '0' or blank."""
    return {"Header": child_dob_but_not_mother(d, "2")}


def child_dob_but_not_mother(d, female):
    h = d["Header"]
    return (h["SEX"] == female) & ~h.blank("MC_DOB") & ((h["MOTHER"] == "0") | h.blank("MOTHER"))


@rule("620")
def mother_at_least_11(d):
    """MOTHER '1' for a child under 11 on collection_start."""
    h = d["Header"]
    return {"Header": (h["MOTHER"] == "1") & (add_years(h.date("DOB"), 11) > d.collection_start)}


@rule("621")
def mother_older_than_child(d):
    """A valid MC_DOB not strictly after the mother's own DOB: on or before it, or with her
    DOB blank or unusable, as the spec's logic says."""
    h = d["Header"]
    mc_dob = h.date("MC_DOB")
    return {"Header": mc_dob.notna() & ~(mc_dob > h.date("DOB"))}


@rule("624")
def child_dob_matches_last_year(d):
    """Last year's non-blank MC_DOB must be repeated this year as the same text (a blank
    or differently written date this year is flagged), compared with every Header_last
    row of the child."""
    p = last_year_pairs(d, "MC_DOB")
    return {"Header": flagged_positions(p, (p["MC_DOB_last"] != "") & (p["MC_DOB"] != p["MC_DOB_last"]))}


_numbers = once_per_value(functools.partial(pd.to_numeric, errors="coerce"))  # NaN where not a number


@rule("626")
def new_mother_child_born_this_year(d):
    """MOTHER 1 this year, 0 last year: the first child cannot be born before the year."""
    p = last_year_pairs(d, "MOTHER", dates=("MC_DOB",))
    mother, mother_last = (_numbers(p[col]) for col in ("MOTHER", "MOTHER_last"))
    bad = (mother == 1) & (mother_last == 0) & (p["MC_DOB_date"] < d.collection_start)
    return {"Header": flagged_positions(p, bad)}


@rule("EPI")
def child_has_episodes_or_oc3(d):
    """Header children with no Episodes row and no OC3 row; a table not supplied counts
    as empty."""
    h = d["Header"]
    supplied = [name for name in ("Episodes", "OC3") if d.get(name) is not None]
    for name in supplied:
        d[name]["CHILD"]  # read in this order, so a missing column is the one reported
    known = np.zeros(len(h), dtype=bool)
    for name in supplied:
        known |= child_in(d, "Header", name)
    return {"Header": ~known}
