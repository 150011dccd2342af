"""Tests for arms.export: workbook layout, formats, round trip and formula injection."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from arms.export import README_SHEET, SHARE_FORMAT, TIV_FORMAT, sheet_name, to_excel


def deals() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "deal_id": pd.array([1, 2, 3, None], dtype="Int64"),
            "recipient": pd.array(["Armenia", "Azerbaijan", "Azerbaijan", None], dtype="string"),
            "supplier": pd.array(["Russia", "Turkiye", "Israel", "Israel"], dtype="string"),
            "designation": pd.array(
                ["Su-30K", "Bayraktar TB2", '=HYPERLINK("x")', "-1+2"], dtype="string"
            ),
            "comments": pd.array(
                ["Su-30SM version", "+ 6 more", "@SUM(A1)", None], dtype="string"
            ),
            "order_year": pd.array([2019, 2020, None, 2011], dtype="Int64"),
            "order_year_estimated": pd.array([False, True, None, True], dtype="boolean"),
            "delivery_years": [[2019], [2020, 2021], [], None],
            "tiv_per_unit": pd.array([47.5, 2.4, None, 0.25], dtype="Float64"),
            "tiv_delivered": pd.array([190.0, 28.8, 0.0, None], dtype="Float64"),
        }
    )
    frame.attrs["source"] = {"generated": "13 Apr 2024", "path": "trade-register.csv"}
    return frame


def shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.array(["2016-20", "2016-20"], dtype="string"),
            "supplier": pd.array(["Israel", "Russia"], dtype="string"),
            "tiv": pd.array([1234.567, 300.5], dtype="Float64"),
            "share": pd.array([69.2, 16.85], dtype="Float64"),
            "local_production": pd.array([True, False], dtype="boolean"),
        }
    )


@pytest.fixture
def workbook(tmp_path):
    path = to_excel(
        {"deals": deals(), "shares per period": shares()}, tmp_path / "out" / "tables.xlsx"
    )
    return path


def test_sheets_readme_first(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [README_SHEET, "deals", "shares per period"]


def test_readme_cites_source_date_caveat_terms(workbook):
    ws = openpyxl.load_workbook(workbook)[README_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "SIPRI Arms Transfers Database" in text
    assert "13 Apr 2024" in text  # generated date taken from attrs
    assert "trade-register.csv" in text  # source file taken from attrs
    assert "not US$" in text and "volume" in text
    assert "sipri.org/databases/terms" in text
    assert "deals" in text and "4 rows" in text


def test_explicit_generated_and_source_files(tmp_path):
    path = to_excel(
        {"t": shares()},
        tmp_path / "t.xlsx",
        generated=dt.date(2025, 3, 10),
        source_files=["a.csv", "b.csv"],
    )
    ws = openpyxl.load_workbook(path)[README_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "2025-03-10" in text and "a.csv; b.csv" in text


def test_header_styled_frozen_filtered(workbook):
    ws = openpyxl.load_workbook(workbook)["deals"]
    assert [c.value for c in ws[1]] == list(deals().columns)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:J5"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["B"] >= len("Azerbaijan")  # content fits
    assert all(8 <= w <= 60 for w in widths.values())


def test_number_formats(workbook):
    ws = openpyxl.load_workbook(workbook)["shares per period"]
    header = [c.value for c in ws[1]]
    tiv = ws.cell(row=2, column=header.index("tiv") + 1)
    share = ws.cell(row=2, column=header.index("share") + 1)
    assert tiv.number_format == TIV_FORMAT == "0.00"
    assert tiv.value == pytest.approx(1234.567)  # full value stored, two decimals shown
    assert share.number_format == SHARE_FORMAT
    assert share.value == pytest.approx(69.2)  # percent number as given
    flag = ws.cell(row=2, column=header.index("local_production") + 1)
    assert flag.value is True and flag.data_type == "b"


def test_round_trip_values(workbook):
    expected = deals()
    expected["delivery_years"] = pd.array(["2019", "2020; 2021", None, None], dtype="string")
    back = pd.read_excel(
        workbook,
        sheet_name="deals",
        dtype_backend="numpy_nullable",
        keep_default_na=False,
        na_values=[""],
    )
    # a list of one year reads back as a number; everything else keeps value and dtype
    back["delivery_years"] = back["delivery_years"].astype("string")
    assert_frame_equal(back, expected, check_dtype=False)
    for col in ("deal_id", "order_year", "order_year_estimated", "recipient", "tiv_per_unit"):
        assert back[col].dtype == expected[col].dtype, col


def test_round_trip_default_read(workbook):
    back = pd.read_excel(workbook, sheet_name="shares per period")
    assert back["share"].tolist() == [69.2, 16.85]
    assert back["tiv"].tolist() == [1234.567, 300.5]
    assert back["local_production"].tolist() == [True, False]
    assert back["supplier"].tolist() == ["Israel", "Russia"]


def test_formula_injection_stored_as_text(workbook):
    ws = openpyxl.load_workbook(workbook)["deals"]
    header = [c.value for c in ws[1]]
    designation = ws.cell(row=4, column=header.index("designation") + 1)
    assert designation.value == '=HYPERLINK("x")'
    assert designation.data_type == "s"  # a string cell, not a formula ("f")
    assert designation.quotePrefix
    cells = {
        ws.cell(row=r, column=header.index(col) + 1).value: ws.cell(
            row=r, column=header.index(col) + 1
        )
        for col in ("designation", "comments")
        for r in range(2, 6)
    }
    for text in ("-1+2", "+ 6 more", "@SUM(A1)"):
        assert cells[text].data_type == "s" and cells[text].value == text
    assert not cells["Su-30K"].quotePrefix  # ordinary text is left alone
    back = pd.read_excel(workbook, sheet_name="deals")
    assert back.loc[2, "designation"] == '=HYPERLINK("x")'
    assert back.loc[3, "designation"] == "-1+2"


def test_formula_in_header_and_sheet_name_is_text(tmp_path):
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["=1+1"]})
    path = to_excel({"=evil": frame}, tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[book.sheetnames[1]]
    assert ws["A1"].data_type == "s" and ws["A2"].data_type == "s"
    assert ws["A2"].value == "=1+1"


def test_missing_values_are_empty_cells(workbook):
    ws = openpyxl.load_workbook(workbook)["deals"]
    header = [c.value for c in ws[1]]
    assert ws.cell(row=5, column=header.index("deal_id") + 1).value is None
    assert ws.cell(row=4, column=header.index("order_year_estimated") + 1).value is None
    assert ws.cell(row=4, column=header.index("tiv_delivered") + 1).value == 0  # 0 is not NA
    assert ws.cell(row=3, column=header.index("delivery_years") + 1).value == "2020; 2021"


def test_index_series_and_multiindex_columns(tmp_path):
    wide = shares().pivot_table(index="period", columns="supplier", values=["tiv"])
    series = shares().set_index("supplier")["tiv"]
    path = to_excel({"wide": wide, "series": series}, tmp_path / "w.xlsx")
    back = pd.read_excel(path, sheet_name=None)
    assert list(back["wide"].columns) == ["period", "tiv / Israel", "tiv / Russia"]
    assert back["series"].to_dict("list") == {
        "supplier": ["Israel", "Russia"],
        "tiv": [1234.567, 300.5],
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("deals", "deals"),
        ("a/b\\c?d*e:f[g]", "a_b_c_d_e_f_g_"),
        ("x" * 40, "x" * 31),
        ("'quoted'", "quoted"),
        ("", "Sheet"),
        ("History", "History_"),
    ],
)
def test_sheet_name_rules(name, expected):
    assert sheet_name(name) == expected


def test_sheet_names_unique_and_not_readme(tmp_path):
    path = to_excel(
        {"README": shares(), "readme": shares(), "y" * 40: shares(), "y" * 35: shares()},
        tmp_path / "u.xlsx",
    )
    names = openpyxl.load_workbook(path).sheetnames
    assert names == ["README", "README (2)", "readme (3)", "y" * 31, "y" * 27 + " (2)"]
    assert all(len(n) <= 31 for n in names)


def test_rejects_non_mapping(tmp_path):
    with pytest.raises(TypeError, match="mapping"):
        to_excel([shares()], tmp_path / "x.xlsx")
    with pytest.raises(TypeError, match="DataFrame"):
        to_excel({"x": [1, 2]}, tmp_path / "x.xlsx")


def test_empty_table(tmp_path):
    path = to_excel({"empty": shares().iloc[0:0]}, tmp_path / "e.xlsx")
    back = pd.read_excel(path, sheet_name="empty")
    assert list(back.columns) == list(shares().columns) and back.empty


def test_tiv_and_share_headers_carry_their_unit(tmp_path):
    import openpyxl

    frame = pd.DataFrame({"supplier": ["Israel"], "tiv": [1.5], "share": [100.0], "year": [2020]})
    path = to_excel({"shares": frame}, tmp_path / "u.xlsx")
    ws = openpyxl.load_workbook(path)["shares"]
    assert "volume, not US$" in ws["B1"].comment.text
    assert "Percent" in ws["C1"].comment.text
    assert ws["A1"].comment is None and ws["D1"].comment is None


def test_readme_lists_file_names_not_folders(tmp_path):
    table = shares()
    table.attrs["source"] = {"path": "/work/somewhere/private/tradereg-x.csv"}
    path = to_excel({"t": table}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[README_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "tradereg-x.csv" in text and "/work/somewhere" not in text


def test_readable_sheets_title_source_units_and_word_cut_names(tmp_path):
    table = pd.DataFrame(
        {"supplier": ["Israel"], "tiv": [1234.56789], "share": [69.123456], "hhi": [5000.0]}
    )
    table.attrs["source"] = {"path": "/some/where/deliveries.csv", "generated": "2025-01-03"}
    name = "Azerbaijan supplier shares by five-year period 2016-20"
    out = to_excel({name: table}, tmp_path / "t.xlsx", readable=True)
    book = pd.read_excel(out, sheet_name=None, header=None)
    sheet = next(n for n in book if n != README_SHEET)
    assert len(sheet) <= 31 and name.startswith(sheet) and name[len(sheet)] == " "
    top = book[sheet][0].tolist()
    assert top[0] == name
    assert top[1].startswith("Source: SIPRI Arms Transfers Database")
    assert top[1].endswith("(deliveries.csv, data generated 3 Jan 2025).")  # no folder
    data = pd.read_excel(out, sheet_name=sheet, header=2)
    assert list(data.columns) == ["supplier", "TIV (millions)", "share (%)", "HHI (0-10,000)"]
    assert data["TIV (millions)"].iloc[0] == pytest.approx(1234.56789)  # full precision kept
    ws = openpyxl.load_workbook(out)[sheet]
    assert ws["D4"].number_format == "#,##0.0"  # shown rounded
    readme = book[README_SHEET]
    assert name in readme[2].astype(str).tolist()  # the contents give the full title
