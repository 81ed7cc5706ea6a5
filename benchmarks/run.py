"""What an analyst waits for: each command of the real CLI, cold, on returns of several sizes.

    python benchmarks/run.py demo 2700 110000 heavy [--repeat 3] [--skip fix,chase] [--folder DIR]

Sizes: ``demo`` is the bundled demo (500 children), a number N is a generated return of N
children, ``heavy`` is a return early in the year when nearly every child has errors: 2,700
generated children at the generator's highest error rate, then every mistake of ``pile_on`` on
every row it fits (about 57,000 findings on 40,000 cells).
Every return runs with last year's return, the synthetic Ofsted list and a council code, so
every rule of the year runs, with the postcode data (its index is built before timing).

Each command is a new process (``python -m xl_validator ...``): validate writing the annotated
.xlsx, validate writing the findings CSV, fix and chase. "engine" runs ``xv.validate`` in a new
process: cold is its first call (imports excluded), warm a second call in the same process.
Cells show wall seconds with the process's CPU seconds (user + sys) in brackets: on a shared
machine the CPU figure is the steadier one. Peak memory is the largest maximum RSS of any of
the row's processes. With ``--repeat`` the fastest run of each is shown. validate runs with
--no-history (no history file is left beside the bundled demo). Nothing here is a test.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEAR = "2025/26"
LA = "E09000027"
HEAVY = "heavy2"  # the file name of the heavy return; a new name whenever ``pile_on`` changes
ROOT = Path(__file__).resolve().parent.parent

ENGINE = """
import json, sys, time
import xl_validator as xv
import xl_validator.api  # the package imports its API on first use: imported here, so "cold" is the first call only
args = json.loads(sys.argv[1])
out = {}
for label in ("cold", "warm"):
    t0, c0 = time.perf_counter(), time.process_time()
    report = xv.validate(args["this"], year=args["year"], previous=args["last"], local_authority=args["la"],
                         provider_info=[args["providers"]])
    out[label] = (time.perf_counter() - t0, time.process_time() - c0)
out["findings"] = len(report.findings)
print(json.dumps(out))
"""


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + sys) and max RSS in bytes of one child process, and its stdout.
    The process is waited for with os.wait4, so its resource usage is its own, not all children's."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):  # 1 is "errors found"
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read().decode()[-2000:]}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out.read().decode()


def _iso(dates):
    """dd/mm/yyyy text typed as yyyy-mm-dd instead, as a system export or a US-set PC gives it."""
    return dates.str.replace(r"^(\d\d)/(\d\d)/(\d{4})$", r"\3-\2-\1", regex=True)


def pile_on(tables: dict) -> None:
    """The mistakes of an unchecked return, each on every row it fits, on top of the generator's
    own (which make one mistake per episode at most): placement codes in lower case, a provider
    code that does not exist, end dates and review dates as ISO dates, review codes not yet filled."""
    ep, rv = tables["Episodes"], tables["Reviews"]
    ep["PLACE"] = ep["PLACE"].str.lower()
    ep["PLACE_PROVIDER"] = ep["PLACE_PROVIDER"].where(ep["PLACE_PROVIDER"] == "", "PR6")
    ep["DEC"] = _iso(ep["DEC"])
    rv["REVIEW"] = _iso(rv["REVIEW"])
    rv["REVIEW_CODE"] = ""


def inputs(size: str, folder: Path) -> dict:
    """The return, last year's return and the Ofsted list for one size, written once into folder."""
    from xl_validator.sample import generate, sample_providers
    from xl_validator.sample.workbook import write_return_workbook

    if size == "demo":
        demo = ROOT / "workbook_templates" / "demo"
        return {"this": str(demo / "903_demo_2025-26.xlsx"), "last": str(demo / "903_demo_2024-25.xlsx"),
                "providers": str(demo / "ofsted_providers_demo.xlsx")}
    children, rate = (2700, 1.0) if size == "heavy" else (int(size), 0.05)
    stem = HEAVY if size == "heavy" else size
    paths = {"this": folder / f"{stem}.xlsx", "last": folder / f"{stem}_last.xlsx",
             "providers": folder / "ofsted.xlsx"}
    if not paths["this"].exists():
        this, last = generate(children, YEAR, seed=1, error_rate=rate)
        if size == "heavy":
            pile_on(this)
        write_return_workbook(this, paths["this"], YEAR, dropdowns=False)
        write_return_workbook(last, paths["last"], "2024/25", dropdowns=False)
    if not paths["providers"].exists():
        sample_providers().to_excel(paths["providers"], index=False)
    return {k: str(v) for k, v in paths.items()}


