"""The campaign pages: progress per option and group, the households to call with their phones."""

from __future__ import annotations

import re
from pathlib import Path

from tests.campaign_setup import GROUP, register
from tests.harness import BASE_TOML
from tests.web_setup import dashboard, log_in


async def test_progress_and_missing_households(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await register(bot)
        await bot.say("@", "李书记", "接龙 核酸<b>检测</b> 选项 已做 未做 截止 18:00")
        await bot.say(GROUP, "张阿姨", "3-2-501 已做")
        await bot.say(GROUP, "李大爷", "3-2-502 未做")
        await log_in(bot, client, "李书记")
        listing = await (await client.get("/campaigns")).text()
        assert "C1" in listing and "核酸&lt;b&gt;检测&lt;/b&gt;" in listing and "进行中" in listing
        html = await (await client.get("/campaigns/C1")).text()
        assert "<b>检测</b>" not in html
        options = html.split('id="options"', 1)[1].split("</table>", 1)[0]
        assert "<td>已做</td><td>1</td>" in options and "<td>未做</td><td>1</td>" in options
        assert '<b id="answered">2</b>/<b>4</b>' in html
        missing = html.split('id="missing"', 1)[1].split("</table>", 1)[0]
        assert "3栋2单元503" in missing and "13812345673" in missing and "赵六" in missing
        assert "3栋2单元501" not in missing


async def test_scoped_to_the_viewers_groups(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await register(bot)
        await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做")
        await log_in(bot, client, "陈网格员")  # owner of 阳光花园 only
        # As a word: the page's random CSRF token may hold the letters "C1".
        assert re.search(r"\bC1\b", await (await client.get("/campaigns")).text()) is None
        page = await client.get("/campaigns/C1")
        assert page.status == 404 and "13812345673" not in await page.text()
        assert (await client.get("/campaigns/Cx")).status == 404


async def test_grid_workers_are_not_shown_phones(tmp_path: Path) -> None:
    toml_grid = '\n[[grids]]\nkey = "g1"\nname = "一网格"\ngroup = "xingfu"\nworkers = ["网格员小周"]\n'
    async with dashboard(tmp_path, BASE_TOML + toml_grid) as (bot, client):
        await register(bot)
        await bot.say("@", "李书记", "接龙 核酸检测 选项 已做 未做")
        await log_in(bot, client, "网格员小周")
        for path in ("/campaigns", "/campaigns/C1"):
            page = await client.get(path)
            assert page.status == 403 and "13812345673" not in await page.text()
