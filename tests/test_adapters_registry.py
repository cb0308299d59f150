"""The platform registry: one entry per platform, SDKs loaded only when a platform is used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot import adapters, config
from bot.adapter import make_adapter
from tests.harness import make_config, open_app


def test_every_registered_platform_is_a_config_platform_with_a_label() -> None:
    assert adapters.NAMES == config.PLATFORMS == ("console", "telegram", "wechat")
    assert [adapters.label(n) for n in adapters.NAMES] == ["控制台", "Telegram", "微信"]
    assert adapters.label("qq") == "qq"
    assert {p.section for p in adapters.REGISTRY.values()} <= {"", *config.KNOWN_KEYS}


async def test_the_console_factory_builds_the_console_adapter(tmp_path: Path) -> None:
    app = await open_app(make_config(tmp_path))
    try:
        adapter = make_adapter("console", app.services)
        assert adapter.platform == "console" and adapter.self_draining
    finally:
        await app.close()


def test_a_console_run_never_imports_the_telegram_or_wechat_sdk() -> None:
    probe = ("import sys, bot.cli, bot.commands, handlers; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'telegram', 'wechaty_puppet_service'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_registered_module_builds_its_adapter_from_services() -> None:
    import importlib
    import inspect

    for platform in adapters.REGISTRY.values():
        create = importlib.import_module(platform.module).create
        assert list(inspect.signature(create).parameters) == ["services"], platform.name
