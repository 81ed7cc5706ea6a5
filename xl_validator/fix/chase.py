"""``xl-validator chase``: the findings that need a person, per social worker, with what became of
each since the last chase, email drafts on request, and a log line per run for scheduled use.

The return is read once and validated once, with the safe fixes made in memory (so nobody is
chased for what the analyst fixes in bulk, nor spared what those fixes reveal); the workbook is
never opened with openpyxl. The chase list's findings and their identities go to the run history.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import catalogue
from ..api import validate_return
from ..annotate.chase_book import chase_book
from ..outputs import input_paths, refuse_folder_inputs, save_files, save_with
from ..errors import InputError
from ..read.workers import WorkerList, read_workers
from ..report import history
from ..report.chase import NO_WORKER, chase_list, fixed_list, per_worker
from ..report.chase_files import chase_csvs, csv_names
from ..report.chase_mail import draft, draft_bytes
from ..report.followup import FollowUp, follow_up
from ..rules.local import return_rules
from .apply import changes, fixed_tables, read_this_and_last

LOG_NAME = "chase_log.txt"
BOOK_NAME = "chase_list.xlsx"
MANIFEST = ".xl_validator_chase_files"  # the lists and drafts the last run wrote into the folder
OURS = re.compile(r"(chase_.+\.csv|draft_.+\.eml)")


@dataclass
class ChaseRun:
    """What one chase run found and wrote."""

    items: pd.DataFrame
    fixed: pd.DataFrame
    summary: pd.DataFrame
    fixes: int
    written: list[Path] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def chase_report(source, year=None, *, previous=None, local_authority=None, provider_info=None,
                 keep_going=True, local_rules=None):
    """(the report of the return with the safe fixes made, the fixes): one read, one validation."""
    year = catalogue.normalise_year(year)
    this, last = read_this_and_last(source, year, previous, keep_going)
    found = changes(this.tables, year)
    rules = None if local_rules is False else return_rules(source, year, local_rules)
    report = validate_return(fixed_tables(this, found), year, last, local_authority=local_authority,
                             provider_info=provider_info, local_rules=rules)
    return report, found


def _follow(report, history_file: Path | None, notes: list[str]) -> FollowUp | None:
    if history_file is None:
        return None
    try:
        return follow_up(history_file, report)
    except history.HistoryError as e:
        notes.append(f"status unknown (new, open since, fixed): {e}")
        return None


def _drafts(report, items, fixed, csvs, workers: WorkerList | None, fallback: str, notes) -> dict[str, bytes]:
    """{file name: .eml bytes}: a draft per worker with findings open or fixed since the last chase."""
    known = workers.workers if workers is not None else {}
    out, nobody = {}, {}
    open_by, fixed_by = {}, {}
    for grouped, rows in ((open_by, items), (fixed_by, fixed)):
        for row in rows.to_dict("records"):
            grouped.setdefault(row["worker"], []).append(row)
    names = csv_names(dict.fromkeys([*open_by, *fixed_by]))  # the CSVs' names for those who have one
    for sw, csv_name in names.items():
        worker = known.get(sw)
        to = fallback if sw == NO_WORKER else (worker.email if worker is not None else "")
        name, data = csvs.get(sw, (None, None))
        stem = csv_name.removeprefix("chase_").removesuffix(".csv")
        msg = draft(sw, worker, report.year, open_by.get(sw, []), fixed_by.get(sw, []),
                    (name, data) if name else None, to)
        out[f"draft_{stem}.eml"] = draft_bytes(msg)
        if not to:
            why = ("children with no known social worker, no --fallback address given" if sw == NO_WORKER else
                   "no worker list given (--workers)" if workers is None else
                   "not on the worker list" if worker is None else "no email address on the worker list")
            nobody.setdefault(why, []).append(sw)
    for why, who in nobody.items():
        ids = ", ".join(w for w in who if w != NO_WORKER)
        notes.append(f"{len(who)} email draft(s) addressed to nobody ({why}); fill in the address before sending"
                     + (f": {ids}" if ids else ""))
    return out


def run_chase(source, folder, *, year=None, history_file=None, email=False, workers=None, fallback="",
              options: dict | None = None) -> ChaseRun:
    """Chase lists for ``source`` written into ``folder``, then the run added to the history."""
    folder = Path(folder)
    worker_list = read_workers(workers) if workers else None
    report, found = chase_report(source, year, **(options or {}))
    notes = list(worker_list.notes) if worker_list else []
    follow = _follow(report, history_file, notes)
    items = chase_list(report, found, follow)
    fixed = fixed_list(report, follow)
    summary = per_worker(items, fixed)
    csvs = chase_csvs(items)
    files = {name: data for name, data in csvs.values()}
    if email:
        files.update(_drafts(report, items, fixed, csvs, worker_list, fallback, notes))
    book = chase_book(items, summary, fixed, follow.last_chase if follow else None, notes)
    run = ChaseRun(items, fixed, summary, len(found), notes=notes)
    earlier = _earlier_files(folder)
    files[MANIFEST] = "".join(f"{name}\n" for name in files).encode("utf-8")
    run.written = save_files(files, folder)[:-1]
    for name in earlier - set(files):  # a worker with nothing left this time: no stale list or draft
        (folder / name).unlink(missing_ok=True)
    run.written.append(save_with(lambda path: book.write(path, set(book.parts)), folder / BOOK_NAME))
    run.drafts = [p for p in run.written if p.suffix == ".eml"]
    if history_file is not None:
        try:
            listed = items["worker"].where(items["worker"] != NO_WORKER, "")
            history.record(report, source, history_file, command="chase", listed_for=listed,
                           keys=follow.keys if follow else None)
        except history.HistoryError as e:
            notes.append(f"run history not recorded: {e}")
    return run


def _earlier_files(folder: Path) -> set[str]:
    """Names of the lists and drafts the previous run wrote here (only ever files of our own naming)."""
    try:
        names = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return set()
    return {n for n in names if OURS.fullmatch(n) and "/" not in n and "\\" not in n}


def log_line(folder: Path, log_file, source, status: int, text: str) -> None:
    """Append one line for this run (time, exit status, return, outcome) to the chase log; a log
    that cannot be written is said on stderr, never a reason to fail the run."""
    path = Path(log_file) if log_file else Path(folder) / LOG_NAME
    line = f"{datetime.now().isoformat(timespec='seconds')}\texit {status}\t{source}\t{' '.join(text.split())}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
    except OSError as e:
        print(f"xl-validator: the chase log {path} could not be written ({e.strerror or e})", file=sys.stderr)


def chase_command(args) -> int:
    """``xl-validator chase`` (its options: ``fix.commands``); the log line is written however it ends."""
    folder = refuse_folder_inputs(args.out, input_paths(args.input, args.previous, args.providers, args.local_rules,
                                                        args.workers), "the chase list folder (--out)")
    try:
        code, text = _chase(args, folder)
    except InputError as e:
        log_line(folder, args.log, args.input, 2, f"failed: {e}")
        raise
    except KeyboardInterrupt:
        log_line(folder, args.log, args.input, 130, "stopped")
        raise
    except Exception as e:
        log_line(folder, args.log, args.input, 3, f"unexpected failure: {type(e).__name__}: {e}")
        raise
    log_line(folder, args.log, args.input, code, text)
    return code


def _chase(args, folder: Path) -> tuple[int, str]:
    if args.fallback and not args.email:
        raise InputError("--fallback is the address of the email draft for children with no known social worker: "
                         "give it with --email")
    if args.workers and not args.email:
        raise InputError("--workers gives the email addresses of the drafts: give it with --email")
    if args.fallback and "@" not in args.fallback:
        raise InputError(f"--fallback {args.fallback!r}: expected an email address such as 903team@council.gov.uk")
    history_file = None if args.no_history else _history_file(args)
    run = run_chase(args.input, folder, year=args.year, history_file=history_file, email=args.email,
                    workers=args.workers, fallback=args.fallback or "",
                    options={"previous": args.previous, "local_authority": args.la,
                             "provider_info": args.providers or None, "keep_going": args.keep_going,
                             "local_rules": args.local_rules})
    items, unknown = run.items, run.items["worker"] == NO_WORKER
    new = f" ({int((items['status'] == 'new').sum())} new)" if (items["status"] != "").any() else ""
    text = (f"{len(items)} findings need a person{new}, for {items['child'].nunique()} children: "
            f"{items.loc[~unknown, 'worker'].nunique()} social workers' lists, and {int(unknown.sum())} findings "
            f"for children with no known social worker; {len(run.fixed)} fixed since the last chase.")
    print(text)
    if run.fixes:
        print(f"  They assume the {run.fixes} safe fixes are made (xl-validator fix).")
    for note in run.notes:
        print(f"  note: {note}")
    print(f"Written: {len(run.written) - len(run.drafts) - 1} CSV files, {len(run.drafts)} email drafts and "
          f"{folder / BOOK_NAME} in {folder}")
    return 0, f"{text} {len(run.drafts)} drafts; {len(run.notes)} notes."


def _history_file(args) -> Path | None:
    try:
        return history.history_path(args.input, args.history)
    except history.HistoryError as e:
        print(f"  note: no run history, so no status: {e}", file=sys.stderr)
        return None
