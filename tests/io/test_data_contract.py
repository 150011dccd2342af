"""The bundled data in ``data/sipri/`` against its README: provenance, checksums, counts.

Every data file needs a block in ``data/sipri/README.md`` (a ``### `name` `` heading and a
``| field | value |`` table with at least ``file``, ``sha256`` and ``records``); the checksum
and the record count must match the file; the file must load with the reader of its kind and
harmonise with no unknown party names. Extracts made by ``arms extract`` also carry their
provenance in the preamble, which must agree with the README and stay under SIPRI's 10%
excerpt limit.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import pytest

from arms.entities import harmonize
from arms.io.detect import detect_format
from arms.io.readers import read_deliveries, read_tiv_table, read_trade_register
from arms.paths import SIPRI_DIR

README = SIPRI_DIR / "README.md"
NOT_DATA = {"README.md", "make_extract.sh"}
READERS = {"deals": read_trade_register, "deliveries": read_deliveries, "tiv": read_tiv_table}
EXTRACT_LINE = re.compile(
    r"^Extract of (?P<source>\S+) (?:\(SIPRI data generated (?P<generated>[^)]*)\) )?"
    r"made by arms \S+ with: (?P<command>arms extract .*?); "
    r"(?P<out>\d+) of (?P<total>\d+) records"
)


def parse_readme(text: str) -> dict[str, dict[str, str]]:
    """Return {file name: {field: value}} from the README's per-file blocks."""
    blocks: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^###\s+`([^`]+)`\s*$", line)
        if heading:
            current = blocks.setdefault(heading.group(1), {})
            continue
        if line.startswith("#"):
            current = None
            continue
        row = re.match(r"^\|\s*([^|]+?)\s*\|\s*(.*?)\s*\|\s*$", line)
        if current is not None and row and row.group(1) not in ("field", "---"):
            current[row.group(1)] = row.group(2).strip("`")
    return blocks


BLOCKS = parse_readme(README.read_text(encoding="utf-8")) if README.exists() else {}
FILES = sorted(
    p for p in SIPRI_DIR.glob("*") if p.is_file() and p.name not in NOT_DATA
    and not p.name.startswith(".")
)  # fmt: skip


def records_of(frame, kind: str) -> int:
    # as `arms inspect` counts them: deals, deal-year rows, entity rows without totals
    return frame.attrs["source"]["records"] if kind == "tiv" else len(frame)


def test_readme_exists_and_lists_exactly_the_files():
    assert README.exists(), "data/sipri/README.md is missing"
    names = {p.name for p in FILES}
    assert names, "no bundled data files"
    assert sorted(names - set(BLOCKS)) == [], "files without a provenance block"
    assert sorted(set(BLOCKS) - names) == [], "provenance blocks for files that do not exist"
    for name, block in BLOCKS.items():
        missing = {"file", "sha256", "records"} - set(block)
        assert not missing, f"{name}: block lacks {sorted(missing)}"
        assert block["file"] == name


def test_readme_states_terms_and_citation():
    text = README.read_text(encoding="utf-8")
    assert "less than 10 per\ncent" in text or "less than 10 per cent" in text
    assert "non-commercial" in text
    assert "volume index" in text
    for name, block in BLOCKS.items():
        assert block.get("citation", "").startswith(
            "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, "
        ), name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_matches_its_block_and_loads(path):
    assert path.name in BLOCKS, (
        f"{path.name} has no provenance block in data/sipri/README.md: add one with at least "
        "the file, sha256 and records rows (`arms inspect --json` prints both numbers)"
    )
    block = BLOCKS[path.name]
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == block["sha256"], "sha256 differs from README"
    if "bytes" in block:
        assert len(data) == int(block["bytes"].replace(",", ""))
    info = detect_format(path)
    frame = READERS[info.kind](path)  # errors="raise": every line must read
    assert records_of(frame, info.kind) == int(block["records"].replace(",", ""))
    harmonised = harmonize(frame, errors="raise")
    assert len(harmonised) == len(frame)
    if info.kind == "tiv":
        assert frame.attrs["totals"], "a bundled TIV table must keep its total row"
    generated = block.get("data generated")
    if generated:
        assert info.metadata.get("generated_text") == generated


def extracts():
    """Return {file: parsed extract line} for the files ``arms extract`` made."""
    found = {}
    for path in FILES:
        info = detect_format(path)
        with path.open(encoding="utf-8" if info.encoding != "cp1252" else "cp1252") as fh:
            head = [next(fh, "") for _ in range(info.header_line)]
        for line in head:
            m = EXTRACT_LINE.match(line.lstrip("\ufeff"))
            if m:
                found[path] = m
    return found


def test_extract_lines_agree_with_readme_and_stay_under_ten_percent():
    per_source: dict[str, list[int]] = defaultdict(list)
    totals: dict[str, int] = {}
    for path, m in extracts().items():
        block = BLOCKS[path.name]
        assert int(m["out"]) == int(block["records"].replace(",", ""))
        assert m["source"] in block.get("source", ""), path.name
        if "command" in block:
            # the README's command is the preamble's, plus paths and the note
            for token in m["command"].split()[3:]:
                assert token in block["command"], (path.name, token)
        per_source[m["source"]].append(int(m["out"]))
        totals[m["source"]] = int(m["total"])
    assert per_source, "no file made by arms extract"
    for source, counts in per_source.items():
        assert sum(counts) / totals[source] < 0.10, f"{source}: excerpt not under 10%"
