"""Fixtures shared by the whole suite.

Fixtures return *paths*; loading is left to the test, so each test shows which reader it uses.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports matplotlib, and inherited by subprocesses (notebook kernels, the CLI):
# tests draw off-screen and never open a window, whatever the developer's own setting.
os.environ["MPLBACKEND"] = "Agg"

TESTS_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def tests_data() -> Path:
    """Return ``tests/data/``, the small hand-made fixture files."""
    return TESTS_DATA


@pytest.fixture(scope="session")
def shared_sipri() -> Path:
    """Return the folder of full SIPRI exports kept beside the checkout, or skip.

    Developers and CI have ``../shared/sipri`` (``arms.paths.SHARED_SIPRI_DIR``, overridden by
    ``ARMS_SHARED_SIPRI``); a user's fresh clone does not, and tests that need it skip.
    """
    from arms.paths import SHARED_SIPRI_DIR

    if not SHARED_SIPRI_DIR.is_dir() or not any(SHARED_SIPRI_DIR.iterdir()):
        pytest.skip(
            f"full SIPRI files are absent ({SHARED_SIPRI_DIR} is missing or empty); "
            "set ARMS_SHARED_SIPRI to a folder of SIPRI exports to run these tests"
        )
    return SHARED_SIPRI_DIR
