"""The report fixtures (built once per session): see report_notebooks.py."""

from report_notebooks import built, na_built  # noqa: F401
