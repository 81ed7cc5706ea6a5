"""A seeded generator of plausible 903 returns, with a controllable rate of the
mistakes councils really make (missing placement postcode, invalid provider
code, two reviews on one day, an ethnicity that changed since last year, codes
in lower case, dates typed the ISO way, a missing social worker reason).

Each child gets one care history (a period of care made of contiguous
episodes, social worker episodes, reviews, and for some an adoption, a missing
period, UASC status or a care leaver's outcomes); this year's and last year's
returns are both cut from that history, so they agree the way real
consecutive returns do. ``generate(n, year)`` returns both as
{table: DataFrame of text}.
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
_REASONS_PLACE = ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CHILD", "LAREQ", "PLACE", "OTHER"]
_REVIEW = ["PN1", "PN1", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
_ENDS_FOSTER = ["E13", "E41", "E45", "E4A"]
_ENDS_OTHER = ["E13", "E41", "E4A", "E8"]
_SW_REASONS = ["MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "OTHERS"]
_MISTAKES = ("no_pl_post", "bad_provider", "review_twice", "ethnic_changed", "lower_case", "iso_date",
             "no_sw_reason")
URNS = [f"SC{n:06d}" for n in range(400000, 400060)]


def _postcodes() -> tuple[str, list[str], list[str]]:
    data = json.loads(resources.files(__package__).joinpath("postcodes.json").read_text(encoding="utf-8"))
    home = [p for p, la in data["postcodes"] if la == data["la"]]
    away = [p for p, la in data["postcodes"] if la != data["la"] and not la.startswith("W")]
    return data["la"], home, away


def provider_postcode(urn: str) -> str:
    """Each children's home in the synthetic Ofsted list has one fixed postcode."""
    _, home, away = _postcodes()
    pool = home + away
    return pool[int(urn[2:]) * 7 % len(pool)]


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Episode:
    decom: date
    dec: date | None
    rne: str
    ls: str
    cin: str
    place: str
    provider: str
    urn: str
    home: str
    pl_post: str
    rec: str = ""
    reason: str = ""


@dataclass
class _Child:
    id: str
    sex: str
    dob: date
    ethnic: str
    upn: str
    uasc: bool = False
    episodes: list[_Episode] = field(default_factory=list)
    social_workers: list[list] = field(default_factory=list)


