"""The overview: the tree with open / urgent / overdue, join rate and receipts, coloured; the most behind."""

from __future__ import annotations

import re
from pathlib import Path

from bot.store.households import HouseholdData
from tests.web_setup import dashboard, file_ticket, log_in


def _row(html: str, name: str) -> str:
    found = re.search(rf'<tr class="(\w+)">\s*<td[^>]*><a[^>]*>{name}</a></td>(.*?)</tr>', html, re.S)
    assert found, name
    return " ".join([found.group(1), *re.sub(r"<[^>]+>", " ", found.group(2)).split()])


async def test_tree_numbers_and_colours(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await file_ticket(bot, "求助：老人摔倒了 5栋302")  # urgent
        await file_ticket(bot, "代买：米 5栋1", user="乙")
        now = bot.clock()
        for i in range(4):
            await bot.app.store.households.save(HouseholdData("yangguang", f"a{i}", f"阳光{i}栋"), now)
        bot.clock.advance(hours=30)  # past the urgent and normal SLA
        await bot.say("@", "区指挥部小王", "通知 河西区指挥部：明早8点核酸")
        await bot.say("东城街道群", "刘主任", "收到 N1")
        await log_in(bot, client, "区指挥部小王")
        html = await (await client.get("/")).text()
        assert _row(html, "幸福小区居民群").startswith("bad 2 1 2 — 0/1")
        assert _row(html, "阳光花园居民群") == "warn 0 0 0 0% 0/1"
        assert _row(html, "东城街道群").startswith("warn 0 0 0 — 1/3")
        behind = html.split('class="behind"', 1)[1].split("</section>", 1)[0]
        assert behind.index("幸福小区居民群") < behind.index("阳光花园居民群")
        assert "N1" in html


async def test_owners_see_their_subtree_only(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "刘主任")
        html = await (await client.get("/")).text()
        assert "东城街道群" in html and "幸福小区居民群" in html and "河西区指挥部" not in html
