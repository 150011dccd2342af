"""The report's citation files: ``citation.bib`` and ``citation.json`` next to its index.

The same entries ``arms cite FILE`` prints (:func:`arms.text.bibtex`, :func:`arms.text.csl_json`),
one per data file the pages recorded; files generated on the same day get keys ``..._2``,
``..._3`` so that every key is unique.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from arms.text import bibtex, citation_key, csl_json

__all__ = ["BIBTEX_FILE", "CSL_FILE", "write_citations"]

#: Names of the files written next to the index.
BIBTEX_FILE = "citation.bib"
CSL_FILE = "citation.json"


def write_citations(sources: Iterable[Mapping], out: str | Path) -> list[Path]:
    """Write the BibTeX and CSL-JSON citations of the report's data files into ``out``.

    Parameters
    ----------
    sources : iterable of mapping
        Source records (``generated``, ``path``, ``sha256``...), as the report collects them.
        With none, the database is cited undated.
    out : str or pathlib.Path
        The report's folder.

    Returns
    -------
    list of pathlib.Path
        ``[out/citation.bib, out/citation.json]``.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> files = write_citations([{"generated": "2024-10-13", "path": "a.csv"},
    ...                          {"generated": "2024-10-13", "path": "b.csv"}], out)
    >>> [f.name for f in files], [i["id"] for i in json.loads(files[1].read_text())]
    (['citation.bib', 'citation.json'], ['sipri_atd_2024_10_13', 'sipri_atd_2024_10_13_2'])
    """
    out = Path(out)
    records = [dict(s) for s in sources] or [{}]
    seen: dict[str, int] = {}
    entries, items = [], []
    for source in records:
        base = citation_key(source)
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}_{seen[base]}"
        entries.append(bibtex(source, key=key))
        items.extend(csl_json(source, key=key))
    bib = out / BIBTEX_FILE
    bib.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    csl = out / CSL_FILE
    csl.write_text(json.dumps(items, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [bib, csl]
