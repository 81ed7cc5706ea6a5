"""Flagged cells grouped into rectangles, so painting costs one call per block, not per cell
(and on the desktop, one call per multi-area address of many blocks)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

RECT_COLUMNS = ["sheet", "r1", "c1", "r2", "c2"]


def rectangles(cells: pd.DataFrame) -> pd.DataFrame:
    """Cover the distinct (sheet, row, col) cells exactly with few rectangles.

    Vertical runs of consecutive rows in one column first, then runs spanning the
    same rows in adjacent columns merged sideways. Whole-column errors (a bad code
    repeated down a sheet) become one block; a ragged pattern costs one block per run.
    """
    if cells.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "sheet" else "int64") for c in RECT_COLUMNS})
    c = (cells[["sheet", "row", "col"]].astype({"row": "int64", "col": "int64"})
         .drop_duplicates().sort_values(["sheet", "col", "row"], ignore_index=True))
    sheet, row, col = c["sheet"].to_numpy(), c["row"].to_numpy(), c["col"].to_numpy()
    new_run = np.ones(len(c), dtype=bool)
    new_run[1:] = (sheet[1:] != sheet[:-1]) | (col[1:] != col[:-1]) | (row[1:] != row[:-1] + 1)
    runs = (c.groupby(np.cumsum(new_run), sort=False)
            .agg(sheet=("sheet", "first"), col=("col", "first"), r1=("row", "min"), r2=("row", "max"))
            .sort_values(["sheet", "r1", "r2", "col"], ignore_index=True))
    s, r1, r2, cl = (runs[k].to_numpy() for k in ("sheet", "r1", "r2", "col"))
    new_rect = np.ones(len(runs), dtype=bool)
    new_rect[1:] = (s[1:] != s[:-1]) | (r1[1:] != r1[:-1]) | (r2[1:] != r2[:-1]) | (cl[1:] != cl[:-1] + 1)
    rects = (runs.groupby(np.cumsum(new_rect), sort=False)
             .agg(sheet=("sheet", "first"), r1=("r1", "first"), c1=("col", "min"), r2=("r2", "first"),
                  c2=("col", "max")))
    return rects[RECT_COLUMNS].sort_values(["sheet", "r1", "c1"], ignore_index=True)


def cells_of(rects: pd.DataFrame) -> pd.DataFrame:
    """Every (sheet, row, col) inside the rectangles (the inverse of ``rectangles``)."""
    if rects.empty:
        return pd.DataFrame({"sheet": pd.Series(dtype=object), "row": pd.Series(dtype="int64"),
                             "col": pd.Series(dtype="int64")})
    r1, c1 = rects["r1"].to_numpy("int64"), rects["c1"].to_numpy("int64")
    height = rects["r2"].to_numpy("int64") - r1 + 1
    width = rects["c2"].to_numpy("int64") - c1 + 1
    size = height * width
    which = np.repeat(np.arange(len(rects)), size)
    within = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)  # position inside its block
    return pd.DataFrame({
        "sheet": rects["sheet"].to_numpy()[which],
        "row": r1[which] + within // width[which],
        "col": c1[which] + within % width[which],
    })


ADDRESS_LIMIT = 255  # the longest address Excel accepts for a range


def a1(r1: int, c1: int, r2: int, c2: int) -> str:
    """'B3' for one cell, 'B3:D7' for a block."""
    first = f"{get_column_letter(c1)}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{get_column_letter(c2)}{r2}"


def multi_areas(rects: pd.DataFrame, limit: int = ADDRESS_LIMIT):
    """Rectangles joined into multi-area addresses ('A2:A5,C7,D9:E9') of at most ``limit``
    characters, one sheet each: desktop Excel fills every area of such a range in one call.
    Yields (sheet, address, the rectangles it holds)."""
    for name, group in rects.groupby("sheet", sort=False):
        spans = group[["r1", "c1", "r2", "c2"]].to_numpy("int64").tolist()
        start, parts, length = 0, [], -1
        for i, span in enumerate(spans):
            area = a1(*span)
            if parts and length + 1 + len(area) > limit:
                yield name, ",".join(parts), group.iloc[start:i]
                start, parts, length = i, [], -1
            parts.append(area)
            length += 1 + len(area)
        if parts:
            yield name, ",".join(parts), group.iloc[start:]
