"""Check one row of a Local rules sheet before any data is read: every name known, every
value usable. A row that fails gets one message saying what is wrong; the others still run."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ... import catalogue
from ...read.table import match_table_name
from .vocabulary import check_names, match_check, severities, squeeze

# Columns rules may read that no sheet holds: worked out from other columns (see prepare/).
DERIVED = {"Header": ("UASC",), "Episodes": ("PL_LA", "PL_LOCATION", "PL_DISTANCE")}
# Rows of another sheet, by name (None when the workbook has no such sheet): for =Sheet!Column lists.
Sheets = Callable[[str], "list[list] | None"]


class DefinitionError(ValueError):
    """What is wrong with one definition, in words for the analyst who wrote it."""


@dataclass(frozen=True)
class Condition:
    """only_when (or a 'where' after a table): COLUMN = A, B / is blank / is not blank, or the
    row's place among the child's rows since a date in another table (``kind`` 'row')."""

    kind: str  # "in", "blank", "filled", "row"
    column: str = ""
    codes: tuple[str, ...] = ()
    n: int = 0
    or_later: bool = False
    since: DateRef | None = None


@dataclass(frozen=True)
class DateRef:
    """A date a column is compared with. ``kind``: column (same row), fixed, collection_start,
    collection_end, previous (the child's previous row, ordered by ``column``), other (the
    child's latest ``table``.``column`` on or before the row, optionally ``where``)."""

    kind: str
    column: str = ""
    table: str = ""
    where: Condition | None = None
    fixed: pd.Timestamp | None = None
    offset: int = 0
    unit: str = "days"

    def __str__(self) -> str:
        base = {"column": self.column, "fixed": f"{self.fixed:%d/%m/%Y}" if self.fixed is not None else "",
                "previous": f"previous by {self.column}", "other": f"{self.table}.{self.column}"}.get(self.kind, self.kind)
        return base + (f" {'+' if self.offset > 0 else '-'} {abs(self.offset)} {self.unit}" if self.offset else "")


@dataclass(frozen=True)
class Spec:
    """A definition that passed every check, ready to be compiled."""

    code: str
    message: str
    severity: str
    table: str
    columns: tuple[str, ...]
    check: str
    value: object = None  # codes tuple, compiled pattern text, DateRef, (low, high), (table, Condition)
    window: tuple[int, str] | None = None  # (N, 'days' | 'working days' | 'months') for within
    only_when: Condition | None = None
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    where: str = ""  # e.g. "local_rules.xlsx, sheet 'Local rules', row 5"


def table_columns(table: str, year: str) -> tuple[str, ...]:
    return tuple(catalogue.columns(table)) + DERIVED.get(table, ())


def table_named(text: str, year: str) -> str:
    name = match_table_name(str(text or "").strip(), year) if str(text or "").strip() else None
    if name is None:
        raise DefinitionError(f"table {str(text or '').strip()!r} is not a 903 table of {year} "
                              f"(tables: {', '.join(catalogue.tables(year))})")
    return name


def _column(text: str, table: str, year: str) -> str:
    col = str(text or "").strip().upper()
    known = table_columns(table, year)
    if col not in known:
        raise DefinitionError(f"{table} has no column {col or '(blank)'!r} (columns: {', '.join(known)})")
    return col


def _codes(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip().upper() for c in str(text).split(",") if c.strip()))


_ROW = re.compile(r"^row (\d+)( or later|\+)? since (.+)$", re.I)
_IS = re.compile(r"^(\w+) is (not )?blank$", re.I)
_EQ = re.compile(r"^(\w+)\s*=\s*(.+)$")


