"""Property tests: the delivery-year parser, split-record repair and the even split."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import arms
from arms import schema
from arms.frames import group_deliveries, split_deals
from arms.io.readers import parse_delivery_years

HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
    "Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
    "SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)

years_lists = st.lists(st.integers(1950, 2030), min_size=1, max_size=12, unique=True).map(sorted)


@given(years_lists, st.sampled_from(["; ", ";", " ; ", "; ;"]))
def test_year_list_syntaxes(years, sep):
    text = sep.join(str(y) for y in years)
    assert parse_delivery_years(text) == years


@given(st.integers(1950, 2030), st.integers(0, 20), st.sampled_from([" - ", "-", " -  "]))
def test_year_ranges_expand_inclusively(first, span, sep):
    assert parse_delivery_years(f"{first}{sep}{first + span}") == list(
        range(first, first + span + 1)
    )


@given(years_lists, st.lists(st.integers(1, 9), min_size=12, max_size=12))
def test_per_year_counts_are_ignored(years, counts):
    text = "; ".join(f"{y}({c})" for y, c in zip(years, counts, strict=False))
    assert parse_delivery_years(text) == years


@given(st.text(alphabet="0123456789;- ()", max_size=30))
def test_parser_never_fails_and_returns_sorted_years(text):
    out = parse_delivery_years(text)
    assert out == sorted(set(out))
    assert all(1900 <= y <= 2200 for y in out)


# ------------------------------------------------------------------------------------
# split records

names = (
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -", min_size=1, max_size=12
    )
    .map(str.strip)
    .filter(bool)
)
comments = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz ;$()0123456789", min_size=0, max_size=40
).map(str.strip)
tivs = st.decimals(min_value=0, max_value=5000, places=2).map(lambda d: f"{d.normalize():f}")


@st.composite
def records(draw):
    order = draw(st.integers(1950, 2023))
    years = draw(st.lists(st.integers(order, 2024), max_size=4, unique=True).map(sorted))
    units = draw(st.integers(0, 500))
    return [
        draw(names),
        draw(names),
        str(order),
        draw(st.sampled_from(["", "?"])),
        str(units),
        draw(st.sampled_from(["", "?"])),
        draw(names),
        draw(st.sampled_from(["FGA aircraft", "armed UAV", "SAM system", "APC"])),
        str(units if years else 0),
        draw(st.sampled_from(["", "?"])),
        "; ".join(map(str, years)),
        draw(st.sampled_from(["New", "Second hand", "Second hand but modernized"])),
        draw(comments),
        draw(tivs),
        draw(tivs),
        draw(tivs),
    ]


def _write(path, lines, *, eol="\n"):
    path.write_bytes((eol.join(lines) + eol).encode("cp1252"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(records(), min_size=1, max_size=8), st.data())
def test_split_records_are_repaired(tmp_path, recs, data):
    split = data.draw(st.lists(st.booleans(), min_size=len(recs), max_size=len(recs)))
    eol = data.draw(st.sampled_from(["\n", "\r\n"]))
    whole = [HEADER] + [",".join(r) for r in recs]
    raw, resaved = [HEADER], [HEADER]
    for rec, cut in zip(recs, split, strict=True):
        if cut and rec[12]:
            # FORMATS Q1: the comment ends with a line break; the last three fields follow
            raw += [",".join(rec[:13]), "," + ",".join(rec[13:])]
            resaved += [",".join(rec[:13]) + ",,,", "," + ",".join(rec[13:]) + "," * 12]
        else:
            raw.append(",".join(rec))
            resaved.append(",".join(rec))
    _write(tmp_path / "whole.csv", whole)
    _write(tmp_path / "raw.csv", raw, eol=eol if eol == "\n" else "\n")
    if eol == "\r\n":  # the 2025 form: only the break inside the record is CRLF
        text = "\n".join(raw).replace(",\n,", ",\r\n,") + "\n"
        (tmp_path / "raw.csv").write_bytes(text.encode("cp1252"))
    _write(tmp_path / "resaved.csv", resaved)
    expected = arms.read_trade_register(tmp_path / "whole.csv").drop(columns="source_line")
    for name in ("raw.csv", "resaved.csv"):
        got = arms.read_trade_register(tmp_path / name)
        assert got.attrs["rejected"] == []
        assert_frame_equal(got.drop(columns="source_line"), expected)


# ------------------------------------------------------------------------------------
# even split: whole units, exact TIV, per deal


@st.composite
def deals_frames(draw):
    n = draw(st.integers(1, 12))
    rows = []
    for i in range(n):
        years = draw(st.lists(st.integers(1990, 2024), min_size=1, max_size=6, unique=True))
        units = draw(st.one_of(st.none(), st.integers(0, 1000)))
        tiv = draw(st.one_of(st.none(), st.integers(0, 10_000_000).map(lambda c: c / 100)))
        rows.append(
            {
                "recipient": "Armenia",
                "supplier": "Russia",
                "number_delivered": units,
                "delivery_years": "; ".join(map(str, sorted(years))),
                "tiv_delivered": tiv,
                "source_line": i + 1,
            }
        )
    return schema.conform(pd.DataFrame(rows), "deals")


@settings(max_examples=100, deadline=None)
@given(deals_frames())
def test_even_split_sums_exactly(deals):
    d = split_deals(deals)
    schema.validate(d, "deliveries")
    assert (d["allocation"] == "even").all()
    for _, deal in deals.iterrows():
        part = d.loc[d["source_line"] == deal["source_line"]]
        assert len(part) == len(parse_delivery_years(deal["delivery_years"]))
        if pd.isna(deal["number_delivered"]):
            assert part["units"].isna().all()
        else:
            assert part["units"].sum() == deal["number_delivered"]
            assert part["units"].max() - part["units"].min() <= 1
        if pd.isna(deal["tiv_delivered"]):
            assert part["tiv"].isna().all()
        else:
            cents = (part["tiv"] * 100).round().astype("Int64")
            assert cents.sum() == round(deal["tiv_delivered"] * 100)
            assert (part["tiv"] >= 0).all()


@settings(max_examples=50, deadline=None)
@given(deals_frames())
def test_split_then_group_keeps_totals(deals):
    with_ids = deals.assign(deal_id=pd.array(range(1, len(deals) + 1), dtype="Int64"))
    again = group_deliveries(split_deals(with_ids)).set_index("deal_id")
    for _, deal in with_ids.iterrows():
        row = again.loc[deal["deal_id"]]
        assert row["delivery_years"] == deal["delivery_years"]
        if pd.notna(deal["tiv_delivered"]):
            assert abs(row["tiv_delivered"] - deal["tiv_delivered"]) < 1e-6
