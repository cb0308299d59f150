"""The dashboard in a real headless chromium against a real ``gridbot run`` on the console with
``[web] enabled``: a staff member gets a login link from the console bot, closes a ticket on the
web (the resident's group receives it in the console transcript), publishes a notice and sees
an owner's 收到 arrive without reloading, then reads the day's report with its charts; on a desktop and on a 390-pixel-wide phone.
Screenshots go to $GRIDBOT_SCREENSHOTS (docs/screenshots in the README).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console_process import ConsoleRun, free_port
from tests.harness import BASE_TOML
from tests.peers.browser import chromium
from tests.web_setup import LINK

VIEWPORTS = {"desktop": (1280, 860), "phone": (390, 844)}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ConsoleRun, str]]:
    """``gridbot run`` on the console with the dashboard on a free port."""
    port = free_port()
    (tmp_path / "bot.toml").write_text(BASE_TOML + f"\n[web]\nenabled = true\nport = {port}\n",
                                       encoding="utf-8")
    bot = ConsoleRun(tmp_path)
    root = f"http://127.0.0.1:{port}"
    try:
        bot.wait_http(root + "/static/style.css")
        yield bot, root
    finally:
        assert bot.close() == 0


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("GRIDBOT_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


async def _printed(bot: ConsoleRun, text: str) -> str:
    return await asyncio.to_thread(bot.wait_for, text)


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_close_a_ticket_and_watch_a_receipt(served: tuple[ConsoleRun, str], tmp_path: Path,
                                                  size: str) -> None:
    bot, root = served
    shots = _shots(tmp_path)
    bot.say("幸福小区居民群|张阿姨|求助：独居老人<script>alert(1)</script>发烧，需要退烧药 5栋302")
    found = re.search(r"工单 (E\d+)", await _printed(bot, "已登记"))
    assert found
    code = found.group(1)
    bot.say("阳光花园居民群|赵大爷|代买 大米一袋 阳光1栋101")
    await _printed(bot, "[阳光花园居民群] @赵大爷 已登记")
    bot.say("@|区指挥部小王|登录")
    link = LINK.search(await _printed(bot, "/login/"))
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
        await page.screenshot(path=str(shots / f"tickets-{size}.png"), full_page=True)
        await page.click(f"text={code}")
        assert "<script>alert(1)</script>" in await page.locator("#ticket-text").inner_text()
        await page.screenshot(path=str(shots / f"ticket-{size}.png"), full_page=True)
        done = page.locator("form.action", has=page.locator('button[data-verb="完成"]'))
        await done.locator('input[name="text"]').fill("退烧药已送到")
        await done.locator("button").click()
        await page.locator(".said", has_text=f"{code} 已完成").wait_for()
        assert dialogs == []  # the resident's <script> never ran
        told = await _printed(bot, f"[幸福小区居民群] @张阿姨 您的工单 {code} 已完成")
        assert "退烧药已送到" in told

        await page.click("nav >> text=通知")
        await page.select_option('select[name="group"]', "dongcheng")
        await page.fill('textarea[name="text"]', "明早8点起分楼栋领取物资")
        await page.click("text=发布")
        await page.wait_for_url(re.compile(r".*/notices/N\d+$"))
        notice = page.url.rsplit("/", 1)[1]
        assert await page.locator("#confirmed").inner_text() == "0"
        await _printed(bot, f"[幸福小区居民群] 【通知 {notice}】")
        bot.say(f"幸福小区居民群|李书记|收到 {notice}")
        # No reload: the page's own polling (static/receipts.js) brings the receipt in.
        await page.locator('tr[data-group="xingfu"] .confirm', has_text="李书记").wait_for(timeout=15000)
        assert await page.locator("#confirmed").inner_text() == "1"
        await page.screenshot(path=str(shots / f"notice-{size}.png"), full_page=True)

        await page.click("nav >> text=报表")
        await page.wait_for_url(root + "/reports")
        figures = page.locator("table.figures")
        assert await figures.is_visible()
        assert await figures.locator("tr", has_text="新增工单").locator("td").first.inner_text() == "2"
        charts = page.locator(".charts img")
        assert await charts.count() == 3
        # Drawn by the server on request (matplotlib in a worker thread): wait until each decoded.
        await page.wait_for_function(
            "[...document.querySelectorAll('.charts img')].every(i => i.complete && i.naturalWidth > 0)",
            timeout=60000)
        await page.screenshot(path=str(shots / f"reports-{size}.png"), full_page=True)
        for path in ("/notices/" + notice, "/", "/tickets", "/notices", "/campaigns", "/library", "/faq",
                     "/reports", "/reports/ranking"):
            if path != "/notices/" + notice:
                await page.goto(root + path)
            overflow = await page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{path} is {overflow}px wide in a {width}px viewport"
        await page.screenshot(path=str(shots / f"faq-{size}.png"), full_page=False)
