"""Command line: ``xl-validator validate|dashboard|demo|rules``.

Exit status: 0 no errors found, 1 errors found, 2 the input could not be read or the
output not written (the message says why), 3 an unexpected failure, 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import catalogue
from .outputs import input_paths, refuse_inputs, sigterm_as_interrupt
from .errors import InputError

DEMO_DIR = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"


def _progress(stream=sys.stderr):
    """A one-line progress bar on a terminal; silent when output is redirected."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, code: str) -> None:
        width = 30
        filled = width * done // total
        stream.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} rules ({code})   ")
        if done == total:
            stream.write("\n")
        stream.flush()
    return show


FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}  # --out's extension, when --format is not given


def _default_out(source: Path, suffix: str) -> Path:
    stem = source.stem if source.is_file() else source.name
    return source.parent / f"{stem}_checked{suffix}"


def _print_summary(report, out: Path | None) -> None:
    print(f"{report.year}: {len(report.findings)} findings from {report.findings['code'].nunique()} rules, "
          f"{report.children_with_errors} children with errors; rules run {len(report.ran)}, "
          f"skipped {len(report.skipped)}, failed {len(report.failed)}.")
    from .report.inputs import inputs_rows, skipped_by_input

    for label, value in inputs_rows(report):
        print(f"  {label + ':':<22} {value}")
    for text, codes in skipped_by_input(report):
        print(f"  skipped: {text}")
    for issue in report.issues:
        print(f"  note: {issue}")
    for code, reason in sorted(report.failed.items()):
        print(f"  rule {code} failed: {reason}")
    local = {c: r for c, r in report.skipped.items() if c.startswith(("L", "row "))}
    for code, reason in sorted(local.items()):  # a local rule the council can correct
        print(f"  local rule {code} {reason}")
    for reason, codes in _by_reason({c: r for c, r in report.skipped.items() if c not in local}).items():
        print(f"  {len(codes)} rules {reason}")
    top = report.by_rule().head(10)
    for r in top.itertuples(index=False):
        tag = f" ({report.rules[r.code].severity}, local)" if r.group == "Local" else ""
        print(f"  {r.code:>9} {r.findings:>6}  {r.message[:90]}{tag}")
    if out:
        print(f"Written: {out}")


def _by_reason(skipped: dict[str, str]) -> dict[str, list[str]]:
    """Skipped rule codes grouped by reason, most rules first: one line per missing input."""
    out: dict[str, list[str]] = {}
    for code, reason in sorted(skipped.items()):
        out.setdefault(reason, []).append(code)
    return dict(sorted(out.items(), key=lambda kv: -len(kv[1])))


def cmd_validate(args) -> int:
    import xl_validator as xv

    source = Path(args.input)
    fmt = args.format or FORMATS.get(Path(args.out).suffix.lower() if args.out else "", "xlsx")
    out = Path(args.out) if args.out else _default_out(source, "." + fmt)
    inputs = input_paths(source, args.previous, args.providers, args.history, args.benchmark,
                         getattr(args, "local_rules", None))
    refuse_inputs(out, inputs)
    if args.dashboard and fmt != "xlsx":
        raise InputError(f"{out}: --dashboard adds a sheet to the annotated workbook, so --out must be an .xlsx "
                         f"file (this is {fmt}); or use the dashboard command")
    if args.profile:
        refuse_inputs(args.profile, inputs, "--profile")
    region = None
    if args.benchmark:
        from .compare.region import region_medians

        region = region_medians(args.benchmark)
    report = xv.validate(source, year=args.year, previous=args.previous, local_authority=args.la,
                         provider_info=args.providers or None, rules=args.rules.split(",") if args.rules else None,
                         collection_start=args.collection_start, collection_end=args.collection_end,
                         progress=None if args.quiet else _progress(), keep_going=args.keep_going,
                         local_rules=False if getattr(args, "no_local", False) else getattr(args, "local_rules", None))
    history_file = None if args.no_history else _history_file(source, args.history)
    if fmt == "xlsx":
        from .annotate import write_annotated  # openpyxl and the copy writer: not needed for CSV or JSON

        is_book = source.suffix.lower() in (".xlsx", ".xlsm")
        earlier = _earlier_runs(history_file, report)
        extra = [_dashboard_sheet(report, earlier, args.suppress_small)] if args.dashboard else []
        write_annotated(report, source if is_book else None, out, history=earlier, region=region, extra=extra)
    else:
        _write_findings(report, out, fmt)
    if args.profile:
        from .outputs import save_text
        from .report.profile import error_profile, profile_json

        save_text(profile_json(error_profile(report, xv.api.local_authority_code(args.la))), args.profile)
    if history_file is not None:
        _record_history(report, source, history_file)  # only once the output is written
    if not args.quiet:
        _print_summary(report, out)
    return 1 if (report.findings["severity"] == "error").any() else 0


