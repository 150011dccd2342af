"""Tests of arms.report.config: report.toml settings and the checks before a build."""

from __future__ import annotations

import pytest

from arms import report
from arms.errors import ArmsError


def test_bundled_settings_are_todays_report():
    found = report.settings()
    assert found.title == (
        "Who armed Azerbaijan and Armenia? SIPRI arms transfers, notebook report"
    )
    assert found.recipients == ("Azerbaijan", "Armenia")
    assert found.template_notebook == "05-recipient-profile"
    assert found.path.name == "report.toml"
    # the names arms.report exported before the settings moved to report.toml
    assert report.DEFAULT_RECIPIENTS == ("Azerbaijan", "Armenia")
    assert report.TEMPLATE_NOTEBOOK == "05-recipient-profile"


def test_folder_without_settings_is_generic(tmp_path):
    found = report.settings(tmp_path)
    assert (found.recipients, found.template_notebook, found.path) == ((), None, None)
    assert "Azerbaijan" not in found.title


@pytest.mark.parametrize(
    "toml, message",
    [
        ("title = ", "not a valid settings file"),
        ("colour = 'red'", "unknown setting"),
        ("recipients = 'Armenia'", "a list of strings"),
    ],
)
def test_bad_settings(tmp_path, toml, message):
    (tmp_path / "report.toml").write_text(toml)
    with pytest.raises(ArmsError, match=message):
        report.settings(tmp_path)


def test_check_recipients():
    report.check_recipients(["azerbaijan", "Turkey", "Pakistan"])  # any SIPRI spelling
    with pytest.raises(ArmsError, match="unknown recipient 'Azerbajan'; did you mean Azerbaijan"):
        report.check_recipients(["Azerbajan"])
    with pytest.raises(ArmsError, match="unknown recipients: 'Azerbajan' .*, 'Xyzzy'"):
        report.check_recipients(["Azerbajan", "Xyzzy"])
