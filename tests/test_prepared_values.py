"""The quick paths of prepare and rules.common against plain reference versions: dates parsed
and shifted by whole years, row ranks, per-distinct-value work and CHILD look-ups."""
from __future__ import annotations

import calendar
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from xl_validator.prepare import Data
from xl_validator.prepare.dates import parse_dates
from xl_validator.prepare.return_year import latest_date
from xl_validator.read.table import RawTable
from xl_validator.rules.common import (_rank_by_columns, add_years, child_in, equal_pairs, isin, once_per_value,
                                       row_rank)


def reference_date(text) -> pd.Timestamp:
    """dd/mm/yyyy (day and month of one or two ASCII digits) as a date, else NaT."""
    m = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text) if isinstance(text, str) else None
    if not m:
        return pd.NaT
    day, month, year = map(int, m.groups())
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return pd.NaT
    return pd.Timestamp(date(year, month, day))


def test_dates_parse_as_the_reference_does_on_every_day_and_month_shape():
    parts = [f"{i:02d}" for i in range(0, 35)] + [str(i) for i in range(10)] + ["", "1 ", "+1", "١"]
    years = ["1678", "1900", "2000", "2023", "2024", "2100", "2261"]
    texts = [f"{d}/{m}/{y}" for d in parts for m in parts[:16] for y in years]
    texts += ["", " ", "01/04/2022 ", " 01/04/2022", "2022-04-01", "01-04-2022", "01/04/20222", "01/04/２０２２",
              "01/04/2022\x00", "zz/04/2022", "29/02/2023", "29/02/2024", "29/02/1900", "29/02/2000", None]
    values = pd.Series(texts * 2, index=np.arange(len(texts) * 2) * 3, dtype=object)
    parsed = parse_dates(values)
    expected = pd.Series([reference_date(t) for t in values], index=values.index, dtype="datetime64[ns]")
    assert parsed.dtype == "datetime64[ns]"
    pd.testing.assert_series_equal(parsed, expected)


def test_a_date_outside_what_datetime64_holds_does_not_parse():
    """01/01/0000 or 01/01/3000 is no date a rule can compare (the DfE's tool coerces it to
    missing); it must not wrap round to a date in the 1700s or 1800s."""
    texts = ["01/01/0000", "1/1/0001", "21/09/1677", "22/09/1677", "11/04/2262", "12/04/2262", "01/01/3000",
             "31/12/9999"]
    parsed = parse_dates(pd.Series(texts, dtype=object))
    assert parsed.isna().tolist() == [True, True, True, False, False, True, True, True]
    assert parsed[3] == pd.Timestamp("1677-09-22") and parsed[4] == pd.Timestamp("2262-04-11")


def test_dates_keep_the_pattern_s_reading_of_a_trailing_newline():
    """The pattern's $ allows one final newline: kept, so the quick path changes nothing."""
    assert parse_dates(pd.Series(["01/04/2022\n"]))[0] == pd.Timestamp("2022-04-01")


def test_add_years_moves_29_february_to_28_and_keeps_missing_dates():
    spans = [pd.date_range(a, b, freq="D") for a, b in (("1899-12-25", "1901-03-05"), ("1959-12-01", "1960-03-31"),
                                                        ("1995-01-01", "2001-12-31"), ("2099-12-01", "2101-03-05"))]
    days = pd.Series(np.concatenate([s.to_numpy() for s in spans] + [np.array(["NaT"], dtype="datetime64[ns]")]))
    for years in (-20, -1, 1, 4, 16, 18, 100):
        shifted = add_years(days, years)
        expected = [pd.NaT if pd.isna(d) else pd.Timestamp(
            date(d.year + years, d.month, min(d.day, calendar.monthrange(d.year + years, d.month)[1])))
            for d in days]
        assert shifted.dtype == "datetime64[us]"
        assert shifted.index.equals(days.index)
        pd.testing.assert_series_equal(shifted, pd.Series(expected, dtype="datetime64[us]"))


def _joined_text_rank(frame: pd.DataFrame) -> np.ndarray:
    text = frame.astype(str).agg("\x1f".join, axis=1).to_numpy(dtype=object)
    return pd.factorize(text, sort=True)[0]


def test_row_ranks_column_by_column_equal_the_ranks_of_the_joined_text():
    rng = np.random.default_rng(3)
    pieces = ["", "A", "AB", "ABC", "B", "a", "é", " ", "A ", "1", "10", "9", "ß", "~", "𝔸"]
    for _ in range(200):
        rows, cols = rng.integers(1, 40), rng.integers(1, 5)
        frame = pd.DataFrame({f"c{j}": ["".join(rng.choice(pieces, rng.integers(0, 3))) for _ in range(rows)]
                              for j in range(cols)}, dtype=object)
        assert np.array_equal(_rank_by_columns(frame), _joined_text_rank(frame))