def _dashboard_sheet(report, earlier, suppress: bool):
    """The Dashboard as a sheet for ``write_annotated`` to add (``earlier`` runs give the trend)."""
    from .annotate.dashboard import write_dashboard
    from .report.dashboard import dashboard

    return lambda wb: write_dashboard(wb, dashboard(report, earlier), suppress)


def cmd_dashboard(args) -> int:
    """Validate the return and write a workbook holding only the Dashboard sheet. The run is not
    added to the history (it is a picture of the return, not a check of it); earlier runs give the trend."""
    import openpyxl

    import xl_validator as xv
    from .outputs import save_atomically

    source = Path(args.input)
    refuse_inputs(args.out, input_paths(source, args.previous, args.providers, args.history, args.local_rules))
    if Path(args.out).suffix.lower() != ".xlsx":
        raise InputError(f"{args.out}: the dashboard is a workbook: give --out a name ending in .xlsx")
    report = xv.validate(source, year=args.year, previous=args.previous, local_authority=args.la,
                         provider_info=args.providers or None, keep_going=args.keep_going,
                         progress=None if args.quiet else _progress(),
                         local_rules=False if args.no_local else args.local_rules)
    earlier = None if args.no_history else _earlier_runs(_history_file(source, args.history), report)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _dashboard_sheet(report, earlier, args.suppress_small)(wb)
    out = save_atomically(wb, args.out)
    if not args.quiet:
        from .report.inputs import inputs_rows

        for label, value in inputs_rows(report):
            print(f"  {label + ':':<22} {value}")
        for issue in report.issues:
            print(f"  note: {issue}")
        print(f"Small numbers {'suppressed (1 to 4 shown as [c])' if args.suppress_small else 'shown as they are'}.")
        print(f"Written: {out}")
    return 0


def _history_file(source: Path, db_path) -> Path | None:
    from .report import history

    try:
        return history.history_path(source, db_path)
    except history.HistoryError as e:
        print(f"  note: run history not recorded: {e}", file=sys.stderr)
        return None


def _earlier_runs(path: Path | None, report):
    """The runs of this return recorded before this one (same council and year, whatever the file
    was called), for the Summary; none when there is no history yet."""
    if path is None or not path.is_file():
        return None
    from .report import history

    try:
        return history.runs(path, year=report.year, council=report.inputs.get("local_authority"))
    except history.HistoryError as e:
        print(f"  note: earlier runs not shown: {e}", file=sys.stderr)
        return None


def _record_history(report, source: Path, path: Path) -> None:
    """Append this run to the history file; a history that cannot be written is a note,
    never a reason to lose the validation."""
    from .report import history

    try:
        history.record(report, source, path)
    except history.HistoryError as e:
        print(f"  note: run history not recorded: {e}", file=sys.stderr)


def _write_findings(report, out: Path, fmt: str) -> None:
    from .annotate.safe_text import findings_csv
    from .outputs import save_text

    if fmt == "csv":
        save_text(findings_csv(report.findings), out)
    else:
        f = report.findings.assign(fields=report.findings["fields"].map(", ".join))
        save_text(json.dumps({"year": report.year, "findings": f.to_dict("records"),
                              "skipped": report.skipped, "failed": report.failed}, indent=1), out)


def cmd_demo(args) -> int:
    """Validate the bundled demo return; outside a source checkout, write it first (seeded,
    so it is the same return)."""
    from .sample.demo import DEMO_LA, DEMO_YEAR, demo_paths, write_demo
    from .sample.local_rules import write_local_rules

    out = Path(args.out or "out/903_demo_2025-26_checked.xlsx")
    paths = demo_paths(DEMO_DIR)
    local = DEMO_DIR.parent / "local_rules.xlsx"
    if not paths["this"].exists():
        paths = write_demo(out.parent / "demo_input")
    if not local.exists():
        local = write_local_rules(out.parent / "demo_input" / "local_rules.xlsx")
    argv = ["validate", str(paths["this"]), "--year", DEMO_YEAR, "--previous", str(paths["last"]), "--la", DEMO_LA,
            "--providers", str(paths["providers"]), "--out", str(out), "--local-rules", str(local),
            "--history", str(out.parent / ".xl_validator_history.sqlite"), "--dashboard"] + (
                ["--quiet"] if args.quiet else [])
    cmd_validate(parser().parse_args(argv))  # every option at its default, as typed by hand
    return 0


