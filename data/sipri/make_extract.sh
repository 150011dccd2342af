#!/bin/sh
# Make the bundled SIPRI extract (data/sipri/*.csv) from full SIPRI exports of the Oct 2024
# release (the exporter table is the Apr 2024 one). See data/sipri/README.md for provenance,
# checksums and SIPRI's terms. Run from anywhere:
#
#     sh data/sipri/make_extract.sh
#
# SRC defaults to ../shared/sipri beside the checkout (ARMS_SHARED_SIPRI overrides it);
# PYTHON defaults to the project's .venv. Each command prints its summary as JSON
# (records_in, records_out, share, bytes, sha256). The extracts are deterministic: running
# this again on the same sources gives byte-identical files.
set -eu
cd "$(dirname "$0")/../.."
SRC="${ARMS_SHARED_SIPRI:-../shared/sipri}"
PYTHON="${PYTHON:-.venv/bin/python}"
OUT=data/sipri
NOTE="See data/sipri/README.md."

extract() {
    "$PYTHON" -m arms extract "$@" --note "$NOTE" --json
}

# V1 trade register, 13 Oct 2024: every deal with Azerbaijan or Armenia as recipient
extract "$SRC/tradereg-newportal-MJHofmann-1.csv" \
    -o "$OUT/tradereg-azerbaijan-armenia-2024-10-13.csv" \
    --recipient Azerbaijan --recipient Armenia

# V1 trade register, 13 Oct 2024: every deal with Israel as supplier (Israel's customers,
# to rank Azerbaijan among them; CASE-STUDY question 7)
extract "$SRC/tradereg-newportal-MJHofmann-1.csv" \
    -o "$OUT/tradereg-israel-exports-2024-10-13.csv" \
    --supplier Israel

# V2 deliveries register, 3 Jan 2025: the per-year deliveries to Azerbaijan and Armenia
extract "$SRC/deliveries-newportal-lucacasu-1.csv" \
    -o "$OUT/deliveries-azerbaijan-armenia-2025-01-03.csv" \
    --recipient Azerbaijan --recipient Armenia

# V2 deliveries register, 3 Jan 2025: the per-year deliveries with Israel as supplier
# (SIPRI's own per-year figures for Israel's customers, preferred to the register split)
extract "$SRC/deliveries-newportal-lucacasu-1.csv" \
    -o "$OUT/deliveries-israel-exports-2025-01-03.csv" \
    --supplier Israel

# V3 importer table, 13 Oct 2024: Azerbaijan, Armenia and the "Total world import" row
extract "$SRC/tivvalues-newportal-import-MJHofmann-1.csv" \
    -o "$OUT/tiv-imports-2024-10-13.csv" \
    --entity Azerbaijan --entity Armenia

# V3 exporter table, 13 Apr 2024: Israel, Turkiye, Russia and the "Total world export" row
extract "$SRC/tivvalues-newportal-export-AndreiTeodorPetre-1.csv" \
    -o "$OUT/tiv-exports-2024-04-13.csv" \
    --entity Israel --entity Turkiye --entity Russia