def condition(text: str, table: str, year: str, *, positional: bool = True) -> Condition:
    said = re.sub(r"\s+", " ", str(text)).strip()
    hit = _ROW.match(said)
    if hit and positional:
        since = date_ref(hit.group(3), table, year, other_tables=True)
        if since.kind != "other":
            raise DefinitionError(f"'row N since' needs another table's date column, like Episodes.DECOM, "
                                  f"not {hit.group(3)!r}")
        return Condition("row", n=int(hit.group(1)), or_later=bool(hit.group(2)), since=since)
    hit = _IS.match(said)
    if hit:
        return Condition("filled" if hit.group(2) else "blank", _column(hit.group(1), table, year))
    hit = _EQ.match(said)
    if hit and _codes(hit.group(2)):
        return Condition("in", _column(hit.group(1), table, year), _codes(hit.group(2)))
    forms = "COLUMN = A, B / COLUMN is blank / COLUMN is not blank" + (
        " / row N [or later] since Table.COLUMN" if positional else "")
    raise DefinitionError(f"condition {said!r} is not one of: {forms}")


_DATE = re.compile(r"^(?P<base>[\w/]+)(?:\s*(?P<sign>[+-])\s*(?P<n>\d+)\s*(?P<unit>years?|months?|days?))?$", re.I)
_OTHER = re.compile(r"^(?P<table>\w+)\.(?P<column>\w+)(?:\s+where\s+(?P<where>.+))?$", re.I)
_PREVIOUS = re.compile(r"^previous(?:\s+by\s+(?P<column>\w+))?$", re.I)


def date_ref(text: str, table: str, year: str, *, other_tables: bool = False, previous_of: str = "") -> DateRef:
    """A date to compare with; ``other_tables``/``previous_of`` allow the forms only 'within' can use."""
    said = re.sub(r"\s+", " ", str(text or "")).strip()
    if not said:
        raise DefinitionError("the value is blank")
    hit = _PREVIOUS.match(said)
    if hit and previous_of:
        return DateRef("previous", _column(hit.group("column") or previous_of, table, year))
    hit = _OTHER.match(said)
    if hit and other_tables:
        other = table_named(hit.group("table"), year)
        where = condition(hit.group("where"), other, year, positional=False) if hit.group("where") else None
        return DateRef("other", _column(hit.group("column"), other, year), other, where)
    hit = _DATE.match(said)
    if not hit:
        raise DefinitionError(f"{said!r} is not a date, a column or COLUMN + N years/months/days")
    base, n = hit.group("base"), int(hit.group("n") or 0)
    offset = -n if hit.group("sign") == "-" else n
    unit = (hit.group("unit") or "days").lower().rstrip("s") + "s"
    if base.lower() in ("collection_start", "collection_end"):
        return DateRef(base.lower(), offset=offset, unit=unit)
    if "/" in base:
        fixed = pd.to_datetime(base, format="%d/%m/%Y", errors="coerce")
        if pd.isna(fixed):
            raise DefinitionError(f"{base!r} is not a dd/mm/yyyy date")
        return DateRef("fixed", fixed=fixed, offset=offset, unit=unit)
    return DateRef("column", _column(base, table, year), offset=offset, unit=unit)


def listed_codes(text: str, sheets: Sheets | None) -> tuple[str, ...]:
    """=Sheet!Column: the values under that header on another sheet (the council's own list)."""
    hit = re.match(r"^=?\s*'?(?P<sheet>[^!']+)'?!(?P<column>.+)$", text.strip())
    if not hit:
        raise DefinitionError(f"{text!r} should be =Sheet!Column, e.g. =Social workers!SW_ID")
    sheet, column = hit.group("sheet").strip(), hit.group("column").strip()
    rows = sheets(sheet) if sheets else None
    if rows is None:
        raise DefinitionError(f"the list {text!r} names sheet '{sheet}', which is not in the workbook")
    for i, row in enumerate(rows[:20]):
        heads = [squeeze(c) for c in row]
        if squeeze(column) in heads:
            at = heads.index(squeeze(column))
            values = [str(r[at]).strip().upper() for r in rows[i + 1:] if at < len(r) and r[at] is not None]
            found = tuple(dict.fromkeys(v.removesuffix(".0") for v in values if v))
            if not found:
                raise DefinitionError(f"the list {text!r} is empty")
            return found
    raise DefinitionError(f"sheet '{sheet}' has no column headed {column!r} in its first 20 rows")


