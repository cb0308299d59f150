"""The dashboard in a real headless chromium: log in from a chat link, close a ticket (the
resident's group hears it), publish a notice and watch a receipt arrive; on a desktop and on a
390-pixel-wide phone. Screenshots go to $GRIDBOT_SCREENSHOTS (docs/screenshots in the README).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.store.households import HouseholdData
from bot.web.app import start
from tests.harness import BASE_TOML, Bot, to
from tests.peers.browser import chromium
from tests.peers.wechat_gateway import free_port
from tests.web_setup import LINK, file_ticket

VIEWPORTS = {"desktop": (1280, 860), "phone": (390, 844)}


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Bot, str]]:
    """The harness bot with its dashboard on a real port, as ``gridbot run`` serves it."""
    port = free_port()
    bot = await Bot.start(tmp_path, BASE_TOML + f"\n[web]\nport = {port}\n")
    runner: web.AppRunner = await start(bot.app.services, bot.app.dispatcher, "127.0.0.1", port)
    try:
        yield bot, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await bot.close()


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("GRIDBOT_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_close_a_ticket_and_watch_a_receipt(served: tuple[Bot, str], tmp_path: Path, size: str) -> None:
    bot, root = served
    shots = _shots(tmp_path)
    code = await file_ticket(bot, "求助：独居老人<script>alert(1)</script>发烧，需要退烧药 5栋302")
    await file_ticket(bot, "代买：大米一袋 阳光3栋", group="阳光花园居民群", user="赵大爷")
    for i in range(3):  # a register, so the overview has a join rate to show
        await bot.app.store.households.save(HouseholdData("yangguang", f"y{i}", f"阳光{i}栋"), bot.clock())
    link = LINK.search((await bot.say("@", "区指挥部小王", "登录"))[0].text)
    assert link and link.group(0).startswith(root)
    width, height = VIEWPORTS[size]
    async with chromium(tmp_path) as browser:
        page = await browser.new_page(viewport={"width": width, "height": height})
        dialogs: list[str] = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        await page.goto(link.group(0))
        await page.click("#login")
        await page.wait_for_url(root + "/")
        assert await page.locator("table.tree").is_visible()
        await page.screenshot(path=str(shots / f"overview-{size}.png"), full_page=True)

        await page.click("nav >> text=工单")
        await page.click(f"text={code}")
        assert "<script>alert(1)</script>" in await page.locator("#ticket-text").inner_text()
        await page.screenshot(path=str(shots / f"ticket-{size}.png"), full_page=True)
        done = page.locator("form.action", has=page.locator('button[data-verb="完成"]'))
        await done.locator('input[name="text"]').fill("退烧药已送到")
        await done.locator("button").click()
        await page.locator(".said", has_text=f"{code} 已完成").wait_for()
        assert dialogs == []  # the resident's <script> never ran
        await bot.app.outbox.drain("console")
        told = to(bot.adapter.sent, "幸福小区居民群")
        assert told and code in told[-1].text and "退烧药已送到" in told[-1].text

        await page.click("nav >> text=通知")
        await page.select_option('select[name="group"]', "dongcheng")
        await page.fill('textarea[name="text"]', "明早8点起分楼栋领取物资")
        await page.click("text=发布")
        await page.wait_for_url(re.compile(r".*/notices/N\d+$"))
        notice = page.url.rsplit("/", 1)[1]
        assert await page.locator("#confirmed").inner_text() == "0"
        await bot.say("幸福小区居民群", "李书记", f"收到 {notice}")
        # No reload: the page's own polling (static/receipts.js) brings the receipt in.
        await page.locator('tr[data-group="xingfu"] .confirm', has_text="李书记").wait_for(timeout=15000)
        assert await page.locator("#confirmed").inner_text() == "1"
        await page.screenshot(path=str(shots / f"notice-{size}.png"), full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"page is {overflow}px wide in a {width}px viewport"
