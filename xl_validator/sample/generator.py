"""A seeded generator of plausible 903 returns, with a controllable rate of the
mistakes councils really make (missing placement postcode, invalid provider
code, two reviews on one day, a change from last year that should not happen,
codes in lower case, dates typed the ISO way, a missing social worker reason).

``generate(n, year)`` returns this year's and last year's tables as
{table: DataFrame of text}; the same children appear in both years, so
previous-year rules have something to compare.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

import pandas as pd

from .. import catalogue

_ETHNIC = ["WBRI"] * 12 + ["WOTH"] * 2 + ["MWBC", "MOTH", "AIND", "APKN", "BAFR", "BCRB", "OOTH", "NOBT"]
_FOSTER = ["U1", "U3", "U4", "U6", "U6", "U6", "U4"]
_HOMES = ["K2", "K2", "R1"]
_REASONS_PLACE = ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CHILD", "LAREQ", "PLACE", "OTHER"]
_REVIEW = ["PN1", "PN1", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "PN0"]
_ENDS = ["E13", "E41", "E45", "E4A", "E8", "E2"]
_MISTAKES = ("no_pl_post", "bad_provider", "review_twice", "last_year_ethnic", "lower_case",
             "iso_date", "no_sw_reason")


def _postcodes() -> tuple[str, list[str], list[str]]:
    data = json.loads(resources.files(__package__).joinpath("postcodes.json").read_text(encoding="utf-8"))
    home = [p for p, la in data["postcodes"] if la == data["la"]]
    away = [p for p, la in data["postcodes"] if la != data["la"]]
    return data["la"], home, away


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Child:
    id: str
    sex: str
    dob: date
    ethnic: str
    upn: str
    episodes: list[dict] = field(default_factory=list)


class _Builder:
    def __init__(self, year: str, seed: int, error_rate: float):
        self.year = catalogue.normalise_year(year)
        self.start, self.end = catalogue.collection_bounds(self.year)
        self.rng = random.Random(seed)
        self.error_rate = error_rate
        self.la, self.home_posts, self.away_posts = _postcodes()
        self.urns = [f"SC{n:06d}" for n in range(400000, 400060)]
        self.mistakes: list[tuple[str, str]] = []

    def pick(self, seq):
        return self.rng.choice(seq)

    def mistake(self, kind: str, child: str) -> bool:
        if self.rng.random() < self.error_rate / len(_MISTAKES) * 3:
            self.mistakes.append((kind, child))
            return True
        return False

    def day_between(self, a: date, b: date) -> date:
        return a + timedelta(days=self.rng.randint(0, max((b - a).days, 0)))

    def upn(self) -> str:
        letter = self.pick("ABCDEFGHJKLMNPQRTUVWXYZ")
        return letter + "".join(self.pick("0123456789") for _ in range(12))

    def child(self, n: int) -> _Child:
        age_days = self.rng.randint(60, 17 * 365)
        dob = self.start - timedelta(days=age_days)
        sex = self.pick(["M", "F"]) if self.year >= "2024/25" else self.pick(["1", "2"])
        upn = "UN1" if age_days < 5 * 365 else self.upn()
        return _Child(f"{n:06d}", sex, dob, self.pick(_ETHNIC), upn)

    def episodes(self, c: _Child, last_start: date) -> list[dict]:
        """A period of care: a first episode then placement moves, the last one open or ended."""
        earliest = max(c.dob + timedelta(days=1), last_start - timedelta(days=4 * 365))
        start = self.day_between(earliest, self.end - timedelta(days=30))
        home = self.pick(self.home_posts)
        legal = self.pick(["C2", "C2", "C2", "C1", "V2", "V2"])
        n = self.rng.choice([1, 1, 1, 2, 2, 3, 4])
        ends_in_year = self.rng.random() < 0.25
        out, decom = [], start
        for i in range(n):
            place = self.pick(_FOSTER) if self.rng.random() < 0.8 else self.pick(_HOMES)
            in_area = self.rng.random() < 0.7
            pl_post = self.pick(self.home_posts if in_area else self.away_posts)
            provider = ("PR1" if in_area else "PR2") if place in _FOSTER else self.pick(["PR4", "PR5"])
            urn = "XXXXXXX" if place in _FOSTER else self.pick(self.urns)
            ep = {"CHILD": c.id, "DECOM": decom, "RNE": "S" if i == 0 else self.pick(["P", "P", "T", "B"]),
                  "LS": legal, "CIN": self.pick(["N1"] * 6 + ["N2", "N4", "N5", "N8"]),
                  "PLACE": place, "PLACE_PROVIDER": provider, "DEC": None, "REC": "",
                  "REASON_PLACE_CHANGE": "" if i == 0 else self.pick(_REASONS_PLACE),
                  "HOME_POST": home, "PL_POST": pl_post, "URN": urn}
            out.append(ep)
            remaining = (self.end - decom).days
            if i < n - 1 and remaining > 20:
                decom = decom + timedelta(days=self.rng.randint(7, max(8, remaining // 2)))
                ep["DEC"], ep["REC"] = decom, "X1"
            else:
                break
        if ends_in_year and (self.end - out[-1]["DECOM"]).days > 10:
            out[-1]["DEC"] = self.day_between(out[-1]["DECOM"] + timedelta(days=5), self.end - timedelta(days=1))
            out[-1]["REC"] = self.pick(_ENDS)
        return out


def generate(children: int = 500, year: str = "2025/26", seed: int = 903, error_rate: float = 0.05,
             previous: bool = True) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame] | None]:
    """(this year's tables, last year's tables or None), each {table: DataFrame of text}."""
    b = _Builder(year, seed, error_rate)
    prev_year = catalogue.previous_year(b.year)
    rows: dict[str, list[dict]] = {t: [] for t in catalogue.tables(b.year)}
    last: dict[str, list[dict]] = {t: [] for t in catalogue.tables(prev_year or b.year)}
    last_start, _ = catalogue.collection_bounds(prev_year) if prev_year else (b.start, b.end)
    has_sw = "SWEpisodes" in rows
    for n in range(1, children + 1):
        c = b.child(n)
        eps = b.episodes(c, b.start)
        first = eps[0]["DECOM"]
        header = {"CHILD": c.id, "SEX": c.sex, "DOB": _d(c.dob), "ETHNIC": c.ethnic, "UPN": c.upn,
                  "MOTHER": "", "MC_DOB": ""}
        if c.sex in ("F", "2") and (b.start - c.dob).days > 12 * 365:
            header["MOTHER"] = "0"
        rows["Header"].append(header)
        for ep in eps:
            rows["Episodes"].append({**ep, "DECOM": _d(ep["DECOM"]), "DEC": _d(ep["DEC"])})
        if first >= b.start:
            rows["PrevPerm"].append({"CHILD": c.id, "DOB": _d(c.dob), "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""})
        _reviews(b, c, eps, rows["Reviews"])
        if has_sw:
            _social_workers(b, c, first, eps, rows["SWEpisodes"])
        if first < last_start + timedelta(days=300) and prev_year:
            _last_year(b, c, header, eps, last_start, last)
        if b.rng.random() < 0.08:
            mis = b.day_between(max(first, b.start), b.end - timedelta(days=3))
            rows["Missing"].append({"CHILD": c.id, "DOB": _d(c.dob), "MISSING": b.pick(["M", "A"]),
                                    "MIS_START": _d(mis), "MIS_END": _d(mis + timedelta(days=b.rng.randint(0, 2)))})
        if first <= b.start - timedelta(days=365) and (b.start - c.dob).days > 4 * 365:
            rows["OC2"].append(_oc2(b, c))
        age = (b.start - c.dob).days / 365.25
        if age < 8 and b.rng.random() < 0.04:
            _adoption(b, c, eps, rows)
        elif 14 <= age < 17 and b.rng.random() < 0.08:
            header["ETHNIC"] = b.pick(["BAFR", "AOTH", "OOTH"])
            rows["UASC"].append({"CHILD": c.id, "SEX": c.sex, "DOB": _d(c.dob), "DUC": _d(_add_years(c.dob, 18))})
    for n in range(children + 1, children + 1 + children // 25):
        _care_leaver(b, n, rows)
    _inject(b, rows, last)
    this = {t: pd.DataFrame(r, columns=catalogue.columns(t), dtype=object).fillna("") for t, r in rows.items()}
    prev = ({t: pd.DataFrame(r, columns=catalogue.columns(t), dtype=object).fillna("") for t, r in last.items()}
            if prev_year and previous else None)
    return this, prev


def _reviews(b: _Builder, c: _Child, eps: list[dict], out: list[dict]) -> None:
    """A first review within 20 working days of care starting, then every six months."""
    first = eps[0]["DECOM"]
    end = eps[-1]["DEC"] or b.end
    day = first + timedelta(days=b.rng.randint(10, 25))
    while day < b.start:
        day += timedelta(days=b.rng.randint(150, 180))
    while day <= end and day <= b.end:
        out.append({"CHILD": c.id, "DOB": _d(c.dob), "REVIEW": _d(day),
                    "REVIEW_CODE": "PN0" if (day - c.dob).days < 4 * 365 else b.pick(_REVIEW[:-1])})
        day += timedelta(days=b.rng.randint(150, 180))


def _social_workers(b: _Builder, c: _Child, first: date, eps: list[dict], out: list[dict]) -> None:
    day = first
    n = b.rng.choice([1, 1, 2, 3])
    for i in range(n):
        ep = {"CHILD": c.id, "DOB": _d(c.dob), "SW_ID": f"SW{b.rng.randint(10000, 99999)}",
              "SW_DECOM": _d(day), "SW_DEC": "", "SW_REASON": "FCONTA" if i == 0 else b.pick(
                  ["MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "OTHERS"])}
        out.append(ep)
        later = day + timedelta(days=b.rng.randint(60, 300))
        if i < n - 1 and later < b.end:
            ep["SW_DEC"] = _d(later)
            day = later
        else:
            break
    if eps[-1]["DEC"]:
        out[-1]["SW_DEC"] = _d(max(eps[-1]["DEC"], day))


def _oc2(b: _Builder, c: _Child) -> dict:
    age = (b.end - c.dob).days / 365.25
    sdq = str(b.rng.randint(0, 30)) if 4 <= age < 17 else ""
    return {"CHILD": c.id, "DOB": _d(c.dob), "SDQ_SCORE": sdq, "SDQ_REASON": "SDQ1" if not sdq else "",
            "CONVICTED": "0" if age >= 10 else "", "HEALTH_CHECK": "1" if age < 5 else "",
            "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1",
            "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""}


def _adoption(b: _Builder, c: _Child, eps: list[dict], rows: dict) -> None:
    """The last episode becomes an adoption placement under a placement order, ending in adoption."""
    ep = eps[-1]
    if ep["DECOM"] < b.start:
        return
    decided = ep["DECOM"] - timedelta(days=b.rng.randint(60, 200))
    matched = ep["DECOM"] - timedelta(days=b.rng.randint(5, 40))
    ep.update(LS="E1", PLACE=b.pick(["A4", "A6"]), PLACE_PROVIDER="PR1", URN="XXXXXXX", REC="",
              DEC=None)
    adopted = ep["DECOM"] + timedelta(days=b.rng.randint(70, 200))
    if adopted < b.end:
        ep["DEC"], ep["REC"] = adopted, "E11"
        rows["AD1"].append({"CHILD": c.id, "DOB": _d(c.dob), "DATE_INT": _d(decided), "DATE_MATCH": _d(matched),
                            "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"})
    rows["PlacedAdoption"].append({"CHILD": c.id, "DOB": _d(c.dob), "DATE_PLACED": _d(decided),
                                   "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""})


def _care_leaver(b: _Builder, n: int, rows: dict) -> None:
    """A young person who left care at 18 and is now 19 to 21: Header and OC3 only."""
    dob = b.start - timedelta(days=b.rng.randint(19 * 365 + 10, 21 * 365 - 10))
    sex = b.pick(["M", "F"]) if b.year >= "2024/25" else b.pick(["1", "2"])
    rows["Header"].append({"CHILD": f"{n:06d}", "SEX": sex, "DOB": _d(dob), "ETHNIC": b.pick(_ETHNIC),
                           "UPN": b.upn(), "MOTHER": "0" if sex in ("F", "2") else "", "MC_DOB": ""})
    rows["OC3"].append({"CHILD": f"{n:06d}", "DOB": _d(dob), "IN_TOUCH": "YES",
                        "ACTIV": b.pick(["F1", "F2", "F5", "P5", "G5"]), "ACCOM": b.pick(["U1", "D1", "E1", "B1"])})


def _last_year(b: _Builder, c: _Child, header: dict, eps: list[dict], last_start: date, last: dict) -> None:
    """The same child in last year's return: episodes that began before this year, as they stood then."""
    last_end = b.start - timedelta(days=1)
    last["Header"].append(dict(header))
    for ep in eps:
        if ep["DECOM"] > last_end:
            break
        copy = {**ep, "DECOM": _d(ep["DECOM"])}
        ended = ep["DEC"] and ep["DEC"] <= last_end
        copy["DEC"], copy["REC"] = (_d(ep["DEC"]), ep["REC"]) if ended else ("", "")
        last["Episodes"].append(copy)


