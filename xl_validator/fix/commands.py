"""Command line: ``xl-validator fix`` (and ``chase``, from ``fix.chase``), registered by ``add_commands``.

Both return the exit status (0 done, 2 is left to the CLI's handling of InputError).
"""
from __future__ import annotations

import argparse

from ..cli import add_keep_going
from ..errors import InputError
from ..outputs import input_paths, refuse_inputs


def add_commands(subparsers) -> None:
    """Register the fix and chase commands on the CLI's subparsers."""
    f = subparsers.add_parser("fix", help="apply the safe bulk fixes to a copy of the return, or undo them")
    f.add_argument("input", help=".xlsx workbook, folder of DfE CSV files or DfE XML file "
                                 "(with --undo: a copy written by fix)")
    f.add_argument("--out", help="the fixed copy to write (.xlsx; .xlsm for an .xlsm return, keeping its macros); "
                                 "not needed with --dry-run")
    f.add_argument("--year", help="collection year, e.g. 2025/26 (default: the current one)")
    f.add_argument("--only", help="only fixes that resolve these rule codes, comma-separated, e.g. 147,103")
    f.add_argument("--dry-run", action="store_true", help="show what would change per fix; write nothing")
    f.add_argument("--undo", action="store_true", help="restore every cell logged on the 'Fix log' sheet")
    _validation_inputs(f)
    add_keep_going(f)
    f.set_defaults(func=cmd_fix)
    c = subparsers.add_parser("chase", help="chase lists: findings needing a person, per social worker")
    c.add_argument("input", help=".xlsx workbook, folder of DfE CSV files or DfE XML file")
    c.add_argument("--out", required=True, help="folder for the chase lists (one CSV per worker and a workbook)")
    c.add_argument("--year", help="collection year, e.g. 2025/26 (default: the current one)")
    _validation_inputs(c)
    add_keep_going(c)
    c.add_argument("--email", action="store_true", help="also write an email draft (.eml) per social worker")
    c.add_argument("--workers", metavar="FILE", help="the worker list for --email: CSV or workbook with the "
                                                      "columns SW_ID, name, email")
    c.add_argument("--fallback", metavar="ADDRESS", help="--email: who gets the draft for children with no "
                                                          "known social worker")
    c.add_argument("--history", help="run history file (default: .xl_validator_history.sqlite beside the input)")
    c.add_argument("--no-history", action="store_true", help="no status and nothing recorded in the history")
    c.add_argument("--log", metavar="FILE", help="append the run's log line here (default: chase_log.txt in --out)")
    c.set_defaults(func=cmd_chase)


def _validation_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--previous", help="last year's return (any of the same forms)")
    p.add_argument("--la", help="your council's ONS code, e.g. E09000027")
    p.add_argument("--providers", nargs="+", metavar="FILE", help="Ofsted provider list workbook(s)")
    p.add_argument("--local-rules", nargs="+", metavar="FILE",
                   help="the council's own checks (besides a Local rules sheet in the return)")


def _options(args) -> dict:
    return {"previous": args.previous, "local_authority": args.la, "provider_info": args.providers or None,
            "keep_going": args.keep_going, "local_rules": args.local_rules}


def _inputs(args) -> list:
    return input_paths(args.input, args.previous, args.providers, args.local_rules)


def cmd_fix(args) -> int:
    from .apply import apply_to_workbook
    from .restore import undo
    from .before_after import per_fix

    if args.undo:
        if not args.out:
            raise InputError("fix --undo needs --out: the restored copy to write (.xlsx)")
        refuse_inputs(args.out, [args.input])
        done = undo(args.input, args.out)
        print(f"Restored {done.restored} cells; written: {done.out}")
        for cell in done.edited_since:
            print(f"  note: {cell} had been edited after fixing; its original value was restored anyway")
        return 0
    if args.out and not args.dry_run:
        refuse_inputs(args.out, _inputs(args))
    result = apply_to_workbook(args.input, args.out, year=args.year, only=args.only, dry_run=args.dry_run,
                               **_options(args))
    verb = "would change" if args.dry_run else "changed"
    for issue in result.before.issues:
        if "collection year" in issue.message:
            print(f"  note: {issue}")
    print(f"{len(result.changes)} cells {verb}.")
    if args.dry_run and len(result.changes):
        print(f"  {'cell':<22} {'before':<22} {'after':<22} {'fix':<18} rules")
        for ch in result.changes.itertuples(index=False):
            print(f"  {ch.cell:<22} {ch.old!r:<22} {ch.new!r:<22} {ch.fix:<18} {', '.join(ch.resolves)}")
    for fix, n in per_fix(result.changes).items():
        print(f"  {fix:<16} {n:>6}")
    print(f"Findings: {len(result.before.findings)} before, {len(result.after.findings)} after fixing.")
    for r in result.counts[result.counts["change"] != 0].itertuples(index=False):
        print(f"  {r.code:>9} {r.before:>6} -> {r.after:<6} {r.message[:80]}")
    for note in result.not_applied:
        print(f"  left alone: {note}")
    if result.out:
        print(f"Written: {result.out} (sheet 'Fix log' lists every change; undo with: fix {result.out} --undo --out ...)")
    return 0


def cmd_chase(args) -> int:
    from .chase import chase_command

    return chase_command(args)
