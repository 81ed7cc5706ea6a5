"""What 50 sheet-defined local rules add to validating a synthetic return of N children.

    python benchmarks/local_rules.py 2700 [--repeat 5]

The 50 rules are the template's twelve plus variations covering every kind of check on
several tables. Each timing starts from freshly prepared data (so the local rules pay for
any column they are first to parse): the engine with the DfE rules alone, then the DfE
rules and the local rules together; the difference is what local rules add. Reading and
checking the 50 definitions is timed on its own. The best of ``--repeat`` runs is shown.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from xl_validator.prepare import Data
from xl_validator.prepare.postcodes import load_postcodes
from xl_validator.prepare.providers import read_providers
from xl_validator.read import read_return
from xl_validator.rules import registry
from xl_validator.rules.engine import run
from xl_validator.rules.local import load_local_rules
from xl_validator.sample import generate, sample_providers
from xl_validator.sample.local_rules import TEMPLATE_RULES, write_local_rules

_MORE = [  # table, column, check, value, only_when, severity
    ("Header", "SEX", "one of", "M, F", "", "error"),
    ("Header", "ETHNIC", "not one of", "REFU, NOBT", "", "info"),
    ("Header", "DOB", "date", "", "", "error"),
    ("Header", "DOB", "on or before", "collection_end", "", "error"),
    ("Header", "UPN", "unique", "", "UPN = UN1, UN2, UN3", "warning"),
    ("Header", "MOTHER", "required", "", "SEX = F", "info"),
    ("Header", "CHILD", "pattern", r"\d{6}", "", "warning"),
    ("Header", "CHILD", "has row in", "Episodes where RNE = S, P, L, T, B, U", "", "error"),
    ("Episodes", "DECOM", "date", "", "", "error"),
    ("Episodes", "DEC", "on or after", "DECOM", "", "error"),
    ("Episodes", "DEC", "before", "01/04/2027", "", "error"),
    ("Episodes", "DECOM", "unique per child", "", "", "warning"),
    ("Episodes", "PLACE_PROVIDER", "one of", "PR0, PR1, PR2, PR3, PR4, PR5", "", "error"),
    ("Episodes", "URN", "pattern", r"SC\d{6}|XXXXXXX", "", "warning"),
    ("Episodes", "LS", "not one of", "V1", "", "info"),
    ("Episodes", "REC", "required", "", "DEC is not blank", "error"),
    ("Episodes", "REASON_PLACE_CHANGE", "required", "", "REC = X1", "warning"),
    ("Episodes", "DEC", "within 5 months of", "DECOM", "RNE = T", "info"),
    ("Episodes", "CHILD", "has row in", "Header", "", "error"),
    ("Episodes", "DECOM", "on or after", "collection_start - 20 years", "", "warning"),
    ("Reviews", "REVIEW", "date", "", "", "error"),
    ("Reviews", "REVIEW_CODE", "one of", "PN0, PN1, PN2, PN3, PN4, PN5, PN6, PN7", "", "error"),
    ("Reviews", "REVIEW", "on or after", "DOB", "", "error"),
    ("Reviews", "REVIEW", "within 200 days of", "previous", "", "warning"),
    ("Reviews", "REVIEW", "within 1 months of", "collection_end", "REVIEW_CODE = PN0", "info"),
    ("Reviews", "CHILD", "has row in", "SWEpisodes", "", "warning"),
    ("SWEpisodes", "SW_ID", "pattern", r"SW\d{5}", "", "error"),
    ("SWEpisodes", "SW_REASON", "required", "", "SW_DECOM is not blank", "warning"),
    ("SWEpisodes", "SW_DEC", "on or after", "SW_DECOM", "", "error"),
    ("SWEpisodes", "SW_DECOM", "unique per child", "", "", "warning"),
    ("SWEpisodes", "SW_DECOM", "within 10 working days of", "Episodes.DECOM where RNE = S", "", "info"),
    ("Missing", "MIS_END", "on or after", "MIS_START", "", "error"),
    ("Missing", "MISSING", "one of", "M, A", "", "error"),
    ("OC2", "SDQ_SCORE", "between", "0 and 40", "", "error"),
    ("UASC", "DUC", "on or after", "DOB + 17 years", "", "warning"),
    ("PrevPerm", "PREV_PERM", "one of", "P1, P2, P3, P4, Z1", "", "error"),
    ("AD1", "NB_ADOPTR", "between", "1 and 2", "", "error"),
    ("PlacedAdoption", "DATE_PLACED", "on or before", "collection_end", "", "error"),
]


def fifty_rules() -> list[list]:
    rows = [list(r) for r in TEMPLATE_RULES]
    for n, (table, column, check, value, only, severity) in enumerate(_MORE, start=len(rows) + 1):
        rows.append([f"L{n:03d}", f"{table}.{column}: {check} {value}".strip(), severity, table, column, check,
                     value, only, ""])
    return rows


def bench(children: int, year: str, repeat: int, folder: Path) -> None:
    this, last = generate(children, year, seed=1)
    rows = sum(len(t) for t in this.values())
    path = write_local_rules(folder / "fifty.xlsx", rules=fifty_rules())
    t0 = time.perf_counter()
    local = load_local_rules([path], year)
    t_load = time.perf_counter() - t0
    assert len(local.rules) == 50 and not local.problems, [str(p) for p in local.problems]
    tables = {**read_return(this, year=year).tables, **read_return(last, suffix="_last", year=year).tables}
    options = dict(local_authority="E09000027", providers=read_providers(sample_providers()), postcodes=load_postcodes())
    dfe = list(registry(year).values())
    both = dfe + list(local.rules.values())
    Data(tables, year, **options)["Episodes"]["PL_LA"]  # postcode letters loaded before timing

    def best(rules) -> tuple[float, float, object]:
        """Best wall-clock and best CPU seconds (the process's own: steadier on a shared machine)."""
        wall, cpu = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            outcome = run(Data(tables, year, **options), rules)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        return min(wall), min(cpu), outcome

    w_dfe, c_dfe, _ = best(dfe)
    w_both, c_both, outcome = best(both)
    w_alone, c_alone, _ = best(list(local.rules.values()))
    local_hits = sum(len(pos) for code, _, pos in outcome.hits if code.startswith("L"))
    print(f"\n{children:,} children, {rows:,} rows; 50 local rules ({local_hits:,} local findings)")
    print(f"  read and check the 50 definitions   {t_load:6.3f} s")
    print("                                        wall     CPU")
    print(f"  engine, {len(dfe)} DfE rules               {w_dfe:6.3f}  {c_dfe:6.3f} s")
    print(f"  engine, DfE + 50 local rules        {w_both:6.3f}  {c_both:6.3f} s")
    print(f"  what the local rules add            {w_both - w_dfe:6.3f}  {c_both - c_dfe:6.3f} s")
    print(f"  engine, the 50 local rules alone    {w_alone:6.3f}  {c_alone:6.3f} s")
    slow = sorted(((c, s) for c, s in outcome.seconds.items() if c.startswith("L")), key=lambda kv: -kv[1])[:5]
    print("  slowest local rules: " + ", ".join(f"{c} {s * 1000:.1f} ms" for c, s in slow))
    for code, why in outcome.failed.items():
        print(f"  FAILED {code}: {why}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("children", nargs="+", type=int)
    p.add_argument("--year", default="2025/26")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.children:
            bench(n, args.year, args.repeat, Path(tmp))


if __name__ == "__main__":
    main()