def _numbers(text: str) -> tuple[float, float]:
    hit = re.match(r"^(-?\d+(?:\.\d+)?)\s*(?:and|,|to)\s*(-?\d+(?:\.\d+)?)$", str(text).strip(), re.I)
    if not hit:
        raise DefinitionError(f"{str(text).strip() or '(blank)'!r} is not two numbers like '0 and 120'")
    low, high = float(hit.group(1)), float(hit.group(2))
    if low > high:
        raise DefinitionError(f"{text!r}: the lowest number comes first")
    return low, high


def _pattern(text: str) -> str:
    if not str(text).strip():
        raise DefinitionError("a pattern check needs a regular expression in value")
    try:
        re.compile(str(text).strip())
    except re.error as e:
        raise DefinitionError(f"the pattern {str(text).strip()!r} is not a valid regular expression ({e})") from None
    return str(text).strip()


def check_definition(row: dict, year: str, sheets: Sheets | None = None, where: str = "") -> Spec:
    """A Spec from one row ({column heading: cell}); DefinitionError says what is wrong."""
    get = lambda k: str(row.get(k) if row.get(k) is not None else "").strip()  # noqa: E731
    code = get("code").upper()
    if not re.fullmatch(r"L[A-Z0-9_.-]*[0-9A-Z]", code):
        raise DefinitionError(f"code {get('code') or '(blank)'!r} must start with L, e.g. L001")
    message = get("message")
    if not message:
        raise DefinitionError("message is blank: say what the analyst should see")
    severity = (get("severity") or "error").lower()
    if severity not in severities():
        raise DefinitionError(f"severity {get('severity')!r} is not one of {', '.join(severities())}")
    table = table_named(get("table"), year)
    columns = tuple(_column(c, table, year) for c in get("column").split(",") if c.strip()) or (
        _column("", table, year),)
    matched = match_check(get("check"))
    if matched is None:
        raise DefinitionError(f"check {get('check') or '(blank)'!r} is not one of: {', '.join(check_names())}")
    entry, numbers = matched
    if entry["columns"] == "one" and len(columns) > 1:
        raise DefinitionError(f"'{entry['check']}' checks one column, not {', '.join(columns)}")
    value, raw, window = None, get("value"), None
    kind = entry["value"]
    try:
        if kind == "nothing" and raw:
            raise DefinitionError(f"'{entry['check']}' uses no value, but value is {raw!r}")
        if kind == "codes":
            value = listed_codes(raw, sheets) if "!" in raw else _codes(raw)
            if not value:
                raise DefinitionError("value is blank (if you typed =Sheet!Column, Excel read it as a formula: "
                                      "type it with an apostrophe in front, '=Sheet!Column, or without the =)")
        elif kind == "pattern":
            value = _pattern(raw)
        elif kind == "date":
            value = date_ref(raw, table, year)
        elif kind == "numbers":
            value = _numbers(raw)
        elif kind == "window":
            unit = numbers["unit"].rstrip("s") + "s"
            window = (int(numbers["n"]), unit)
            value = date_ref(raw, table, year, other_tables=True, previous_of=columns[0])
        elif kind == "table":
            hit = re.match(r"^(\w+)(?:\s+where\s+(.+))?$", raw, re.I)
            if not hit:
                raise DefinitionError("value is blank" if not raw else f"{raw!r} is not a table name")
            other = table_named(hit.group(1), year)
            value = (other, condition(hit.group(2), other, year, positional=False) if hit.group(2) else None)
    except DefinitionError as e:
        raise DefinitionError(f"{e} ('{entry['check']}' needs {entry['needs']})") from None
    only = condition(get("only_when"), table, year) if get("only_when") else None
    if only is not None and only.kind == "row" and columns[0] not in catalogue.date_columns(table):
        raise DefinitionError(f"'row N since' orders the child's rows by the rule's column, "
                              f"but {table}.{columns[0]} is not a date column")
    shown = columns + ((value.column,) if isinstance(value, DateRef) and value.kind == "column" else ())
    return Spec(code, message, severity, table, columns, entry["check"], value, window, only,
                {table: tuple(dict.fromkeys(shown))}, where)
