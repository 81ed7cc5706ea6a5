"""Settings kept in the workbook itself as defined names, so they survive Clear and travel with the file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NAMES = {"year": "XLV_YEAR", "previous": "XLV_PREVIOUS", "providers": "XLV_PROVIDERS",
         "local_authority": "XLV_LA", "local_rules": "XLV_LOCAL_RULES", "benchmark": "XLV_BENCHMARK",
         "small_numbers": "XLV_SMALL_NUMBERS"}
# Excel refuses text constants over 255 characters inside a formula: long paths are stored in pieces.
_PIECE = 250
_SEP = "|"  # between provider file paths (a character Windows does not allow in file names)


@dataclass
class Settings:
    """What a run uses when not told otherwise (collection year, last year's return, Ofsted lists, LA)."""

    year: str = ""
    previous: str = ""
    providers: list[str] = field(default_factory=list)
    local_authority: str = ""
    local_rules: list[str] = field(default_factory=list)  # workbooks of local rules (never Python: see excel/local.py)
    benchmark: str = ""  # a regional benchmark workbook or folder of error profiles
    small_numbers: str = ""  # 'suppress': the Dashboard shows 1 to 4 children as [c]; else shown as they are

    @property
    def suppress_small(self) -> bool:
        return self.small_numbers.lower().startswith(("s", "y"))  # 'suppress' (or 'yes')

    def rows(self) -> list[tuple[str, str]]:
        """The settings in plain words, for the Summary sheet."""
        return [("Collection year (setting)", self.year or "not set: the year in progress is used"),
                ("Last year's return", self.previous or "not set"),
                ("Ofsted provider lists", "; ".join(self.providers) or "not set"),
                ("Local authority", self.local_authority or "not set"),
                ("Local rules workbooks", "; ".join(self.local_rules) or "not set"),
                ("Regional benchmark", self.benchmark or "not set"),
                ("Dashboard small numbers", "suppressed (1 to 4 shown as [c])" if self.suppress_small else "shown")]


def _formula(text: str) -> str:
    pieces = [text[i:i + _PIECE] for i in range(0, len(text), _PIECE)] or [""]
    return "=" + "&".join('"' + p.replace('"', '""') + '"' for p in pieces)


def _text(refers_to) -> str:
    """Back from '="a"&"b"' to 'ab'; anything else (a name someone pointed at cells) reads as blank."""
    pieces = re.findall(r'"((?:[^"]|"")*)"', str(refers_to or ""))
    return "".join(p.replace('""', '"') for p in pieces)


def _names(book) -> dict:
    out = {}
    for name in book.names:
        try:
            out[name.name.rsplit("!", 1)[-1].upper()] = name
        except Exception:  # a broken name (#REF!) must not stop the run
            continue
    return out


def read_settings(book) -> Settings:
    names = _names(book)
    values = {key: _text(names[n].refers_to) if n in names else "" for key, n in NAMES.items()}
    providers, local = ([p.strip() for p in values.pop(key).split(_SEP) if p.strip()]
                        for key in ("providers", "local_rules"))
    return Settings(providers=providers, local_rules=local, **{k: v.strip() for k, v in values.items()})


def write_settings(book, year: str | None = None, previous: str | None = None,
                   providers: list[str] | str | None = None, local_authority: str | None = None,
                   local_rules: list[str] | str | None = None, benchmark: str | None = None,
                   suppress_small: bool | None = None) -> Settings:
    """Store the given settings in the workbook ('' clears one, None leaves it as it is)."""
    if year:
        from .. import catalogue
        year = catalogue.normalise_year(year)  # refuse an unsupported year now, not at the next run
    if isinstance(providers, str):
        providers = [providers]
    if isinstance(local_rules, str):
        local_rules = [local_rules]
    given = {"year": year, "previous": previous, "local_authority": local_authority,
             "providers": None if providers is None else _SEP.join(str(p) for p in providers),
             "local_rules": None if local_rules is None else _SEP.join(str(p) for p in local_rules),
             "benchmark": benchmark,
             "small_numbers": None if suppress_small is None else ("suppress" if suppress_small else "show")}
    names = _names(book)
    for key, value in given.items():
        if value is None:
            continue
        formula = _formula(str(value).strip())
        if NAMES[key] in names:
            names[NAMES[key]].refers_to = formula
        else:
            book.names.add(NAMES[key], formula)
    return read_settings(book)