def _print_local(specs, year) -> int:
    from .rules.local import load_local_rules

    local = load_local_rules(specs, year)
    for code, r in local.rules.items():
        fields = "; ".join(f"{t}: {', '.join(f)}" for t, f in r.fields.items() if f)
        print(f"{code}\t{r.message}\t{', '.join(r.tables)}\t{fields}\t{r.severity}\t{local.where[code]}")
    for note in local.notes:
        print(f"problem: {note}")
    for p in local.problems:
        print(f"problem: {p.key}: {p} (skipped)")
    print(f"{len(local.rules)} local rule(s) usable, {len(local.problems)} with problems.", file=sys.stderr)
    return 1 if local.problems or local.notes else 0


def _in_force(year: str) -> dict[str, dict]:
    """The rules in force in a year with their DfE text, from the catalogue (the registry holds
    exactly these rules, see tests/test_engine.py): listing them loads no rule code."""
    return {code: catalogue.rule_meta(code, year) for code in sorted(catalogue.in_force(year))}


def cmd_rules(args) -> int:
    if args.local:
        return _print_local(args.local, args.year)
    if args.diff:
        a, b = (catalogue.normalise_year(y) for y in args.diff)
        ra, rb = _in_force(a), _in_force(b)
        for code in sorted(set(ra) | set(rb)):
            if code not in ra:
                print(f"+ {code}  {rb[code]['message']}")
            elif code not in rb:
                print(f"- {code}  {ra[code]['message']}")
            elif ra[code]["version"] != rb[code]["version"]:
                print(f"~ {code}  {rb[code]['message']}  (version {ra[code]['version']} -> {rb[code]['version']})")
        return 0
    year = catalogue.normalise_year(args.year)
    if args.departures:
        from .rules.departures import departures

        for d in departures(year):
            code = "all rules" if d["code"] == "*" else f"{d['code']} ({d['version']})"
            print(f"{code}\n  differs: {d['differs']}\n  why ({d['evidence']}): {d['why']}\n")
        return 0
    for code, meta in _in_force(year).items():
        fields = "; ".join(f"{t}: {', '.join(f)}" for t, f in meta["fields"].items() if f)
        print(f"{code}\t{meta['message']}\t{', '.join(meta['tables'])}\t{fields}")
    return 0