def commands(size: str, files: dict, folder: Path, skip: set[str]) -> dict[str, list[str]]:
    cli = [sys.executable, "-m", "xl_validator"]
    given = ["--previous", files["last"], "--la", LA, "--providers", files["providers"]]
    run = {
        "validate": [*cli, "validate", files["this"], "--year", YEAR, *given, "--out",
                     str(folder / f"{size}_checked.xlsx"), "--no-history", "-q"],
        "csv": [*cli, "validate", files["this"], "--year", YEAR, *given, "--format", "csv", "--out",
                str(folder / f"{size}_findings.csv"), "--no-history", "-q"],
        "fix": [*cli, "fix", files["this"], "--year", YEAR, *given, "--out", str(folder / f"{size}_fixed.xlsx")],
        "chase": [*cli, "chase", files["this"], "--year", YEAR, *given, "--out", str(folder / f"{size}_chase")],
        "engine": [sys.executable, "-c", ENGINE, json.dumps({**files, "year": YEAR, "la": LA})],
    }
    return {k: v for k, v in run.items() if k not in skip}


def clean(folder: Path, size: str) -> None:
    """Outputs of an earlier run, so every run writes from scratch."""
    for p in folder.glob(f"{size}_*"):
        if p.name != f"{size}_last.xlsx":
            shutil.rmtree(p) if p.is_dir() else p.unlink()


def bench(size: str, folder: Path, repeat: int, skip: set[str]) -> dict:
    files = inputs(size, folder)
    row: dict = {"size": size, "peak": 0}
    for name, cmd in commands(size, files, folder, skip).items():
        for _ in range(repeat):
            clean(folder, size)
            wall, cpu, rss, out = timed(cmd)
            row["peak"] = max(row["peak"], rss)
            got = json.loads(out) if name == "engine" else {name: (wall, cpu)}
            row["findings"] = got.pop("findings", row.get("findings"))
            for key, value in got.items():
                key = f"engine {key}" if name == "engine" else key
                if key not in row or value[0] < row[key][0]:
                    row[key] = tuple(value)
        wall, cpu = row.get(name, row.get("engine cold"))
        print(f"  {size} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak so far {row['peak'] / 2**30:.2f} GB",
              file=sys.stderr)
    return row


def cell(value) -> str:
    return f"{value[0]:.2f} s ({value[1]:.2f})" if isinstance(value, tuple) else "-"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("sizes", nargs="+", help="demo, heavy, or a number of children")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--skip", default="", help="commands to leave out: validate,csv,fix,chase,engine")
    p.add_argument("--folder", help="where generated returns are kept between runs (default: a temporary folder)")
    args = p.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="xlv-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    # Compiled modules, as an installed wheel has them (pip compiles on install), even where
    # PYTHONDONTWRITEBYTECODE keeps a source checkout from writing its own.
    compileall.compile_dir(str(ROOT / "xl_validator"), quiet=1)
    t0 = time.perf_counter()  # the postcode index: built here if this machine has none yet, so no row pays it
    subprocess.run([sys.executable, "-c", "import xl_validator as xv, pandas as pd; "
                    "from xl_validator.prepare.postcodes import load_postcodes; "
                    "load_postcodes().lookup(pd.Series(['TW91AA']))"], check=True)
    print(f"postcode index ready in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    rows = [bench(size, folder, args.repeat, skip) for size in args.sizes]
    load = os.getloadavg()
    print(f"\n{YEAR}, council {LA}, last year's return and Ofsted list given; {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} at the end; wall seconds (CPU seconds), best of {args.repeat}\n")
    print("| return | findings | validate (.xlsx) | validate --format csv | fix | chase "
          "| engine cold | engine warm | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        name = {"demo": "demo (500)", "heavy": "heavy (2,700)"}.get(r["size"]) or \
            f"{int(r['size']):,} children"
        found = f"{r['findings']:,}" if r.get("findings") is not None else "-"
        print(f"| {name} | {found} | {cell(r.get('validate'))} | {cell(r.get('csv'))} | {cell(r.get('fix'))} "
              f"| {cell(r.get('chase'))} | {cell(r.get('engine cold'))} | {cell(r.get('engine warm'))} "
              f"| {r['peak'] / 2**30:.2f} GB |")


if __name__ == "__main__":
    main()
