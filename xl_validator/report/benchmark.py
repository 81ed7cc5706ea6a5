"""Compare councils from their error profiles: errors per 100 children per rule and per
error group, the region's median and quartiles, and each council's rank.

Only profiles of one collection year are compared. Each council counts once, with its
latest profile; its earlier ones make the trend. When the councils' runs did not all run
the same rules (another tool version, a skipped rule), the comparison uses only the rules
every council ran in the same version, and ``notes`` says so.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field

import pandas as pd

from ..prepare.postcodes import authorities
from ..read import InputError


@dataclass
class Benchmark:
    year: str
    councils: pd.DataFrame          # council, name, run_at, children, findings, per_100
    by_rule: pd.DataFrame           # code, group, council, per_100 (+ median, q1, q3, rank per code)
    by_group: pd.DataFrame          # group, council, per_100 (+ median, q1, q3, rank)
    trend: pd.DataFrame             # council, name, run_at, per_100
    rules: list[str]                # the rules compared
    notes: list[str] = field(default_factory=list)
    chosen: str | None = None


def council_names(profiles: list[dict], chosen: str | None, anonymise: bool) -> dict[str, str]:
    """Display names: the council list's names, or 'Council A', 'Council B'... except the chosen council."""
    codes = sorted({p["council"] for p in profiles})
    known = authorities()["upper_tier"]
    if not anonymise:
        return {c: known.get(c, c or "council not given") for c in codes}
    others = [c for c in codes if c != chosen]
    letters = [f"Council {a}" for a in string.ascii_uppercase] + \
              [f"Council {a}{b}" for a in string.ascii_uppercase for b in string.ascii_uppercase]
    names = dict(zip(others, letters))
    if chosen in codes:
        names[chosen] = known.get(chosen, chosen)
    return names


def _spread(long: pd.DataFrame, key: str) -> pd.DataFrame:
    """Median, quartiles and rank (1 = fewest errors per 100 children) of each ``key`` across councils."""
    g = long.groupby(key)["per_100"]
    long = long.assign(median=g.transform("median"), q1=g.transform(lambda s: s.quantile(0.25)),
                       q3=g.transform(lambda s: s.quantile(0.75)),
                       rank=g.rank(method="min", ascending=True).astype(int))
    return long


def compare(profiles: list[dict], chosen: str | None = None, anonymise: bool = False,
            year: str | None = None) -> Benchmark:
    if not profiles:
        raise InputError("no error profiles given")
    if year:
        profiles = [p for p in profiles if p["year"] == year]
        if not profiles:
            raise InputError(f"none of the profiles is for {year}")
    years = sorted({p["year"] for p in profiles})
    if len(years) > 1:
        listed = "; ".join(f"{y}: " + ", ".join(p["_source"] for p in profiles if p["year"] == y) for y in years)
        raise InputError(f"profiles from different collection years cannot be compared ({listed}); "
                         "give one year's profiles, or choose one with --year")
    for p in profiles:
        if not p.get("council"):
            raise InputError(f"{p['_source']}: the profile has no council code; validate with --la to write one")
        if not p.get("children"):
            raise InputError(f"{p['_source']}: the profile counts no children, so no rate per 100 children")
    if chosen and chosen not in {p["council"] for p in profiles}:
        raise InputError(f"council {chosen} has no profile among those given")
    ordered = sorted(profiles, key=lambda p: (p["council"], p["run_at"]))
    latest = list({p["council"]: p for p in ordered}.values())
    names = council_names(latest, chosen, anonymise)
    notes = []

    versions = [set(p["rule_versions"].items()) for p in latest]
    common = set.intersection(*versions)
    rules = sorted(code for code, _ in common)
    if any(v != common for v in versions):
        dropped = sorted({code for v in versions for code, _ in v} - set(rules))
        notes.append(f"The councils' runs did not all run the same rules (tool versions "
                     f"{', '.join(sorted({p['tool_version'] for p in latest}))}): compared over the {len(rules)} "
                     f"rules every council ran in the same version; left out: {', '.join(dropped)}.")
    groups = {}
    for p in latest:
        groups.update({c: v["group"] for c, v in p["by_rule"].items()})

    rows = []
    for p in latest:
        for code in rules:
            found = p["by_rule"].get(code, {}).get("findings", 0)
            rows.append({"code": code, "group": groups.get(code, ""), "council": p["council"],
                         "name": names[p["council"]], "findings": found, "per_100": 100 * found / p["children"]})
    by_rule = _spread(pd.DataFrame(rows, columns=["code", "group", "council", "name", "findings", "per_100"]), "code")
    by_group = (by_rule[by_rule["group"] != ""].groupby(["group", "council", "name"], as_index=False)["findings"].sum())
    size = {p["council"]: p["children"] for p in latest}
    by_group["per_100"] = 100 * by_group["findings"] / by_group["council"].map(size)
    by_group = _spread(by_group, "group")

    def total(p):  # findings of the compared rules only
        return sum(p["by_rule"].get(code, {}).get("findings", 0) for code in rules)

    councils = pd.DataFrame([{"council": p["council"], "name": names[p["council"]], "run_at": p["run_at"],
                              "children": p["children"], "findings": total(p),
                              "per_100": 100 * total(p) / p["children"]} for p in latest])
    councils = _spread(councils.assign(key="all"), "key").drop(columns="key")
    trend = pd.DataFrame([{"council": p["council"], "name": names[p["council"]], "run_at": p["run_at"],
                           "per_100": 100 * p["findings"] / p["children"]} for p in ordered])
    return Benchmark(year=years[0], councils=councils, by_rule=by_rule, by_group=by_group, trend=trend,
                     rules=rules, notes=notes, chosen=chosen)


