"""What the report is asked to build: the case-study settings and checks of the arguments.

The title, the recipients and the recipient template notebook are the case study's, not the
code's: they are rows of ``report.toml`` next to the notebooks (reviewed with them), read by
:func:`settings`; ``arms report --title/--recipient/--supplier`` override them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from arms import entities, paths
from arms.analysis import suggest_names
from arms.errors import ArmsError
from arms.io import detect_format

__all__ = [
    "GENERIC_TITLE",
    "SETTINGS_FILE",
    "ReportSettings",
    "check_data_file",
    "check_recipients",
    "settings",
]

#: The settings file read from the notebooks' folder.
SETTINGS_FILE = "report.toml"
#: The index's title when the notebooks' folder has no settings file.
GENERIC_TITLE = "SIPRI arms transfers, notebook report"


@dataclass(frozen=True)
class ReportSettings:
    """The report's case-study settings (``report.toml`` next to the notebooks).

    Attributes
    ----------
    title : str
        Title of the index (``title``).
    recipients : tuple of str
        Recipients the template notebook is run for (``recipients``).
    template_notebook : str or None
        Stem of the notebook run once per recipient (``template_notebook``); ``None``: none.
    suppliers : tuple of str
        Suppliers the supplier template notebook is run for (``suppliers``); by default none,
        so no supplier page is built unless asked for (``arms report --supplier``).
    supplier_template_notebook : str or None
        Stem of the notebook run once per supplier (``supplier_template_notebook``).
    path : pathlib.Path or None
        The file read; ``None`` when there is none (generic settings).
    """

    title: str = GENERIC_TITLE
    recipients: tuple[str, ...] = ()
    template_notebook: str | None = None
    path: Path | None = None
    suppliers: tuple[str, ...] = ()
    supplier_template_notebook: str | None = None


def settings(notebook_dir: str | os.PathLike | None = None) -> ReportSettings:
    """Return the report settings kept next to the notebooks in ``report.toml``.

    Parameters
    ----------
    notebook_dir : path, optional
        The notebooks' folder; defaults to the project's ``notebooks/``. A folder without
        ``report.toml`` gets generic settings (a generic title, no recipient template).

    Returns
    -------
    ReportSettings

    Raises
    ------
    ArmsError
        If the file is not valid TOML, has unknown keys or values of the wrong type.

    Examples
    --------
    >>> s = settings()
    >>> s.template_notebook, s.path.name
    ('05-recipient-profile', 'report.toml')
    """
    folder = Path(paths.NOTEBOOKS_DIR if notebook_dir is None else notebook_dir)
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return ReportSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArmsError(f"{path} is not a valid settings file: {exc}") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ArmsError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    title = data.get("title", GENERIC_TITLE)
    recipients = data.get("recipients", [])
    template = data.get("template_notebook")
    suppliers = data.get("suppliers", [])
    supplier_template = data.get("supplier_template_notebook")
    if (
        not isinstance(title, str)
        or not all(_strings(v) for v in (recipients, suppliers))
        or not all(t is None or isinstance(t, str) for t in (template, supplier_template))
    ):
        raise ArmsError(
            f"{path}: title, template_notebook and supplier_template_notebook must be "
            "strings, recipients and suppliers each a list of strings"
        )
    return ReportSettings(
        title,
        tuple(recipients),
        template or None,
        path,
        tuple(suppliers),
        supplier_template or None,
    )


_KEYS = {"title", "recipients", "template_notebook", "suppliers", "supplier_template_notebook"}


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check_recipients(recipients: Iterable[str], *, role: str = "recipient") -> None:
    """Check recipient names against the entity crosswalk before any notebook runs.

    Parameters
    ----------
    recipients : iterable of str
        Names in any SIPRI spelling (case and accents are ignored).
    role : str, default "recipient"
        What the names are, for the message (``"supplier"`` for ``--supplier``).

    Raises
    ------
    ArmsError
        Naming every unknown recipient, with the closest known names
        (:func:`arms.analysis.suggest_names`).

    Examples
    --------
    >>> check_recipients(["Azerbaijan", "armenia", "Turkey"])
    >>> check_recipients(["Azerbajan"])
    Traceback (most recent call last):
    ...
    arms.errors.ArmsError: unknown recipient 'Azerbajan'; did you mean Azerbaijan?
    >>> check_recipients(["Rusia"], role="supplier")
    Traceback (most recent call last):
    ...
    arms.errors.ArmsError: unknown supplier 'Rusia'; did you mean Russia, Tunisia, Austria?
    """
    unknown = [r for r in recipients if entities.lookup(str(r)) is None]
    if not unknown:
        return
    table = entities.entity_table()
    known = [*table["canonical_name"].dropna(), *table["sipri_name"].dropna()]
    parts = []
    for name in unknown:
        close = suggest_names(str(name), known)
        hint = f"did you mean {', '.join(close)}?" if close else "not a SIPRI party name"
        parts.append(f"{name!r} ({hint})" if len(unknown) > 1 else f"{name!r}; {hint}")
    if len(unknown) == 1:
        raise ArmsError(f"unknown {role} {parts[0]}")
    raise ArmsError(f"unknown {role}s: {', '.join(parts)}")


def check_data_file(path: Path) -> None:
    """Fail before running anything when a ``--data`` file cannot feed the pages.

    This validates the user's argument (it is not provenance: the report cites only what the
    pages record). Without it a TIV table or a stray file would fail every page deep in a
    notebook; with it the build stops at once with one clear line.
    """
    needs = "the report needs a trade register or deliveries file"
    try:
        kind = detect_format(path).kind
    except ArmsError as exc:
        reason = getattr(exc, "reason", exc)
        raise ArmsError(f"{path.name} is not a SIPRI export ({reason}); {needs}") from None
    if kind == "tiv":
        raise ArmsError(f"{path.name} is a TIV table; {needs}")
