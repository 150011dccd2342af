"""Where things are: the project root, the bundled data and the report output.

Notebooks use these so that they run from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "SIPRI_DIR", "REPORTS_DIR", "NOTEBOOKS_DIR", "SHARED_SIPRI_DIR"]

#: The checkout this package lives in (``arms/`` is flat at the top of it).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The bundled SIPRI extract the notebooks read by default.
SIPRI_DIR = PROJECT_ROOT / "data" / "sipri"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: Build output of ``arms report`` (ignored by git).
REPORTS_DIR = PROJECT_ROOT / "reports"
#: Full SIPRI files kept beside the checkout for development (absent on users' machines);
#: ``ARMS_SHARED_SIPRI`` overrides it.
SHARED_SIPRI_DIR = Path(
    os.environ.get("ARMS_SHARED_SIPRI", PROJECT_ROOT.parent / "shared" / "sipri")
)
