"""Preamble parsing: every wording SIPRI has used, parsed once."""

from __future__ import annotations

import pytest

from arms.io.preamble import parse_generated, parse_preamble, scope


def test_new_portal_query_sentence():
    meta = parse_preamble(
        [
            "Transfers of major conventional arms from China   to All countries . Deals with "
            "deliveries or orders made for year range '2010' to '2020' ",
            "Data generated: 13 Oct 2024 2:20:11 PM",
        ],
        "V1",
    )
    assert (meta["supplier"], meta["recipient"], meta["range"]) == (
        "China",
        "All countries",
        "deliveries or orders",
    )
    assert (meta["year_from"], meta["year_to"]) == (2010, 2020)
    assert meta["generated"] == "2024-10-13T14:20:11"


def test_legacy_query_and_table_titles():
    meta = parse_preamble(
        [
            "buyer 'Armenia' and seller  'Russia' and the years from 2000 to 2010 "
            "created: 17-09-2022"
        ],
        "V7",
    )
    assert (meta["recipient"], meta["supplier"], meta["generated"]) == (
        "Armenia",
        "Russia",
        "2022-09-17",
    )
    v6 = parse_preamble(["TIV of arms exports to Armenia, 2018-2022,,,"], "V6")
    assert (v6["direction"], v6["recipient"], v6["year_from"]) == ("imports", "Armenia", 2018)


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ("China", "China"),
        (" Israel  ", "Israel"),
        ("All countries", None),
        ("", None),
        (None, None),
    ],
)
def test_scope(side, expected):
    assert scope(side) == expected


def test_generated_unknown_form():
    assert parse_generated("sometime in May") is None
