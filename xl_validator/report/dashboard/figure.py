"""What a Dashboard figure is, the definitions it is built from, and how small numbers are shown."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

DEFINITIONS = json.loads(resources.files(__package__).joinpath("definitions.json").read_text(encoding="utf-8"))
SUPPRESSED = "[c]"  # the GSS symbol the DfE's statistics use for a figure withheld to protect individuals
SMALL = range(1, 5)  # counts of 1 to 4 children are withheld when suppression is on


@dataclass
class Line:
    """One value of a figure: a count (``of`` the count it is a share of, if any), days, or a rate."""

    label: str
    value: float | int | None
    of: int | None = None
    people: bool | None = None  # a count of children (suppressed when small); None: as its figure says

    @property
    def share(self) -> float | None:
        if self.value is None or not self.of:
            return None
        return self.value / self.of


@dataclass
class Figure:
    """A figure for leadership: its lines (the first is the headline), last year's lines where
    last year's return was given, and what could not be counted."""

    key: str
    lines: list[Line]
    not_counted: list[str] = field(default_factory=list)
    last: list[Line] | None = None
    note: str = ""  # why the figure could not be worked out at all, e.g. no postcode data
    people: bool = True  # its counts are of children or young people: small-number suppression applies

    @property
    def section(self) -> str:
        return DEFINITIONS["figures"][self.key]["section"]

    @property
    def title(self) -> str:
        return DEFINITIONS["figures"][self.key]["title"]

    @property
    def unit(self) -> str:
        return DEFINITIONS["figures"][self.key]["unit"]

    @property
    def definition(self) -> str:
        return DEFINITIONS["figures"][self.key]["definition"]

    def value(self, label: str) -> float | int | None:
        return next((x.value for x in self.lines if x.label == label), None)

    def last_line(self, label: str) -> Line | None:
        return next((x for x in self.last or [] if x.label == label), None)


IRREGULAR = {"child": "children", "young person": "young people"}


def plural(n: int, word: str) -> str:
    """'1 episode', '12 episodes', '3 children'."""
    return f"{n:,} {word if n == 1 else IRREGULAR.get(word, word + 's')}"


def shown(value, suppress: bool, people: bool = True):
    """A count as the sheet shows it: 1 to 4 children as [c] when suppression is on (``people``:
    the value counts children or young people, not days, reviews or findings)."""
    if suppress and people and isinstance(value, (int, float)) and value in SMALL and float(value).is_integer():
        return SUPPRESSED
    return value


def shown_share(line: Line | None, suppress: bool, people: bool = True):
    """A share beside its count: withheld with the count, so it cannot give the count away."""
    if line is None or line.share is None:
        return None
    if shown(line.value, suppress, people) == SUPPRESSED:
        return SUPPRESSED
    return line.share
