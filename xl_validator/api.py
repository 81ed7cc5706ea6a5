"""The one entry point every front door calls: ``validate``."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from . import catalogue
from .prepare import Data
from .prepare.postcodes import authorities, load_postcodes
from .prepare.providers import read_providers
from .read import InputError, ReadIssue, Return, read_return, refuse_unreadable
from .report import Report, build
from .rules import registry
from .rules.engine import run
from .rules.local import LocalRules, return_rules


def _as_date(value, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime, pd.Timestamp)):
        return pd.Timestamp(value).date()
    try:
        return datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date: write it as dd/mm/yyyy, e.g. 01/04/2025") from None


def collection_period(year: str, start=None, end=None) -> tuple[date, date]:
    """The period rules compare dates with. Neither given: the year's 1 April to 31 March.
    One given: the other is the bound of that date's own collection year (an end of
    31/03/2024 means a start of 01/04/2023), so a lone override can never make start
    after end. Both given: they must be in order."""
    start, end = _as_date(start, "collection_start"), _as_date(end, "collection_end")
    if start is None and end is None:
        return catalogue.collection_bounds(year)
    if start is None:
        start = date(end.year - (end.month < 4), 4, 1)
    if end is None:
        end = date(start.year + (start.month >= 4), 3, 31)
    if start > end:
        raise InputError(f"collection_start {start:%d/%m/%Y} is after collection_end {end:%d/%m/%Y}: "
                         "give a start on or before the end")
    return start, end


def local_authority_code(value: str | None) -> str | None:
    """The council's upper-tier ONS code from a code or a name ('E09000027', 'Richmond upon
    Thames'); a district code or an unknown value is refused with a hint."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    ref = authorities()
    upper = {code.upper(): code for code in ref["upper_tier"]}
    names = {name.lower(): code for code, name in ref["upper_tier"].items()}
    if text.upper() in upper:
        return upper[text.upper()]
    if text.lower() in names:
        return names[text.lower()]
    parent = ref["districts"].get(text.upper())
    if parent:
        raise InputError(f"local authority {text!r} is a district; the 903 is returned by its upper-tier "
                         f"authority {parent} ({ref['upper_tier'][parent]}): use that code")
    raise InputError(f"local authority {text!r} is not a known council code or name: use your council's "
                     "ONS code, e.g. E09000027 for Richmond upon Thames (xl-validator la lists them)")


def year_hint(data: Data) -> ReadIssue | None:
    """A note when the return's own dates point at another collection year than the one
    chosen: the most common slip when validating year round (the default is the year in
    progress). Judged by the latest review or episode start, ignoring typing slips in the future."""
    latest = []
    for table, col in (("Reviews", "REVIEW"), ("Episodes", "DECOM")):
        t = data.get(table)
        if t is not None and t.has(col) and len(t):
            dates = t.date(col).dropna()
            if len(dates):
                latest.append(dates[dates <= dates.quantile(0.99)].max())
    if not latest:
        return None
    last = max(latest)
    guess = f"{last.year - (last.month < 4)}/{str(last.year + (last.month >= 4))[2:]}"
    if guess == data.year or guess not in catalogue.YEARS or (
            data.collection_start <= last <= data.collection_end):
        return None
    return ReadIssue("", f"the latest dates in this return ({last:%d/%m/%Y}) fall in collection year {guess}, "
                         f"but it is being validated as {data.year}: choose the year if that is not intended")


def validate(source, year: str | None = None, previous=None, collection_start=None, collection_end=None,
             local_authority: str | None = None, provider_info=None, rules: Iterable[str] | None = None,
             progress: Callable[[int, int, str], None] | None = None, postcodes="auto",
             keep_going: bool = True, local_rules=None) -> Report:
    """Validate a 903 return and return every finding.

    ``source``/``previous``: a path (.xlsx, folder of CSVs, .xml), a list of CSV
    paths, or {table name: DataFrame}. ``year`` like '2025/26' (default: the
    year in progress). ``rules`` limits the run to some codes.
    ``provider_info``: the Ofsted provider list workbook(s) or a prepared DataFrame.
    ``keep_going``: a table recognised but unreadable (e.g. a CSV separated by semicolons)
    is left out with a note in ``report.issues`` (the default here); with False it raises
    ``InputError``, as the command line does unless given --keep-going.
    ``local_rules``: the council's own checks, besides any Local rules sheet in the return:
    .xlsx workbook(s), .py file(s) or module name(s); False runs no local rules at all.
    """
    year = catalogue.normalise_year(year)
    this = read_return(source, year=year)
    # Last year's return is read with this year's table set: a DoLo or SWEpisodes table
    # supplied with it is kept even in the year the DfE first asks for it (rule 706).
    last = read_return(previous, suffix="_last", year=year) if previous is not None else None
    if not keep_going:
        for ret in (this, last):
            if ret is not None:
                refuse_unreadable(ret)
    local = None
    if local_rules is not False:
        own = Path(source) if isinstance(source, (str, Path)) else Path()
        local = return_rules(own, year, local_rules)
    return validate_return(this, year, last, collection_start, collection_end, local_authority,
                           provider_info, rules, progress, postcodes, local)


def validate_return(this: Return, year: str | None = None, last: Return | None = None, collection_start=None,
                    collection_end=None, local_authority: str | None = None, provider_info=None,
                    rules: Iterable[str] | None = None, progress: Callable[[int, int, str], None] | None = None,
                    postcodes="auto", local_rules: LocalRules | None = None) -> Report:
    """Validate tables already read (by a reader or by the Excel layer from an open workbook).
    ``local_rules``: loaded local rules (``rules.local``); their problems are reported as skipped."""
    year = catalogue.normalise_year(year)
    tables = dict(this.tables)
    issues = list(this.issues)
    if last is not None:
        tables.update(last.tables)
        issues += last.issues
    start, end = collection_period(year, collection_start, collection_end)
    providers = read_providers(provider_info) if provider_info is not None else None
    data = Data(tables, year, start, end, local_authority=local_authority_code(local_authority), providers=providers,
                postcodes=load_postcodes() if postcodes == "auto" else postcodes, file_format=this.file_format)
    chosen = registry(year)
    unusable = {p.key: f"skipped: {p}" for p in local_rules.problems} if local_rules else {}
    if local_rules:
        chosen.update(local_rules.rules)
        issues += [ReadIssue("", note) for note in local_rules.notes]
    if rules is not None:
        wanted = {str(c).strip() for c in rules}
        unknown = sorted(wanted - set(chosen) - set(unusable))
        if unknown:
            raise InputError(f"rule(s) {', '.join(unknown)} are not in force in {year}")
        chosen = {c: r for c, r in chosen.items() if c in wanted}
        unusable = {c: why for c, why in unusable.items() if c in wanted}
    hint = year_hint(data)
    if hint:
        issues.append(hint)
    outcome = run(data, chosen.values(), progress)
    outcome.skipped.update(unusable)  # local rules whose definitions cannot be used
    return build(outcome, chosen, tables, year=year, collection_start=data.collection_start,
                 collection_end=data.collection_end, issues=issues)
