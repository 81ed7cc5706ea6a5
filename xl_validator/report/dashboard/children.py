"""Who is looked after: at 31 March, starting and ceasing in the year, and by who they are."""
from __future__ import annotations

import pandas as pd

from ... import catalogue
from ...rules.common import uasc_children
from .episodes import Episodes, age_on
from .figure import DEFINITIONS, Figure, Line, plural

GROUPS = DEFINITIONS["groups"]


def grouped(codes: pd.Series, groups: dict[str, list[str]], other: str | None = None) -> pd.Series:
    """Each code's group name; codes in no group get ``other`` (or '' when None)."""
    lookup = {code: name for name, members in groups.items() for code in members}
    return codes.map(lookup).fillna(other if other is not None else "")


def counted(labels: pd.Series, order: list[str], total: int | None = None) -> list[Line]:
    """One line per label in ``order`` (zero included), as a share of ``total``."""
    counts = labels.value_counts()
    return [Line(name, int(counts.get(name, 0)), total) for name in order]


def looked_after(ep: Episodes) -> Figure:
    n = len(ep.current)
    lines = [Line("Looked after at 31 March", n)]
    lines.append(Line("Short breaks only (V3, V4), not included above", ep.respite_only_at_end))
    return Figure("cla", lines, ep.unreadable())


def started(ep: Episodes) -> Figure:
    f = ep.frame[ep.usable & ~ep.frame["respite"]]
    began = f[(f["rne"] == "S") & f["decom"].between(ep.start, ep.end)]
    return Figure("started", [Line("Started in the year", int(began["child"].nunique()))], ep.unreadable(False))


def ceased(ep: Episodes) -> Figure:
    f = ep.frame[ep.usable & ~ep.frame["respite"]]
    left = f[f["dec"].between(ep.start, ep.end) & (f["rec"] != "X1")]
    last = left.sort_values(["child", "dec"], kind="stable").groupby("child").tail(1)
    reasons = grouped(last["rec"], GROUPS["leaving"], "Other reasons").where(last["rec"] != "", "Reason not recorded")
    order = [*GROUPS["leaving"], "Other reasons", "Reason not recorded"]
    lines = [Line("Ceased in the year", len(last))] + counted(reasons, order, len(last))
    if not (reasons == "Reason not recorded").any():
        lines.pop()
    return Figure("ceased", lines, ep.unreadable())


def _header(ep: Episodes) -> pd.DataFrame:
    """Header facts of each child looked after at 31 March (a child with no Header row is absent)."""
    h = ep.d.get("Header")
    if h is None:
        return pd.DataFrame(columns=["dob", "sex", "ethnic"])
    frame = pd.DataFrame({"child": h["CHILD"], "dob": h.date("DOB"), "sex": h["SEX"], "ethnic": h["ETHNIC"]})
    frame = frame.drop_duplicates("child").set_index("child")
    return frame.reindex(frame.index.intersection(ep.current.index))


def _no_header(ep: Episodes, known: pd.DataFrame) -> list[str]:
    n = len(ep.current) - len(known)
    return [f"{plural(n, 'child')} with no Header row not counted"] if n else []


def by_age(ep: Episodes) -> Figure:
    h = _header(ep)
    age = age_on(h["dob"], ep.end)
    bands = DEFINITIONS["age_bands"]
    label = pd.cut(age, [b[0] for b in bands] + [200], right=False, labels=[b[1] for b in bands])
    label = label.astype(object).where(age >= 0)
    lines = counted(label.dropna(), [b[1] for b in bands], len(ep.current))
    bad = int((h["dob"].isna() | (age < 0)).sum())
    skipped = _no_header(ep, h) + ([f"{plural(bad, 'child')} with a blank, unreadable or future date of birth "
                                    "(DOB) not counted"] if bad else [])
    return Figure("age", lines, skipped)


def _by_code(ep: Episodes, key: str, codes: pd.Series, groups: dict, what: str, extra=()) -> Figure:
    """Children at 31 March by the group of a code; a code in no group is not counted, with why."""
    label = grouped(codes, groups)
    lines = counted(label[label != ""], [*groups, *extra], len(ep.current))
    blank, unknown = int((codes == "").sum()), int(((label == "") & (codes != "")).sum())
    skipped = []
    if blank:
        skipped.append(f"{plural(blank, 'child')} with a blank {what} not counted")
    if unknown:
        skipped.append(f"{plural(unknown, 'child')} with a {what} not in the code list not counted")
    return Figure(key, lines, skipped)


def by_sex(ep: Episodes) -> Figure:
    h = _header(ep)
    fig = _by_code(ep, "sex", h["sex"], GROUPS["sex"], "SEX")
    fig.not_counted[:0] = _no_header(ep, h)
    return fig


def by_ethnicity(ep: Episodes) -> Figure:
    h = _header(ep)
    fig = _by_code(ep, "ethnicity", h["ethnic"], GROUPS["ethnicity"], "ETHNIC code")
    fig.not_counted[:0] = _no_header(ep, h)
    return fig


def by_legal_status(ep: Episodes) -> Figure:
    return _by_code(ep, "legal_status", ep.current["ls"], GROUPS["legal_status"], "legal status (LS)")


def by_need(ep: Episodes) -> Figure:
    meanings = catalogue.code_meanings("CIN", ep.d.year)
    groups = {f"{code} {text[:1].upper()}{text[1:]}": [code] for code, text in meanings.items()}
    return _by_code(ep, "need", ep.current["cin"], groups, "category of need (CIN)")


def uasc(ep: Episodes) -> Figure:
    """UASC children looked after at 31 March whose UASC status had not ended by then."""
    children = uasc_children(ep.d) or set()
    ended = set()
    u = ep.d.get("UASC")
    if u is not None and u.has("DUC"):
        duc = u.date("DUC")
        ended = set(u["CHILD"][duc.notna() & (duc <= ep.end)])
    current = set(ep.current.index)
    n = len(current & (children - ended))
    return Figure("uasc", [Line("UASC at 31 March", n, len(current))], [])
