"""The command-line doors for comparing councils: profile, benchmark, validate-many."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from .region import profile_paths


def cmd_profile(args) -> int:
    import xl_validator as xv

    from ..outputs import input_paths, refuse_inputs, save_text
    from ..report.profile import error_profile, profile_json

    source, out = Path(args.input), Path(args.out)
    refuse_inputs(out, input_paths(source, args.previous, args.providers))
    report = xv.validate(source, year=args.year, previous=args.previous, local_authority=args.la,
                         provider_info=args.providers or None)
    save_text(profile_json(error_profile(report, xv.api.local_authority_code(args.la))), out)
    print(f"Profile written: {out} ({len(report.findings)} findings; counts only, no child data)")
    return 0


def cmd_benchmark(args) -> int:
    from ..outputs import refuse_inputs
    from ..report.benchmark import compare
    from ..report.profile import read_profile
    from .workbook import write_benchmark

    paths = profile_paths(args.profiles)
    out = refuse_inputs(Path(args.out), paths)
    b = compare([read_profile(p) for p in paths], chosen=_council(args.council), anonymise=args.anonymise,
                year=args.year)
    write_benchmark(b, out)
    print(f"Benchmark of {len(b.councils)} councils over {len(b.rules)} rules written: {out}")
    for note in b.notes:
        print(f"  note: {note}")
    return 0


def _council(value):
    from ..api import local_authority_code

    return local_authority_code(value) if value else None


def cmd_validate_many(args) -> int:
    from ..outputs import input_paths, refuse_folder_inputs, refuse_inputs
    from ..report.benchmark import compare
    from ..report.profile import read_profile
    from .batch import jobs_for, validate_many
    from .workbook import write_benchmark

    out = Path(args.out)
    jobs = jobs_for(args.inputs, out, year=args.year, providers=args.providers, manifest=args.manifest)
    refuse_folder_inputs(out, input_paths(*[j.source for j in jobs], *[j.previous for j in jobs if j.previous],
                                          *args.providers or []), "--out")
    out.mkdir(parents=True, exist_ok=True)

    def show(done: int, total: int, result) -> None:
        if not args.quiet:
            state = f"{result.findings:,} findings" if result.ok else f"FAILED: {result.message}"
            print(f"[{done}/{total}] {result.source}: {state} ({result.seconds:.1f} s)", file=sys.stderr)

    results = validate_many(jobs, args.jobs, show)
    failed = [r for r in results if not r.ok]
    profiles = [read_profile(r.profile) for r in results if r.ok]
    if profiles and all(p["council"] for p in profiles):
        bench = refuse_inputs(out / "benchmark.xlsx", [])
        write_benchmark(compare(profiles, chosen=_council(args.council), anonymise=args.anonymise), bench)
        print(f"Benchmark written: {bench}")
    elif profiles:
        print("  note: no benchmark workbook: some returns have no council code (name the files with it or "
              "give a manifest with an 'la' column)", file=sys.stderr)
    print(f"{len(results) - len(failed)} of {len(results)} returns validated; outputs in {out}")
    for r in failed:
        print(f"  failed: {r.source}: {r.message}", file=sys.stderr)
    return 2 if failed else (1 if any(r.findings for r in results) else 0)


def add_commands(sub) -> None:
    p = sub.add_parser("profile", help="write an anonymised error profile of a return (counts only)")
    p.add_argument("input")
    p.add_argument("--out", required=True, help="the profile file to write (.json)")
    p.add_argument("--year")
    p.add_argument("--previous")
    p.add_argument("--la", help="your council's ONS code (the profile is labelled with it)")
    p.add_argument("--providers", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_profile)
    b = sub.add_parser("benchmark", help="compare councils' error profiles in a workbook")
    b.add_argument("profiles", nargs="+", help="profile files, or folders of them")
    b.add_argument("--out", required=True, help="the benchmark workbook to write (.xlsx)")
    b.add_argument("--council", help="your council (code or name): gets a 'Where we stand' sheet")
    b.add_argument("--anonymise", action="store_true", help="show other councils as Council A, B, ...")
    b.add_argument("--year", help="compare only this collection year's profiles")
    b.set_defaults(func=cmd_benchmark)
    m = sub.add_parser("validate-many", help="validate many councils' returns in parallel, then benchmark them")
    m.add_argument("inputs", nargs="*", help="returns (workbooks, CSV folders, XML files); see the README's naming rule")
    m.add_argument("--out", required=True, help="folder for every council's outputs and the benchmark")
    m.add_argument("--manifest", help="CSV with columns return, previous, la, providers (instead of the naming rule)")
    m.add_argument("--providers", nargs="+", metavar="FILE", help="Ofsted provider lists, shared by every council")
    m.add_argument("--year")
    m.add_argument("--jobs", type=int, help="processes to run at once (default: one per core)")
    m.add_argument("--council", help="the council to show on the benchmark's 'Where we stand' sheet")
    m.add_argument("--anonymise", action="store_true")
    m.add_argument("-q", "--quiet", action="store_true")
    m.set_defaults(func=cmd_validate_many)
