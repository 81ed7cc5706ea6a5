"""Local rules: a council's own checks beside the DfE's, run by the same engine.

A rule comes from a row of a Local rules sheet (in the return workbook or a workbook of
its own) or from a Python function marked ``@local_rule``. Every definition is checked
before any data is read; one that cannot be used is reported with its sheet row and
skipped, and everything else still runs. The result is ordinary ``Rule`` objects with
``source='local'`` and a severity, so skipped and failed reporting is the DfE rules'.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ... import catalogue
from ...read import InputError
from .. import Rule
from .compile import compile_spec
from .definitions import DefinitionError, Sheets, Spec, check_definition, table_columns, table_named
from .python import PythonRule, local_rule, python_rules
from .sheet import BookSheets, definition_rows, is_rules_sheet
from .vocabulary import severities

__all__ = ["LocalRules", "Problem", "local_rule", "load_local_rules", "rules_from_sheet", "is_rules_sheet"]


@dataclass
class Problem:
    """A definition that cannot be used: ``key`` is its code (or its row when the code is at fault)."""

    key: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


@dataclass
class LocalRules:
    """The usable local rules by code, what was wrong with the others, and where each came from."""

    rules: dict[str, Rule] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, code: str, where: str, make: Callable[[], Rule]) -> None:
        """Check and add one definition; a code seen before (usable or not) is a problem."""
        if code in self.where:
            self.problems.append(Problem(f"{code} ({where.rsplit(', ', 1)[-1]})", where,
                                         f"code {code} is used twice (first: {self.where[code]}); this one is skipped"))
            return
        self.where[code] = where
        try:
            self.rules[code] = make()
        except DefinitionError as e:
            self.problems.append(Problem(code, where, str(e)))

    def __bool__(self) -> bool:
        return bool(self.rules or self.problems or self.notes)


def _sheet_rule(spec: Spec) -> Rule:
    return Rule(spec.code, "local", spec.message, (spec.table,), spec.fields, compile_spec(spec),
                source="local", severity=spec.severity)


def rules_from_sheet(out: LocalRules, rows: list[list], where: str, year: str, sheets: Sheets | None,
                     first_row: int = 1) -> None:
    """Add the rules of one Local rules sheet to ``out`` (its problems too)."""
    try:
        found = definition_rows(rows, where, first_row)
    except InputError as e:
        out.notes.append(str(e))
        return
    for n, cells in found:
        at = f"{where}, row {n}"
        code = str(cells.get("code") or "").strip().upper()
        if not code:
            out.problems.append(Problem(f"row {n}", at, "code is blank: give the rule a code starting with L"))
            continue
        out.add(code, at, lambda: _sheet_rule(check_definition(cells, year, sheets, at)))


def _python_rule(r: PythonRule, year: str) -> Rule:
    if not r.code.startswith("L"):
        raise DefinitionError(f"code {r.code!r} must start with L, e.g. L101")
    if not str(r.message).strip():
        raise DefinitionError("message is blank")
    if r.severity not in severities():
        raise DefinitionError(f"severity {r.severity!r} is not one of {', '.join(severities())}")
    tables = tuple(table_named(t, year) for t in r.tables)
    if not tables:
        raise DefinitionError("tables is empty: name the table(s) the rule flags rows of")
    fields = {}
    for t, cols in r.fields.items():
        table = table_named(t, year)
        unknown = [c for c in cols if c not in table_columns(table, year)]
        if unknown:
            raise DefinitionError(f"{table} has no column(s) {', '.join(unknown)}")
        fields[table] = tuple(cols)
    return Rule(r.code, "local", str(r.message).strip(), tables, fields, r.fn, source="local", severity=r.severity)


def _rules_workbook(out: LocalRules, path: Path, year: str, fallback: Sheets | None) -> None:
    book = BookSheets(path)
    name = book.rules_sheet() or (book.names[0] if book.names else None)
    if name is None:
        raise InputError(f"{path}: the workbook has no sheets")
    lists = (lambda s: book(s) if book.find(s) else (fallback(s) if fallback else None))
    rules_from_sheet(out, book(name), f"{path.name}, sheet '{name}'", year, lists)


def load_local_rules(specs: Iterable | str | Path | None = None, year: str | None = None, *,
                     own_rows: list[list] | None = None, own_where: str = "", own_first_row: int = 1,
                     own_sheets: Sheets | None = None) -> LocalRules:
    """Local rules from the return's own Local rules sheet (``own_rows``) and from the named
    files or modules: .xlsx/.xlsm workbooks, .py files, importable module names. A file that
    does not exist or cannot be imported is an InputError: the user named it."""
    year = catalogue.normalise_year(year)
    out = LocalRules()
    if own_rows is not None:
        rules_from_sheet(out, own_rows, own_where, year, own_sheets, own_first_row)
    if isinstance(specs, (str, Path)):
        specs = [specs]
    for spec in specs or ():
        path = Path(spec)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            if not path.is_file():
                raise InputError(f"{path}: no such local rules workbook")
            _rules_workbook(out, path, year, own_sheets)
        elif path.suffix.lower() == ".py" or (not path.exists() and re.fullmatch(r"[A-Za-z_][\w.]*", str(spec))):
            for r in python_rules(str(spec)):
                out.add(r.code, r.where, lambda r=r: _python_rule(r, year))
        else:
            raise InputError(f"{spec}: local rules come from an .xlsx workbook, a .py file or a Python module name")
    return out


def return_rules(path: Path, year: str, specs=None) -> LocalRules:
    """Local rules for a saved return: its own Local rules sheet (if any) plus ``specs``;
    lists (=Sheet!Column) are looked up in the rules' workbook, then in the return."""
    own_rows, where, sheets = None, "", None
    if Path(path).suffix.lower() in (".xlsx", ".xlsm") and Path(path).is_file():
        book = BookSheets(path)
        sheets = book
        name = book.rules_sheet()
        if name is not None:
            own_rows, where = book(name), f"{Path(path).name}, sheet '{name}'"
    return load_local_rules(specs, year, own_rows=own_rows, own_where=where, own_sheets=sheets)
