"""Exceptions raised by :mod:`arms`.

Every error a user can trigger with bad input is one of these, so callers (and the CLI) can
catch them without catching programming errors.
"""

from __future__ import annotations

__all__ = [
    "ArmsError",
    "FetchError",
    "NotApplicable",
    "SipriFormatError",
    "UnknownCategoryError",
    "UnknownEntityError",
]


class ArmsError(Exception):
    """Base class of every error :mod:`arms` raises on purpose."""


class SipriFormatError(ArmsError, ValueError):
    """A file is not a SIPRI export of the kind asked for, or a line of it cannot be read.

    Parameters
    ----------
    message : str
        What was expected and what was found.
    path : str, optional
        The file.
    line : int, optional
        The 1-based physical line number where the problem is.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}, line {line}"
            where += ": "
        super().__init__(where + message)


class UnknownEntityError(ArmsError, KeyError):
    """Party names that the entity crosswalk does not know.

    Parameters
    ----------
    names : list of str
        Every unknown name, so one run shows them all.
    """

    def __init__(self, names):
        self.names = sorted(set(names))
        super().__init__(
            f"{len(self.names)} unknown party name(s): " + ", ".join(map(repr, self.names))
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class UnknownCategoryError(ArmsError, KeyError):
    """Weapon descriptions that no category rule places."""

    def __init__(self, descriptions):
        self.descriptions = sorted(set(descriptions))
        super().__init__(
            f"{len(self.descriptions)} unknown weapon description(s): "
            + ", ".join(map(repr, self.descriptions))
        )

    def __str__(self) -> str:
        return self.args[0]


class FetchError(ArmsError):
    """The SIPRI backend did not return the data asked for."""


class NotApplicable(ArmsError):
    """A page does not apply to the data it was given (a case-study page without its parties).

    Raised by a notebook, usually through :func:`arms.analysis.require`, before it computes
    anything. :func:`arms.report.build_report` writes such a page with the message instead of its
    content, marks it "not applicable" in the index (not "failed": the build still
    succeeds) and collects none of its figures, tables or key figures. In Jupyter the cell
    shows the message alone, without a traceback.

    Examples
    --------
    >>> str(NotApplicable("this page needs deliveries to Armenia; the file x.csv has none"))
    'this page needs deliveries to Armenia; the file x.csv has none'
    """

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"Not applicable: {self}"]
