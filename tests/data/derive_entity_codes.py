"""Derive arms/data/entity_codes.csv from the countrycode package's codelist.

How the reviewed table was made (issue 13): ``pip download countrycode==0.6.0 --no-deps``,
unzip the wheel, then ``python tests/data/derive_entity_codes.py UNZIPPED_DIR`` from the
repository root. States are matched on ISO3 (``iso3c``); SIPRI's historic states on the
codelist row named in HISTORIC. Review the diff before committing; notes added by hand
(Germany) are kept only if re-added.
"""

import csv
import pickle
import sys

import pandas as pd

VERSION = "0.6.0"
# reviewed notes on rows whose codes change over time
NOTES = {
    "Germany": "SIPRI's Germany is the FRG throughout; the codelist's COW code is unified "
    "Germany's; COW's code for the FRG before 1990 is not in the codelist",
}
# SIPRI's historic states -> the codelist row that codes them, and the years SIPRI uses them
HISTORIC = {
    "Soviet Union": (
        "Russia",
        None,
        1991,
        "COW and GW code the Soviet Union and Russia as one state (codelist row Russia)",
    ),
    "East Germany (GDR)": (
        "German Democratic Republic",
        None,
        1990,
        "codelist row German Democratic Republic",
    ),
    "Czechoslovakia": ("Czechoslovakia", None, 1992, "codelist row Czechoslovakia"),
    "Yugoslavia": (
        "Yugoslavia",
        None,
        1991,
        "codelist row Yugoslavia; SIPRI's Serbia continues it from 1992",
    ),
    "North Yemen": ("Yemen Arab Republic", None, 1990, "codelist row Yemen Arab Republic"),
    "South Yemen": ("Yemen People's Republic", None, 1990, "codelist row Yemen People's Republic"),
    "South Vietnam": ("Republic of Vietnam", None, 1975, "codelist row Republic of Vietnam"),
    "Kosovo": ("Kosovo", 2008, None, "codelist row Kosovo (no ISO 3166-1 code)"),
}


def main(unzipped: str) -> None:
    with open(f"{unzipped}/countrycode/data/codelist.pickle", "rb") as fh:
        cl = pd.DataFrame(pickle.load(fh))  # the package's own data file
    _write(cl)


def _write(cl):
    e = pd.read_csv("arms/data/entities.csv", dtype=str, keep_default_na=False)
    states = e[e.entity_type == "state"][["canonical_name", "iso3"]].drop_duplicates()

    def num(v):
        return "" if pd.isna(v) else str(int(v))

    rows = []
    for name, iso3 in states.itertuples(index=False):
        if name in HISTORIC:
            row_name, y0, y1, note = HISTORIC[name]
            hit = cl[cl["country.name.en"] == row_name]
        elif iso3:
            hit = cl[cl["iso3c"] == iso3]
            y0 = y1 = None
            note = ""
        else:
            hit = cl.iloc[0:0]
            y0 = y1 = None
            note = "not a state with a code in the codelist"
        assert len(hit) <= 1, name
        h = hit.iloc[0] if len(hit) else None
        cow = num(h["cown"]) if h is not None else ""
        cowc = h["cowc"] if h is not None and not pd.isna(h["cowc"]) else ""
        gw = num(h["gwn"]) if h is not None else ""
        if h is not None and not cow and not gw:
            note = (note + "; " if note else "") + "the codelist gives no COW or GW code"
        note = NOTES.get(name, note)
        rows.append(
            [
                name,
                iso3,
                cow,
                cowc,
                gw,
                "" if y0 is None else y0,
                "" if y1 is None else y1,
                f"countrycode {VERSION} codelist",
                note,
            ]
        )
    rows.sort()
    with open("arms/data/entity_codes.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "canonical_name",
                "iso3",
                "cow_code",
                "cow_abb",
                "gw_code",
                "from_year",
                "to_year",
                "source",
                "note",
            ]
        )
        w.writerows(rows)
    print(len(rows))


if __name__ == "__main__":
    main(sys.argv[1])