def where_we_stand(b: Benchmark, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chosen council's worst and best rules against the region's median (errors per 100
    children above or below it), rules with no errors anywhere left out."""
    mine = b.by_rule[(b.by_rule["council"] == b.chosen) & ((b.by_rule["per_100"] > 0) | (b.by_rule["median"] > 0))]
    mine = mine.assign(gap=mine["per_100"] - mine["median"])
    worst = mine[mine["gap"] > 0].sort_values(["gap", "code"], ascending=[False, True]).head(n)
    best = mine[mine["gap"] < 0].sort_values(["gap", "code"], ascending=[True, True]).head(n)
    return worst.reset_index(drop=True), best.reset_index(drop=True)


def against_region(report, medians: dict[str, float]) -> pd.DataFrame:
    """This run's errors per 100 children beside the region's median, for each rule that has
    errors here or in the region; most above the region first."""
    header = report.tables.get("Header")
    children = len(header) if header is not None else report.findings["child"].nunique()
    counts = report.findings["code"].value_counts()
    codes = sorted(set(counts.index) | {c for c, m in medians.items() if m > 0 and c in report.ran})
    ours = [100 * counts.get(c, 0) / children if children else 0.0 for c in codes]
    out = pd.DataFrame({"code": codes, "ours": ours, "median": [medians.get(c) for c in codes]})
    out["gap"] = out["ours"] - out["median"]
    return out.sort_values(["gap", "code"], ascending=[False, True], na_position="last").reset_index(drop=True)


def write_region_block(ws, table: pd.DataFrame, source: str) -> int:
    """Append an "Against the region" block below what the Summary sheet holds."""
    from openpyxl.styles import Font

    from ..sheet_text import put_at

    start = ws.max_row + 2
    ws.cell(row=start, column=1, value="Against the region").font = Font(bold=True, size=12)
    put_at(ws, start + 1, 1, f"Errors per 100 children, ours beside the region's median (benchmark: {source}).")
    for j, h in enumerate(["Rule", "Ours", "Region median", "Difference"], start=1):
        ws.cell(row=start + 2, column=j, value=h).font = Font(bold=True)
    for i, r in enumerate(table.itertuples(index=False), start=start + 3):
        put_at(ws, i, 1, r.code)
        for j, v in ((2, r.ours), (3, r.median), (4, r.gap)):
            cell = ws.cell(row=i, column=j, value=None if pd.isna(v) else round(float(v), 2))
            cell.number_format = "0.0"
    return start