class _Builder:
    def __init__(self, year: str, seed: int, error_rate: float):
        self.year = catalogue.normalise_year(year)
        self.start, self.end = catalogue.collection_bounds(self.year)
        self.last_start = _add_years(self.start, -1)
        self.rng = random.Random(seed)
        self.error_rate = error_rate
        self.la, self.home_posts, self.away_posts = _postcodes()
        self.mistakes: list[tuple[str, str]] = []

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def mistake(self, kind: str, child: str) -> bool:
        """Each kind of mistake hits about ``error_rate`` of the rows it can apply to."""
        if self.rng.random() < self.error_rate:
            self.mistakes.append((kind, child))
            return True
        return False

    def day_between(self, a: date, b: date) -> date:
        return a + timedelta(days=self.rng.randint(0, max((b - a).days, 0)))

    def upn(self) -> str:
        return self.pick("ABCDEFGHJKLMNPQRTUVWXYZ") + "".join(self.pick("0123456789") for _ in range(12))

    def sex(self) -> str:
        return self.pick(["M", "F"]) if self.year >= "2024/25" else self.pick(["1", "2"])

    def child(self, n: int) -> _Child:
        dob = self.start - timedelta(days=self.rng.randint(90, 17 * 365))
        school_age = _add_years(dob, 4) <= date(self.start.year - 1, 8, 31)
        c = _Child(f"{n:06d}", self.sex(), dob, self.pick(_ETHNIC), self.upn() if school_age else "UN1")
        age = (self.start - dob).days / 365.25
        if 14 <= age < 16.5 and self.chance(0.08):
            c.uasc, c.ethnic = True, self.pick(["BAFR", "AOTH", "OOTH"])
        return c

    def placement(self, home: str) -> tuple[str, str, str, str]:
        """(PLACE, PLACE_PROVIDER, URN, PL_POST) of a plausible placement."""
        if self.chance(0.82):
            in_area = self.chance(0.7)
            post = self.pick(self.home_posts if in_area else self.away_posts)
            while post == home:
                post = self.pick(self.home_posts)
            return self.pick(_FOSTER), "PR1" if in_area else "PR4", "XXXXXXX", post
        urn = self.pick(URNS)
        while provider_postcode(urn) == home:
            urn = self.pick(URNS)
        return "K2", self.pick(["PR4", "PR5"]), urn, provider_postcode(urn)

    def care_history(self, c: _Child) -> None:
        """One period of care: contiguous episodes from a start up to four years back."""
        earliest = max(c.dob + timedelta(days=1), self.start - timedelta(days=4 * 365))
        start = self.day_between(earliest, self.end - timedelta(days=40))
        home = "" if c.uasc else self.pick(self.home_posts)
        legal = self.pick(["C2", "C2", "C2", "C1", "V2", "V2"])
        cin = "N1" if c.uasc is False and self.chance(0.6) else self.pick(["N1", "N2", "N4", "N5", "N8"])
        decom, rne = start, "S"
        moves = self.rng.choice([0, 0, 1, 1, 2, 3])
        while True:
            place, provider, urn, post = self.placement(home)
            while c.episodes and post == c.episodes[-1].pl_post:
                place, provider, urn, post = self.placement(home)
            c.episodes.append(_Episode(decom, None, rne, legal, cin, place, provider, urn, home, post))
            nxt = decom + timedelta(days=self.rng.randint(60, 500))
            if moves == 0 or nxt >= self.end - timedelta(days=10):
                break
            moves -= 1
            c.episodes[-1].dec, c.episodes[-1].rec = nxt, "X1"
            c.episodes[-1].reason = self.pick(_REASONS_PLACE)
            decom, rne = nxt, self.pick(["P", "P", "T"])
        last = c.episodes[-1]
        if last.decom < self.end - timedelta(days=30) and self.chance(0.2):
            last.dec = self.day_between(max(last.decom, self.start) + timedelta(days=10), self.end - timedelta(days=1))
            last.rec = self.pick(_ENDS_FOSTER if last.place.startswith("U") else _ENDS_OTHER)
            last.reason = ""
        sw_day, changes = start, self.rng.choice([0, 0, 1, 2])
        end = min(last.dec or self.end, self.end)
        while True:
            reason = "FCONTA" if not c.social_workers else self.pick(_SW_REASONS)
            sw = [f"SW{self.rng.randint(10000, 99999)}", sw_day, None, reason]
            c.social_workers.append(sw)
            nxt = sw_day + timedelta(days=self.rng.randint(60, 400))
            if changes == 0 or nxt >= end - timedelta(days=10):
                break
            changes -= 1
            sw[2] = sw_day = nxt
        if last.dec and c.social_workers[-1][2] is None:
            c.social_workers[-1][2] = last.dec

    def adopt(self, c: _Child) -> dict | None:
        """Turn the last episode into an adoption placement that ends in adoption this year."""
        last = c.episodes[-1]
        if last.decom < self.start or last.decom > self.end - timedelta(days=120):
            return None
        decided = self.day_between(c.episodes[0].decom + timedelta(days=1), last.decom - timedelta(days=30))
        if decided >= last.decom:
            return None
        matched = self.day_between(decided, last.decom)
        adopted = last.decom + timedelta(days=self.rng.randint(70, 110))
        last.ls, last.place, last.provider, last.urn = "E1", self.pick(["A4", "A6"]), "PR1", "XXXXXXX"
        last.dec, last.rec, last.reason = adopted, "E11", ""
        if c.social_workers[-1][2] is None or c.social_workers[-1][2] > adopted:
            c.social_workers[-1][2] = adopted
        return {"decided": decided, "matched": matched}


def _episode_rows(c: _Child, start: date, end: date) -> list[dict]:
    """The child's episodes as a return for start..end shows them: those open at any time in
    the year, with an end after the year shown as still open."""
    out = []
    for e in c.episodes:
        if e.decom > end or (e.dec is not None and e.dec < start):
            continue
        ended = e.dec is not None and e.dec <= end
        out.append({"CHILD": c.id, "DECOM": _d(e.decom), "RNE": e.rne, "LS": e.ls, "CIN": e.cin, "PLACE": e.place,
                    "PLACE_PROVIDER": e.provider, "DEC": _d(e.dec) if ended else "", "REC": e.rec if ended else "",
                    "REASON_PLACE_CHANGE": e.reason if ended else "", "HOME_POST": e.home, "PL_POST": e.pl_post,
                    "URN": e.urn})
    return out