def _inject(b: _Builder, rows: dict, last: dict) -> None:
    """Apply the common mistakes, each to a share of rows set by error_rate."""
    for ep in rows["Episodes"]:
        if ep["PL_POST"] and b.mistake("no_pl_post", ep["CHILD"]):
            ep["PL_POST"] = ""
        elif ep["PLACE_PROVIDER"] and b.mistake("bad_provider", ep["CHILD"]):
            ep["PLACE_PROVIDER"] = b.pick(["PR6", "PR", "P1"])
        elif b.mistake("lower_case", ep["CHILD"]):
            ep["PLACE"] = ep["PLACE"].lower()
        elif ep["DEC"] and b.mistake("iso_date", ep["CHILD"]):
            d, m, y = ep["DEC"].split("/")
            ep["DEC"] = f"{y}-{m}-{d}"
    for review in list(rows["Reviews"]):
        if b.mistake("review_twice", review["CHILD"]):
            rows["Reviews"].append(dict(review))
    known = {h["CHILD"]: h for h in last.get("Header", [])}
    for h in rows["Header"]:
        if h["CHILD"] in known and b.mistake("last_year_ethnic", h["CHILD"]):
            h["ETHNIC"] = "WOTH" if h["ETHNIC"] != "WOTH" else "WBRI"
    for sw in rows.get("SWEpisodes", []):
        if b.mistake("no_sw_reason", sw["CHILD"]):
            sw["SW_REASON"] = ""


def sample_providers(children: int = 500, seed: int = 903) -> pd.DataFrame:
    """An Ofsted-style provider list matching the URNs the generator uses."""
    b = _Builder(catalogue.LATEST_YEAR, seed, 0)
    return pd.DataFrame({
        "URN": b.urns,
        "Provider Code": ["K2,R1"] * len(b.urns),
        "Provider Placement Code": ["PR4,PR5"] * len(b.urns),
        "Closed Date": [""] * len(b.urns),
        "Setting Postcode": [b.pick(b.home_posts + b.away_posts) for _ in b.urns],
        "Local Authority": ["Richmond upon Thames"] * len(b.urns),
    })
