"""The one entry point every front door calls: ``validate``."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from . import catalogue
from .prepare import Data
from .prepare.return_year import latest_date, year_of
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


def year_hint(this: Return, year: str, start: date | None = None, end: date | None = None) -> ReadIssue | None:
    """A note when the return's own dates point at another collection year than the one
    chosen: the most common slip when validating year round."""
    last = latest_date(this.tables)
    if last is None:
        return None
    guess = year_of(last)
    first, final = catalogue.collection_bounds(year)
    if guess == year or guess not in catalogue.YEARS or (
            pd.Timestamp(start or first) <= last <= pd.Timestamp(end or final)):
        return None
    return ReadIssue("", f"the latest dates in this return ({last:%d/%m/%Y}) fall in collection year {guess}, "
                         f"but it is being validated as {year}: choose the year if that is not intended")


def choose_year(this: Return, asked) -> tuple[str, str]:
    """The collection year to validate as, and how it was chosen: the one asked for; else the one
    the return's own dates point at; else the year in progress."""
    if asked:
        return catalogue.normalise_year(asked), "given"
    last = latest_date(this.tables)
    if last is not None and year_of(last) in catalogue.YEARS:
        return year_of(last), f"from the return's dates: latest {last:%d/%m/%Y}"
    return catalogue.default_year(), "the year in progress: the return has no review or episode dates"


def check_previous(last: Return, year: str, this: Return | None = None) -> list[ReadIssue]:
    """Refuse a 'last year's return' that is this year's (the same file, or dates in the year being
    validated); a return of an older year is usable, with a note."""
    if this is not None and last.source == this.source and last.source and Path(last.source).exists():
        raise InputError(f"{last.source}: last year's return is the same file as the return being validated; "
                         "give last year's return (--previous, or Settings > Last year's return)")
    latest = latest_date(last.tables, "_last")
    if latest is None:
        return []
    expected = catalogue.previous_year(year)
    found = year_of(latest)
    if found >= year:
        raise InputError(f"{last.source}: given as last year's return, but its dates run to {latest:%d/%m/%Y}, "
                         f"in {found}: is it this year's return? Give the {expected or 'previous'} return instead.")
    if expected and found < expected:
        return [ReadIssue(last.source, f"last year's return looks like the {found} return (latest date "
                                       f"{latest:%d/%m/%Y}), not {expected}'s; the comparisons with last year "
                                       "may be off")]
    return []


def validate(source, year: str | None = None, previous=None, collection_start=None, collection_end=None,
             local_authority: str | None = None, provider_info=None, rules: Iterable[str] | None = None,
             progress: Callable[[int, int, str], None] | None = None, postcodes="auto",
             keep_going: bool = True, local_rules=None) -> Report:
    """Validate a 903 return and return every finding.

    ``source``/``previous``: a path (.xlsx, folder of CSVs, .xml), a list of CSV
    paths, or {table name: DataFrame}. ``year`` like '2025/26' (default: the
    year the return's dates point at, else the year in progress). ``rules`` limits the run to some codes.
    ``provider_info``: the Ofsted provider list workbook(s) or a prepared DataFrame.
    ``keep_going``: a table recognised but unreadable (e.g. a CSV separated by semicolons)
    is left out with a note in ``report.issues`` (the default here); with False it raises
    ``InputError``, as the command line does unless given --keep-going.
    ``local_rules``: the council's own checks, besides any Local rules sheet in the return:
    .xlsx workbook(s), .py file(s) or module name(s); False runs no local rules at all.
    """
    this = read_return(source, year=catalogue.normalise_year(year))
    chosen, how = choose_year(this, year)
    if chosen != catalogue.normalise_year(year):
        this = read_return(source, year=chosen)  # the tables of the year the dates point at
    # Last year's return is read with this year's table set: a DoLo or SWEpisodes table
    # supplied with it is kept even in the year the DfE first asks for it (rule 706).
    last = read_return(previous, suffix="_last", year=chosen) if previous is not None else None
    if not keep_going:
        for ret in (this, last):
            if ret is not None:
                refuse_unreadable(ret)
    local = None
    if local_rules is not False:
        own = Path(source) if isinstance(source, (str, Path)) else Path()
        local = return_rules(own, chosen, local_rules)
    return validate_return(this, chosen, last, collection_start, collection_end, local_authority,
                           provider_info, rules, progress, postcodes, local, year_chosen=how)


def validate_return(this: Return, year: str | None = None, last: Return | None = None, collection_start=None,
                    collection_end=None, local_authority: str | None = None, provider_info=None,
                    rules: Iterable[str] | None = None, progress: Callable[[int, int, str], None] | None = None,
                    postcodes="auto", local_rules: LocalRules | None = None,
                    year_chosen: str | None = None) -> Report:
    """Validate tables already read (by a reader or by the Excel layer from an open workbook).
    ``local_rules``: loaded local rules (``rules.local``); their problems are reported as skipped.
    ``year_chosen``: how the year was chosen, for the report's inputs (default: from ``choose_year``)."""
    if year_chosen is None:
        year, year_chosen = choose_year(this, year)
    year = catalogue.normalise_year(year)
    tables = dict(this.tables)
    issues = list(this.issues)
    if last is not None:
        issues += check_previous(last, year, this)
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
    hint = year_hint(this, year, start, end)
    if hint:
        issues.append(hint)
    outcome = run(data, chosen.values(), progress)
    outcome.skipped.update(unusable)  # local rules whose definitions cannot be used
    if data.has_postcodes and getattr(data.postcodes, "note", None):  # this run built the postcode index
        issues.append(ReadIssue("", data.postcodes.note))
    inputs = inputs_used(this, last, provider_info, data, year, year_chosen)
    return build(outcome, chosen, tables, year=year, collection_start=data.collection_start,
                 collection_end=data.collection_end, issues=issues, inputs=inputs, prepared=data)


def provider_names(provider_info) -> list[str]:
    """The provider lists a run was given, as its report names them."""
    if provider_info is None:
        return []
    if isinstance(provider_info, pd.DataFrame):
        return ["(a table given from Python)"]
    return [str(p) for p in ([provider_info] if isinstance(provider_info, (str, Path)) else provider_info)]


def inputs_used(this: Return, last: Return | None, provider_info, data: Data, year: str, how: str) -> dict:
    """What the run was given, for every front door to show (and the history to compare like with like)."""
    la = data.local_authority
    return {"return": this.source, "year": year, "year_chosen": how,
            "previous": last.source if last is not None else None, "providers": provider_names(provider_info),
            "local_authority": la, "local_authority_name": authorities()["upper_tier"].get(la, "") if la else "",
            "postcodes": data.has_postcodes}