def _sw_rows(c: _Child, start: date, end: date) -> list[dict]:
    out = []
    for sw_id, decom, dec, reason in c.social_workers:
        if decom > end or (dec is not None and dec < start):
            continue
        out.append({"CHILD": c.id, "DOB": _d(c.dob), "SW_ID": sw_id, "SW_DECOM": _d(decom),
                    "SW_DEC": _d(dec) if dec and dec <= end else "", "SW_REASON": reason})
    return out


def generate(children: int = 500, year: str = "2025/26", seed: int = 903, error_rate: float = 0.05,
             previous: bool = True) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame] | None]:
    """(this year's tables, last year's tables or None), each {table: DataFrame of text}."""
    b = _Builder(year, seed, error_rate)
    prev_year = catalogue.previous_year(b.year)
    rows: dict[str, list[dict]] = {t: [] for t in catalogue.tables(b.year)}
    last: dict[str, list[dict]] = {t: [] for t in catalogue.tables(prev_year or b.year)}
    last_end = b.start - timedelta(days=1)
    for n in range(1, children + 1):
        c = b.child(n)
        b.care_history(c)
        adoption = b.adopt(c) if (b.start - c.dob).days < 8 * 365 and b.chance(0.05) else None
        _add_child(b, c, rows, b.start, b.end, adoption)
        if c.episodes[0].decom <= last_end:
            _add_child(b, c, last, b.last_start, last_end, None, reviews=False)
    for n in range(children + 1, children + 1 + children // 25):
        _care_leaver(b, n, rows, last)
    _inject(b, rows, last)
    frames = lambda tables: {t: pd.DataFrame(r, columns=catalogue.columns(t), dtype=object).fillna("")  # noqa: E731
                             for t, r in tables.items()}
    return frames(rows), (frames(last) if prev_year and previous else None)


def _add_child(b: _Builder, c: _Child, rows: dict, start: date, end: date, adoption: dict | None,
               reviews: bool = True) -> None:
    """The child's rows in one year's return."""
    eps = _episode_rows(c, start, end)
    if not eps:
        return
    rows["Header"].append({"CHILD": c.id, "SEX": c.sex if start >= b.start or b.year < "2024/25" or b.year > "2024/25"
                           else {"M": "1", "F": "2"}[c.sex], "DOB": _d(c.dob), "ETHNIC": c.ethnic, "UPN": c.upn,
                           "MOTHER": "0" if c.sex in ("F", "2") else "", "MC_DOB": ""})
    rows["Episodes"] += eps
    if "SWEpisodes" in rows:
        rows["SWEpisodes"] += _sw_rows(c, start, end)
    first = c.episodes[0].decom
    if start <= first <= end:
        rows["PrevPerm"].append({"CHILD": c.id, "DOB": _d(c.dob), "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""})
    if c.uasc:
        rows["UASC"].append({"CHILD": c.id, "SEX": rows["Header"][-1]["SEX"], "DOB": _d(c.dob),
                             "DUC": _d(_add_years(c.dob, 18))})
    last_ep = c.episodes[-1]
    if first < start and (last_ep.dec is None or last_ep.dec > end):  # in care all year: OC2 is due
        rows["OC2"].append(_oc2(b, c, end))
    if reviews:
        _reviews(b, c, start, end, rows["Reviews"])
        if b.chance(0.08):
            _missing(b, c, start, end, rows["Missing"])
    if adoption:
        rows["AD1"].append({"CHILD": c.id, "DOB": _d(c.dob), "DATE_INT": _d(adoption["decided"]),
                            "DATE_MATCH": _d(adoption["matched"]), "FOSTER_CARE": "0", "NB_ADOPTR": "2",
                            "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"})
        rows["PlacedAdoption"].append({"CHILD": c.id, "DOB": _d(c.dob), "DATE_PLACED": _d(adoption["decided"]),
                                       "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": ""})


def _reviews(b: _Builder, c: _Child, start: date, end: date, out: list[dict]) -> None:
    """A first review within 20 working days of care starting, the second within three months,
    then every six months, while the child is looked after in the year."""
    first = c.episodes[0].decom
    stop = min(c.episodes[-1].dec or end, end)
    day = first + timedelta(days=b.rng.randint(10, 25))
    gap = 85
    while day <= stop:
        if day >= start:
            out.append({"CHILD": c.id, "DOB": _d(c.dob), "REVIEW": _d(day),
                        "REVIEW_CODE": "PN0" if _add_years(c.dob, 4) > day else b.pick(_REVIEW)})
        day += timedelta(days=b.rng.randint(gap - 20, gap))
        gap = 180


def _missing(b: _Builder, c: _Child, start: date, end: date, out: list[dict]) -> None:
    low = max(c.episodes[0].decom, start)
    high = min(c.episodes[-1].dec or end, end) - timedelta(days=3)
    if high <= low:
        return
    day = b.day_between(low, high)
    out.append({"CHILD": c.id, "DOB": _d(c.dob), "MISSING": b.pick(["M", "A"]), "MIS_START": _d(day),
                "MIS_END": _d(day + timedelta(days=b.rng.randint(0, 2)))})


def _oc2(b: _Builder, c: _Child, end: date) -> dict:
    age = (end - c.dob).days / 365.25
    sdq = str(b.rng.randint(0, 30)) if 4 <= age < 17 else ""
    reason = "" if sdq or age < 4 else "SDQ1"
    return {"CHILD": c.id, "DOB": _d(c.dob), "SDQ_SCORE": sdq, "SDQ_REASON": reason,
            "CONVICTED": "0" if age >= 10 else "", "HEALTH_CHECK": "1" if age < 5 else "",
            "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1",
            "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""}


def _care_leaver(b: _Builder, n: int, rows: dict, last: dict) -> None:
    """A young person who left care on their 18th birthday last year: last year's episode,
    and this year's Header and OC3 around the 19th birthday."""
    birthday18 = b.day_between(b.last_start + timedelta(days=5), b.start - timedelta(days=5))
    dob = _add_years(birthday18, -18)
    sex = b.sex()
    child = f"{n:06d}"
    rows["Header"].append({"CHILD": child, "SEX": sex, "DOB": _d(dob), "ETHNIC": b.pick(_ETHNIC),
                           "UPN": b.upn(), "MOTHER": "", "MC_DOB": ""})
    rows["OC3"].append({"CHILD": child, "DOB": _d(dob), "IN_TOUCH": "YES",
                        "ACTIV": b.pick(["F1", "F2", "F5", "P5", "G5"]), "ACCOM": b.pick(["U1", "D1", "E1", "B1"])})
    post = b.pick(b.home_posts)
    last_sex = {"M": "1", "F": "2"}.get(sex, sex) if b.year == "2024/25" else sex
    last["Header"].append({"CHILD": child, "SEX": last_sex, "DOB": _d(dob), "ETHNIC": rows["Header"][-1]["ETHNIC"],
                           "UPN": rows["Header"][-1]["UPN"], "MOTHER": "0" if sex in ("F", "2") else "", "MC_DOB": ""})
    last["Episodes"].append({"CHILD": child, "DECOM": _d(dob + timedelta(days=16 * 365)), "RNE": "S", "LS": "C2",
                             "CIN": "N1", "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": _d(birthday18), "REC": "E8",
                             "REASON_PLACE_CHANGE": "", "HOME_POST": post, "PL_POST": b.pick(b.home_posts),
                             "URN": "XXXXXXX"})


def _inject(b: _Builder, rows: dict, last: dict) -> None:
    """Apply the common mistakes, each to about ``error_rate`` of the rows it can hit."""
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
    known = {h["CHILD"] for h in last.get("Header", [])}
    for h in rows["Header"]:
        if h["CHILD"] in known and b.mistake("ethnic_changed", h["CHILD"]):
            h["ETHNIC"] = "WOTH" if h["ETHNIC"] != "WOTH" else "WBRI"
    for sw in rows.get("SWEpisodes", []):
        if b.mistake("no_sw_reason", sw["CHILD"]):
            sw["SW_REASON"] = ""


def sample_providers(seed: int = 903) -> pd.DataFrame:
    """An Ofsted-style children's homes list holding the URNs the generator uses."""
    return pd.DataFrame({
        "URN": URNS,
        "Provider Code": ["K2,R1"] * len(URNS),
        "Provider Placement Code": ["PR4,PR5"] * len(URNS),
        "Closed Date": [""] * len(URNS),
        "Setting Postcode": [provider_postcode(u) for u in URNS],
        "Local Authority": ["Richmond upon Thames"] * len(URNS),
    })
