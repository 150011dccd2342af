"""Sources: bytes decoded once, line breaks normalised, containers recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

import arms
from arms.io.sources import load_source

READERS = Path(__file__).resolve().parents[1] / "data" / "readers"


def test_text_source_lines_and_offset():
    src = load_source(READERS / "v3-imports.csv")
    assert src.info.container == "text" and src.records is None
    header = src.lines[src.info.header_line - 1]
    assert header.startswith("Recipient,")
    assert src.text[src.data_offset :].startswith(src.lines[src.info.header_line])


def test_crlf_is_normalised(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Recipient,2020,2020-2020\r\nArmenia,4,4\r\n")
    src = load_source(path)
    assert "\r" not in src.text and "crlf" in src.info.quirks


def test_json_source_keeps_the_records():
    src = load_source(READERS / "v9-backend.json")
    assert src.info.container == "json" and isinstance(src.records, list)


def test_path_type_checked():
    with pytest.raises(TypeError, match="path must be"):
        load_source(42)
    with pytest.raises(arms.SipriFormatError, match="directory"):
        load_source(READERS)
