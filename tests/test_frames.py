"""arms.frames: load, the one way in (read, convert, harmonize, categorize), and conversions."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from arms import frames, schema
from arms.io import discovery, readers
from arms.paths import SIPRI_DIR

needs_bundle = pytest.mark.skipif(not SIPRI_DIR.is_dir(), reason="no bundled extract")

REGISTER_CSV = (
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 3 Jan 2025 9:16:02 PM\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "Armenia,Russia,2019,,4,,Su-30K,FGA aircraft,4,,2019,New,$120 m deal; Su-30SM version,"
    "47.5,190,190\n"
    "Azerbaijan,Turkiye,2020,?,12,?,Bayraktar TB2,armed UAV,12,?,2020,New,,2.4,28.8,28.8\n"
)

COVERAGE_KEYS = {
    "unknown_names",
    "unknown_descriptions",
    "rejected",
    "names_by_rule",
    "category_tiv_share",
    "unplaced_tiv",
}


def bundled(role):
    files = discovery.bundled_files()
    if role not in files:
        pytest.skip(f"no bundled {role} file")
    return files[role]


@needs_bundle
@pytest.mark.parametrize("role", ["register", "deliveries", "supplier_register"])
def test_load_bundled_registers_are_final(role):
    path = bundled(role)
    with warnings.catch_warnings():
        warnings.simplefilter("error", frames.CoverageWarning)  # the bundle is fully known
        frame = frames.load(path)
    kind = "deals" if role.endswith("register") else "deliveries"
    for col in schema.SCHEMAS[kind]:
        assert col in frame.columns
    for col in ("supplier_name", "supplier_iso3", "recipient_name", "recipient_type", "family"):
        assert col in frame.columns
    assert frame["category"].notna().all() and frame["family"].notna().all()
    assert frame["supplier_type"].notna().all() and frame["recipient_type"].notna().all()
    assert not frame["designation"].str.endswith("-").any()  # the reader's repair
    assert frame.attrs["coverage"] == {
        "unknown_names": [],
        "unknown_descriptions": [],
        "rejected": 0,
        "names_by_rule": [],
        "category_tiv_share": 1.0,
        "unplaced_tiv": 0.0,
    }
    assert frame.attrs["source"]["path"] == str(path)
    assert frame.attrs["rejected"] == []


@needs_bundle
@pytest.mark.parametrize("role", ["imports", "exports"])
def test_load_bundled_tables(role):
    frame = frames.load(bundled(role))
    assert {"entity_name", "entity_iso3", "entity_type"} <= set(frame.columns)
    assert "family" not in frame.columns  # tables carry no weapons
    assert set(frame.attrs["coverage"]) == COVERAGE_KEYS
    assert "totals" in frame.attrs and frame.attrs["coverage"]["rejected"] == 0


@needs_bundle
def test_load_converts_explicitly_between_kinds():
    register = bundled("register")
    split = frames.load(register, kind="deliveries")
    assert set(split["allocation"]) == {"even"}
    assert split["tiv"].sum() == pytest.approx(
        readers.read_trade_register(register)["tiv_delivered"].sum()
    )
    grouped = frames.load(bundled("deliveries"), kind="deals")
    assert grouped["deal_id"].is_unique and "family" in grouped.columns


def test_load_uses_the_wanted_reader(tmp_path):
    path = tmp_path / "new-register.csv"
    path.write_text(REGISTER_CSV)
    deals = frames.load(path)
    assert len(deals) == 2 and "tiv_delivered" in deals.columns
    assert deals["supplier_name"].tolist() == ["Russia", "Turkiye"]
    split = frames.load(path, kind="deliveries")
    assert set(split["allocation"]) == {"even"}
    with pytest.raises(ValueError, match="kind must be"):
        frames.load(path, kind="table")
    with pytest.raises(ValueError, match="errors must be"):
        frames.load(path, errors="ignore")


@needs_bundle
def test_load_reports_unknown_names_and_descriptions_once(tmp_path):
    text = bundled("register").read_text(encoding="utf-8")
    header, *rows = text.split("\nRecipient,Supplier,", 1)[1].split("\n")
    first = rows[0].split(",")
    first[0] = "Narnia"  # a recipient the crosswalk does not know
    first[7] = "flying carpet"  # a description no category rule places
    damaged = tmp_path / "damaged.csv"
    preamble = text.split("\nRecipient,Supplier,", 1)[0]
    body = "\n".join([",".join(first), *rows[1:]])
    damaged.write_text(
        preamble + "\nRecipient,Supplier," + header + "\n" + body + "\nnot,a,record\n",
        encoding="utf-8",
    )
    with (
        pytest.warns(UserWarning, match="1 line.s. could not be read"),  # the reader's own
        pytest.warns(frames.CoverageWarning, match="Narnia") as caught,
    ):
        frame = frames.load(damaged, errors="warn")
    assert len([w for w in caught if issubclass(w.category, frames.CoverageWarning)]) == 1
    coverage = frame.attrs["coverage"]
    assert coverage["unknown_names"] == ["Narnia"]
    assert coverage["unknown_descriptions"] == ["flying carpet"]
    assert coverage["rejected"] == 1 == len(frame.attrs["rejected"])
    row = frame.loc[frame["recipient"] == "Narnia"].iloc[0]
    assert row["recipient_name"] == "Narnia" and pd.isna(row["recipient_type"])  # kept raw
    assert pd.isna(row["family"])
    unplaced = frame.loc[frame["description"] == "flying carpet", "tiv_delivered"].sum()
    assert coverage["unplaced_tiv"] == pytest.approx(unplaced)
    share = 1 - unplaced / frame["tiv_delivered"].sum()
    assert coverage["category_tiv_share"] == pytest.approx(share, abs=1e-6)
    assert coverage["names_by_rule"] == []


def test_load_types_new_names_by_rule_and_never_raises(tmp_path):
    """A 2026-style register: a new armed group and new spellings load without an error."""
    text = REGISTER_CSV.replace("Azerbaijan,Turkiye", "RSF (Sudan)*,UAE").replace(
        "armed UAV", "one-way attack drone"
    )
    text += "Sudan,Atlantis,2024,,2,,X-1,death ray,2,,2024,New,,5,10,10\n"
    path = tmp_path / "register-2026.csv"
    path.write_text(text)
    with pytest.warns(frames.CoverageWarning, match="death ray"):
        deals = frames.load(path)
    coverage = deals.attrs["coverage"]
    assert coverage["names_by_rule"] == ["RSF (Sudan)*"]
    assert coverage["unknown_names"] == ["Atlantis"]
    assert coverage["unknown_descriptions"] == ["death ray"]
    assert coverage["unplaced_tiv"] == 10.0
    assert coverage["category_tiv_share"] == pytest.approx((190 + 28.8) / (190 + 28.8 + 10))
    rsf = deals.loc[deals["recipient"] == "RSF (Sudan)*"].iloc[0]
    assert (rsf["recipient_type"], rsf["category"]) == ("non-state armed actor", "Missiles")


def test_conversions_are_public_here():
    deals = schema.conform(
        pd.DataFrame(
            {
                "recipient": ["Armenia"],
                "supplier": ["Russia"],
                "number_delivered": [3],
                "delivery_years": ["2019; 2021"],
                "tiv_delivered": [3.0],
                "source_line": [5],
            }
        ),
        "deals",
    )
    split = frames.split_deals(deals)
    assert split["year"].tolist() == [2019, 2021] and split["units"].tolist() == [2, 1]
    back = frames.group_deliveries(split)
    assert back["delivery_years"].tolist() == ["2019; 2021"]
