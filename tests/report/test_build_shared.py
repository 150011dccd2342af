"""Reports built from the full SIPRI exports in ../shared/sipri (slow; skipped without them).

For every full trade register and deliveries file there, a report of the recipient profile
for three recipients other than the case study's (the file's largest, found at test time)
and the supplier profile of its largest supplier, checked as a reader would: no failed page,
the index cites exactly the file given, every figure has a title and alt text, and no page
shows a path of this machine.
"""

from __future__ import annotations

import re

import pytest

import arms
from arms import report
from arms.io import discovery

CASE_STUDY = {"Azerbaijan", "Armenia"}
KINDS = ("register", "supplier_register", "deliveries", "supplier_deliveries")


def _full_files(folder):
    found = discovery.describe(folder)
    return sorted(str(n) for n, r in zip(found["name"], found["role"], strict=True) if r in KINDS)


def _top_recipients(path, n=3) -> list[str]:
    """The file's largest recipients by TIV, then by deliveries (a file may have no TIV)."""
    d = arms.load(path, kind="deliveries")
    d = d.assign(tiv=d["tiv"].astype("Float64").fillna(0))
    top = d.groupby("recipient").agg(tiv=("tiv", "sum"), rows=("tiv", "size"))
    top = top.sort_values(["tiv", "rows"], ascending=False)
    return [str(r) for r in top.index if r not in CASE_STUDY][:n]


def _top_supplier(path) -> str:
    """The file's largest supplier by TIV, then by deliveries."""
    d = arms.load(path, kind="deliveries")
    d = d.assign(tiv=d["tiv"].astype("Float64").fillna(0))
    top = d.groupby("supplier").agg(tiv=("tiv", "sum"), rows=("tiv", "size"))
    return str(top.sort_values(["tiv", "rows"], ascending=False).index[0])


def _pytest_files():
    from arms.paths import SHARED_SIPRI_DIR

    if not SHARED_SIPRI_DIR.is_dir():
        return ["absent"]
    return _full_files(SHARED_SIPRI_DIR) or ["absent"]


@pytest.mark.slow
@pytest.mark.parametrize("name", _pytest_files())
def test_report_from_a_full_file(shared_sipri, tmp_path, name):
    path = shared_sipri / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    recipients = _top_recipients(path)
    supplier = _top_supplier(path)
    # the data-quality page too, on the largest file; the profiles on every file
    pages = ["01", "05", "06"] if name.startswith("tradereg-newportal-MJ") else ["05", "06"]
    result = report.build_report(
        out=tmp_path / "out",
        data=path,
        recipients=recipients,
        suppliers=[supplier],
        pages=pages,
        jobs=2,
    )
    assert not result.failures, [str(f) for f in result.failures]
    assert [p.recipient for p in result.pages if p.recipient] == recipients
    assert [p.supplier for p in result.pages if p.supplier] == [supplier]
    assert [s["path"] for s in result.data_files] == [name]  # the file given, nothing else
    html = {p.slug: p.html.read_text(encoding="utf-8") for p in result.pages}
    html["index"] = result.index.read_text(encoding="utf-8")
    for slug, text in html.items():
        assert str(shared_sipri) not in text and str(tmp_path) not in text, slug
        assert not re.search(r"(/work/|/tmp/|/home/|[A-Z]:\\\\)", text), slug
        assert "No description has been provided" not in text, slug
        assert "&lt;NA&gt;" not in text, slug
    for page in result.pages:
        if page.status == "not applicable":  # e.g. a file without TIV: the page says why
            assert "needs" in page.not_applicable and "Not applicable" in html[page.slug]
            continue
        who = page.recipient or page.supplier
        if who is None:
            continue
        assert page.figures, page.slug
        for png in page.figures:
            caption = page.captions.get(png.stem, "")
            assert who in caption and re.search(r"\d{4}", caption), caption
        assert len(re.findall(r'<img[^>]* alt="Chart: [^"]+"', html[page.slug])) >= len(
            page.figures
        )
