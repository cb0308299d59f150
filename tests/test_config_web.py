"""``[web]``: defaults bind 127.0.0.1:8080; bad values are named with an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from tests.harness import BASE_TOML, make_config


def test_defaults(tmp_path: Path) -> None:
    web = make_config(tmp_path).web
    assert (web.enabled, web.host, web.port, web.url, web.secure) == (False, "127.0.0.1", 8080,
                                                                      "http://127.0.0.1:8080", False)


def test_base_url_and_https(tmp_path: Path) -> None:
    toml = BASE_TOML + '[web]\nenabled = true\nport = 9000\nbase_url = "https://g.example.org/"\nsession_hours = 2\n'
    web = make_config(tmp_path, toml).web
    assert web.enabled and web.port == 9000 and web.url == "https://g.example.org" and web.secure
    assert web.session_hours == 2


@pytest.mark.parametrize(("line", "key", "why"), [
    ("port = 0", "web.port", "端口号"),
    ('port = "80"', "web.port", "端口号"),
    ('base_url = "g.example.org"', "web.base_url", "http://"),
    ("session_hours = 0", "web.session_hours", "720"),
    ("prot = 8080", "web.prot", "port"),
])
def test_bad_values_are_named(tmp_path: Path, line: str, key: str, why: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make_config(tmp_path, BASE_TOML + f"[web]\n{line}\n")
    assert key in str(caught.value) and why in str(caught.value)