def test_row_ranks_of_cells_with_control_characters_use_the_joined_text():
    frame = pd.DataFrame({"a": ["A\x1fB", "A", "A\x05"], "b": ["C", "B\x1fC", "C"]}, dtype=object)
    assert _rank_by_columns(frame) is None
    data = _data({"Episodes": frame})
    assert np.array_equal(row_rank(data, "Episodes"), _joined_text_rank(frame))


def _data(frames: dict[str, pd.DataFrame]) -> Data:
    tables = {name: RawTable(name=name, frame=df, source=name, rows=np.arange(len(df)) + 2)
              for name, df in frames.items()}
    return Data(tables, "2025/26")


def test_prepared_text_tests_by_distinct_value_as_pandas_does():
    data = _data({"Episodes": pd.DataFrame({"CHILD": ["1", "2", " ", "", "2"], "LS": ["v3", "C2", "V4", "", "c2"]},
                                           dtype=object)})
    ls = data["Episodes"]["LS"]
    assert isin(ls, ("V3", "V4")).tolist() == [True, False, True, False, False]
    assert isin(ls, ("V3", "V4")).tolist() == ls.isin(["V3", "V4"]).tolist()
    assert data["Episodes"].blank("LS").tolist() == [False, False, False, True, False]
    assert data["Episodes"].blank("CHILD").tolist() == [False, False, True, True, False]
    with pytest.raises(ValueError):  # shared by every rule of the run: not to be changed in place
        ls.iloc[0] = "X"


def test_prepared_text_compared_with_a_text_gives_what_pandas_gives():
    data = _data({"Episodes": pd.DataFrame({"CHILD": ["1", "2", "3", "4", "5"], "REC": ["e2", "E2", "", " ", "É2"]},
                                           dtype=object)})
    rec = data["Episodes"]["REC"]
    plain = pd.Series(rec.to_numpy(), name=rec.name)
    for value in ("E2", "", " ", "É2", "X1"):
        for got, want in ((rec == value, plain == value), (rec != value, plain != value), (value == rec, value == plain)):
            pd.testing.assert_series_equal(got, want)
            assert type(got) is pd.Series
    assert (rec == "E2").tolist() == [True, True, False, False, False]
    pd.testing.assert_series_equal(rec == rec.iloc[::-1].reset_index(drop=True), plain == plain.iloc[::-1].reset_index(drop=True))
    assert type(rec[rec == "E2"]) is pd.Series and type(rec.str.strip()) is pd.Series  # worked out from it: plain


def test_the_year_a_return_points_at_reads_each_date_text_once():
    frame = pd.DataFrame({"DECOM": [" 01/04/2025", "31/03/2026 ", "2026-05-01", None, "1/6/2025", " 01/04/2025"]},
                         dtype=object)
    tables = {"Episodes": RawTable("Episodes", frame, "x", np.arange(len(frame)))}
    dates = parse_dates(frame["DECOM"].astype(str).str.strip()).dropna()
    assert latest_date(tables) == dates[dates <= dates.quantile(0.99)].max()


def test_child_in_matches_exact_text_and_never_a_blank_child():
    data = _data({"Header": pd.DataFrame({"CHILD": ["1", "2", "", " "]}, dtype=object),
                  "OC3": pd.DataFrame({"CHILD": ["2", "3", "", " ", "1 "]}, dtype=object)})
    assert child_in(data, "OC3", "Header").tolist() == [True, False, False, False, False]
    expected = data["OC3"]["CHILD"].isin(set(data["Header"]["CHILD"])).tolist()
    assert child_in(data, "OC3", "Header").tolist() == expected


def test_once_per_value_gives_what_the_function_gives_row_by_row():
    calls = []

    @once_per_value
    def lengths(values: pd.Series) -> pd.Series:
        calls.append(len(values))
        return values.str.len()

    values = pd.Series(["ab", "c", "ab", "", "c", "ab"], index=[5, 6, 7, 8, 9, 10], dtype=object)
    pd.testing.assert_series_equal(lengths(values), lengths.__wrapped__(values))
    assert calls == [3, 6]  # three distinct values, then every row


def test_equal_pairs_are_the_pairs_and_order_of_a_merge():
    rng = np.random.default_rng(5)
    keys = np.array(["A", "B", "C", "", " ", "\x00Header:1", np.nan], dtype=object)
    for _ in range(300):
        left, right = rng.choice(keys, rng.integers(0, 9)), rng.choice(keys, rng.integers(0, 9))
        for how in ("inner", "left"):
            merged = (pd.DataFrame({"k": left, "i": np.arange(len(left))})
                      .merge(pd.DataFrame({"k": right, "j": np.arange(len(right))}), on="k", how=how))
            i, j = equal_pairs(left, right, keep_left=how == "left")
            assert i.tolist() == merged["i"].tolist()
            assert j.tolist() == merged["j"].fillna(-1).astype(int).tolist()
