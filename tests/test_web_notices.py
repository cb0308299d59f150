"""The notice pages: publishing is chat's 通知 (review gates and all); receipts as they arrive."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import BASE_TOML, to
from tests.web_setup import dashboard, log_in

REVIEWED = BASE_TOML.replace('level = "township"\n', 'level = "township"\nreview = true\n')


async def test_publish_and_watch_receipts(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "刘主任")
        page = await client.get("/notices")
        assert "东城街道群" in await page.text()
        published = await client.post("/notices", data={"csrf": csrf, "group": "dongcheng",
                                                         "text": "明早8点<b>核酸</b>"}, allow_redirects=False)
        assert published.status == 303 and published.headers["Location"] == "/notices/N1"
        html = await (await client.get("/notices/N1")).text()
        assert "&lt;b&gt;核酸&lt;/b&gt;" in html and "<b>核酸</b>" not in html
        await bot.app.outbox.drain("console")
        assert to(bot.adapter.sent, "幸福小区居民群") and to(bot.adapter.sent, "阳光花园居民群")
        before = await (await client.get("/notices/N1/receipts")).json()
        assert before["confirmed"] == 0 and before["total"] == 3
        await bot.say("幸福小区居民群", "李书记", "收到 N1")
        after = await (await client.get("/notices/N1/receipts")).json()
        assert after["confirmed"] == 1
        line = next(g for g in after["groups"] if g["key"] == "xingfu")
        assert line["confirmed_by"] == "李书记" and line["confirmed_at"]


async def test_only_this_group(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "刘主任")
        await client.post("/notices", data={"csrf": csrf, "group": "dongcheng", "only": "1", "text": "会议改到下午"})
        receipts = await (await client.get("/notices/N1/receipts")).json()
        assert [g["key"] for g in receipts["groups"]] == ["dongcheng"]


async def test_review_gates_hold_it_as_in_chat(tmp_path: Path) -> None:
    async with dashboard(tmp_path, REVIEWED) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        await client.post("/notices", data={"csrf": csrf, "group": "hexi", "text": "全区明日停课"})
        states = {g["key"]: g["state"] for g in (await (await client.get("/notices/N1/receipts")).json())["groups"]}
        assert states["xingfu"] == "待审核" and states["dongcheng"] != "待审核"
        await bot.app.outbox.drain("console")
        assert "同意 N1" in to(bot.adapter.sent, "@刘主任")[-1].text  # asked to review, as in chat
        await bot.say("@", "刘主任", "同意 N1")
        states = {g["key"]: g["state"] for g in (await (await client.get("/notices/N1/receipts")).json())["groups"]}
        assert states["xingfu"] != "待审核"


async def test_refusals_are_chats_answers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "陈网格员")  # owner of 阳光花园 only
        html = await (await client.get("/notices")).text()
        assert "阳光花园居民群" in html and 'value="xingfu"' not in html
        refused = await client.post("/notices", data={"csrf": csrf, "group": "xingfu", "text": "停水"})
        assert "不是「幸福小区居民群」的负责人" in await refused.text()
        empty = await client.post("/notices", data={"csrf": csrf, "group": "yangguang", "text": " "})
        assert "请写上通知内容" in await empty.text()


async def test_receipts_are_scoped(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await bot.say("@", "李书记", "通知 幸福小区居民群：楼道消杀")
        await log_in(bot, client, "陈网格员")
        assert (await client.get("/notices/N1")).status == 404
        assert (await client.get("/notices/N1/receipts")).status == 404
        # As a word: the page's random CSRF token may hold the letters "N1".
        page = re.sub(r"<script.*?</script>", "", await (await client.get("/notices")).text())
        assert re.search(r"\bN1\b", page) is None


async def test_the_reviewer_approves_on_the_page(tmp_path: Path) -> None:
    async with dashboard(tmp_path, REVIEWED) as (bot, client):
        await bot.say("@", "区指挥部小王", "通知 河西区指挥部：全区明日停课")
        csrf = await log_in(bot, client, "刘主任")
        page = await (await client.get("/notices/N1")).text()
        assert 'id="approve"' in page
        approved = await client.post("/notices/N1/approve", data={"csrf": csrf})
        html = await approved.text()
        assert "已同意通知 N1" in html and 'id="approve"' not in html
        await bot.app.outbox.drain("console")
        assert any("全区明日停课" in r.text for r in to(bot.adapter.sent, "幸福小区居民群"))


async def test_someone_else_cannot_approve(tmp_path: Path) -> None:
    async with dashboard(tmp_path, REVIEWED) as (bot, client):
        await bot.say("@", "区指挥部小王", "通知 河西区指挥部：全区明日停课")
        csrf = await log_in(bot, client, "陈网格员")  # a village owner: not the reviewing level
        refused = await client.post("/notices/N1/approve", data={"csrf": csrf})
        assert refused.status == 404  # held for review, it has not reached their group yet
        notice = await bot.app.store.notices.get("N1")
        assert notice is not None
        held = {d.group_key for d in await bot.app.store.notices.deliveries(notice) if d.state == "held"}
        assert {"xingfu", "yangguang"} <= held