def cmd_la(args) -> int:
    for code, name in sorted(catalogue.authorities()["upper_tier"].items(), key=lambda kv: kv[1]):
        if code.startswith("E"):
            print(f"{code}\t{name}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xl-validator", description="Validate an SSDA903 return against the DfE rules.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate a return and write an annotated copy")
    v.add_argument("input", help=".xlsx workbook, folder of DfE CSV files, or DfE XML file")
    v.add_argument("--year", help="collection year, e.g. 2025/26 (default: the current one)")
    v.add_argument("--previous", help="last year's return (any of the same forms)")
    v.add_argument("--la", help="your council's ONS code, e.g. E09000027")
    v.add_argument("--providers", nargs="+", metavar="FILE", help="Ofsted provider list workbook(s)")
    v.add_argument("--rules", help="only these codes, comma-separated")
    v.add_argument("--collection-start", help="override the start of the collection period (dd/mm/yyyy)")
    v.add_argument("--collection-end", help="override the end of the collection period (dd/mm/yyyy)")
    v.add_argument("--format", choices=("xlsx", "csv", "json"),
                   help="xlsx: annotated workbook; csv/json: the findings only (default: from --out's extension, "
                        "else xlsx)")
    v.add_argument("--out", help="output file (default: next to the input, *_checked)")
    v.add_argument("--history", help="run history file (default: .xl_validator_history.sqlite beside the input)")
    v.add_argument("--no-history", action="store_true", help="do not record this run in the history")
    v.add_argument("--local-rules", nargs="+", metavar="FILE",
                   help="the council's own checks: a workbook with a Local rules sheet, a .py file or a module")
    v.add_argument("--no-local", action="store_true",
                   help="run no local rules (not even a Local rules sheet in the return)")
    add_keep_going(v)
    v.add_argument("--dashboard", action="store_true",
                   help="add a Dashboard sheet (figures for leadership, with data quality) to the annotated copy")
    add_suppress_small(v)
    v.add_argument("--profile", metavar="FILE", help="also write an anonymised error profile (counts only) to FILE")
    v.add_argument("--benchmark", metavar="FILE",
                   help="a benchmark workbook or folder of profiles: the Summary shows the region's median per rule")
    v.add_argument("-q", "--quiet", action="store_true")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("dashboard", help="a one-sheet picture of the return for leadership, with its data quality")
    b.add_argument("input", help=".xlsx workbook, folder of DfE CSV files, or DfE XML file")
    b.add_argument("--out", required=True, help="the dashboard workbook to write (.xlsx)")
    b.add_argument("--year", help="collection year, e.g. 2025/26 (default: the one the return's dates point at)")
    b.add_argument("--previous", help="last year's return: its figures are shown beside this year's")
    b.add_argument("--la", help="your council's ONS code, e.g. E09000027 (for placements in or out of area)")
    b.add_argument("--providers", nargs="+", metavar="FILE", help="Ofsted provider list workbook(s)")
    b.add_argument("--history", help="run history file for the data quality trend (default: beside the input)")
    b.add_argument("--no-history", action="store_true", help="show no trend from the run history")
    b.add_argument("--local-rules", nargs="+", metavar="FILE",
                   help="the council's own checks, counted in the data quality as in validate")
    b.add_argument("--no-local", action="store_true", help="run no local rules (not even a Local rules sheet)")
    add_suppress_small(b)
    add_keep_going(b)
    b.add_argument("-q", "--quiet", action="store_true")
    b.set_defaults(func=cmd_dashboard)
    d = sub.add_parser("demo", help="validate the bundled synthetic demo return")
    d.add_argument("--out")
    d.add_argument("-q", "--quiet", action="store_true")
    d.set_defaults(func=cmd_demo)
    r = sub.add_parser("rules", help="list the rules in force, or what changed between two years")
    r.add_argument("--year")
    r.add_argument("--diff", nargs=2, metavar=("FROM", "TO"))
    r.add_argument("--departures", action="store_true",
                   help="where this tool knowingly differs from the DfE rules' spec, and the evidence")
    r.add_argument("--local", nargs="+", metavar="FILE", help="list the local rules these files define, with any problems")
    r.set_defaults(func=cmd_rules)
    sub.add_parser("la", help="list council codes for --la").set_defaults(func=cmd_la)
    from .addin import add_commands as addin_commands
    from .compare.commands import add_commands as compare_commands
    from .export.commands import add_commands as export_commands
    from .fix.commands import add_commands as fix_commands
    from .lite import add_commands as lite_commands

    addin_commands(sub)
    lite_commands(sub)
    fix_commands(sub)
    export_commands(sub)
    compare_commands(sub)
    return p


def add_suppress_small(p: argparse.ArgumentParser) -> None:
    p.add_argument("--suppress-small", action="store_true",
                   help="on the Dashboard, show counts of 1 to 4 children as [c] (for sharing)")


def add_keep_going(p: argparse.ArgumentParser) -> None:
    p.add_argument("--keep-going", action="store_true",
                   help="validate even when a table could not be read (its rules are skipped); "
                        "by default that stops the run with exit status 2")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with sigterm_as_interrupt():
            return args.func(args)
    except BrokenPipeError:  # output piped into head or less, which stopped reading
        sys.stderr.close()
        return 0
    except (InputError, catalogue.UnknownYear) as e:
        print(f"xl-validator: {e}", file=sys.stderr)
        return 2
    except MemoryError:
        print("xl-validator: ran out of memory. The input is far larger than a 903 return, or the machine is "
              "short of memory: close other programs, or check the input files (see the limits in the README).",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xl-validator: stopped; nothing was half-written (outputs are only put in place when complete)",
              file=sys.stderr)
        return 130
    except Exception as e:  # a bug: exit 1 must only ever mean "errors found"
        print(f"xl-validator: unexpected failure ({type(e).__name__}: {e}). Nothing was half-written; please "
              "report this with the command used (set XL_VALIDATOR_DEBUG=1 to see where it happened).",
              file=sys.stderr)
        if os.environ.get("XL_VALIDATOR_DEBUG"):
            raise
        return 3


if __name__ == "__main__":
    sys.exit(main())
