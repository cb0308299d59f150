"""deploy/gridbot.service: a systemd unit an IT volunteer can install as shipped.

``systemd-analyze verify`` checks it for real where the tool exists (Debian's ``systemd``
package; .ci/run installs it when missing). Everywhere, the unit is parsed and the keys the
README promises are checked: a dedicated user, tokens from a root-only environment file,
restart on failure, and the hardening.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UNIT = REPO / "deploy" / "gridbot.service"
HOME = "/opt/gridbot"


def unit() -> configparser.ConfigParser:
    """The unit as sections of keys (systemd's syntax is INI with '#' comments)."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_unit_runs_gridbot_as_its_own_user_with_tokens_from_the_environment_file() -> None:
    service = unit()["Service"]
    assert service["User"] == service["Group"] == "gridbot"
    assert service["WorkingDirectory"] == HOME
    assert service["EnvironmentFile"] == "/etc/gridbot/env"
    assert service["ExecStart"] == f"{HOME}/.venv/bin/gridbot run"
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == "2"  # a config mistake: restarting cannot help
    assert service["KillSignal"] == "SIGINT" and service["SuccessExitStatus"] == "130"
    assert unit()["Install"]["WantedBy"] == "multi-user.target"
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["gridbot"] == "bot.cli:main"  # what .venv/bin/gridbot runs


def test_unit_is_hardened_and_writes_only_to_data() -> None:
    service = unit()["Service"]
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == f"{HOME}/data"
    assert service["PrivateTmp"] == "yes"
    assert service["ProtectHome"] == "yes"
    assert service["UMask"] == "0077"
    assert service["CapabilityBoundingSet"] == ""


def test_install_steps_in_the_unit_match_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    text = UNIT.read_text(encoding="utf-8")
    for step in ("install -d -o gridbot -g gridbot -m 700 /opt/gridbot/data",
                 "install -m 600 /dev/null /etc/gridbot/env", "systemctl enable --now gridbot",
                 "journalctl -u gridbot"):
        assert step in text and step in readme, step


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (Debian: apt-get install systemd)")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart exists and is executable: stand in for /opt/gridbot.
    home = tmp_path / "opt" / "gridbot"
    (home / "data").mkdir(parents=True)
    program = home / ".venv" / "bin" / "gridbot"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    copy = tmp_path / "gridbot.service"
    copy.write_text(UNIT.read_text(encoding="utf-8").replace(HOME, str(home)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True,
                            timeout=60)
    # Unknown keys and bad values are only warnings (exit 0), so any line naming the unit fails.
    about_unit = [line for line in result.stderr.splitlines() if "gridbot.service" in line]
    assert result.returncode == 0 and not about_unit, result.stderr


def test_verify_would_catch_a_typo(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported (where the tool exists)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    copy = tmp_path / "gridbot.service"
    copy.write_text(UNIT.read_text(encoding="utf-8").replace("ProtectSystem=", "ProtectSytem="),
                    encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True,
                            timeout=60)
    assert "ProtectSytem" in result.stderr
