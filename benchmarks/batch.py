"""Time ``xl-validator validate-many`` on N generated councils' returns (with last year's
returns and the synthetic Ofsted list), as a regional team would run it.

    python benchmarks/batch.py 20 2700 [--jobs 2] [--folder DIR]

The returns are generated first (not timed); then the real command runs cold in a new
process and its wall time is printed, with the time per council.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xl_validator.sample import generate, sample_providers
from xl_validator.sample.workbook import write_return_workbook

# Upper-tier council codes the generated returns are named with (naming rule: code in the file name).
CODES = ["E09000027", "E09000003", "E09000005", "E09000007", "E09000009", "E09000011", "E09000013", "E09000015",
         "E09000017", "E09000019", "E09000021", "E09000023", "E09000025", "E09000029", "E09000031", "E09000033",
         "E08000025", "E08000026", "E08000035", "E06000001"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("councils", type=int)
    ap.add_argument("children", type=int)
    ap.add_argument("--jobs", type=int)
    ap.add_argument("--folder")
    a = ap.parse_args()
    folder = Path(a.folder or tempfile.mkdtemp(prefix="xlv-batch-"))
    returns = folder / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    for i, code in enumerate((CODES * (a.councils // len(CODES) + 1))[:a.councils]):
        name = f"{code}_{i:03d}"
        if not (returns / f"{name}.xlsx").exists():
            this, last = generate(a.children, "2025/26", seed=100 + i, error_rate=0.02 + 0.01 * (i % 5))
            write_return_workbook(this, returns / f"{name}.xlsx", "2025/26", dropdowns=False)
            write_return_workbook(last, returns / f"{name}_last.xlsx", "2024/25", dropdowns=False)
    sample_providers().to_excel(folder / "ofsted.xlsx", index=False)
    cmd = ["xl-validator", "validate-many", *map(str, sorted(returns.glob("*.xlsx"))), "--out", str(folder / "out"),
           "--year", "2025/26", "--providers", str(folder / "ofsted.xlsx"), "--council", CODES[0], "-q"]
    if a.jobs:
        cmd += ["--jobs", str(a.jobs)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    print(done.stdout.strip() or done.stderr.strip()[-500:])
    print(f"{a.councils} councils x {a.children} children: {wall:.1f} s wall ({wall / a.councils:.2f} s per council), "
          f"jobs={a.jobs or 'one per core'}; outputs in {folder / 'out'}")
    sys.exit(0 if done.returncode in (0, 1) else done.returncode)


if __name__ == "__main__":
    main()
