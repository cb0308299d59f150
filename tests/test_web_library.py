"""The rumour library page: staff add, edit, retire and import; the running bot answers with it at once."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.harness import to
from tests.web_setup import dashboard, log_in

ROW = {"id": "L101", "claim": "明天全区停电", "verdict": "false", "refutation": "供电公司没有停电计划。",
       "source": "区供电公司", "published_at": "2026-11-20"}


async def test_add_and_the_bot_answers_with_it(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        page = await client.post("/library", data={**ROW, "csrf": csrf})
        html = await page.text()
        assert page.status == 200 and "已保存 L101" in html and "明天全区停电" in html
        replies = await bot.say("幸福小区居民群", "张阿姨", "求证：听说明天全区停电，是真的吗？")
        assert any("供电公司没有停电计划" in r.text for r in to(replies, "幸福小区居民群"))
        audit = await bot.app.store.audit.latest(limit=1)
        assert audit[0].action == "rumors_add" and audit[0].target == "L101"


async def test_bad_rows_are_explained_and_kept_in_the_form(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        bad = await client.post("/library", data={**ROW, "refutation": "", "csrf": csrf})
        html = await bad.text()
        assert bad.status == 400 and "缺少 refutation" in html and "明天全区停电" in html
        await client.post("/library", data={**ROW, "csrf": csrf})
        again = await client.post("/library", data={**ROW, "csrf": csrf})
        assert again.status == 400 and "已在谣言库中" in await again.text()


async def test_edit_replaces_and_retire_stops_answers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        await client.post("/library", data={**ROW, "csrf": csrf})
        form = await (await client.get("/library/L101")).text()
        assert "明天全区停电" in form and 'name="replaces" value="L101"' in form
        edited = await client.post("/library", data={**ROW, "id": "L102", "refutation": "今天检修已完成，不停电。",
                                                     "replaces": "L101", "csrf": csrf})
        assert "L101 已停用" in await edited.text()
        old = await bot.app.store.rumors.get("L101")
        assert old is not None and old.retired
        replies = await bot.say("幸福小区居民群", "张阿姨", "求证：明天全区停电吗")
        assert any("今天检修已完成" in r.text for r in replies)
        retired = await client.post("/library/L102/retire", data={"csrf": csrf})
        assert "已停用 L102" in await retired.text()
        replies = await bot.say("幸福小区居民群", "李大爷", "求证：明天全区停电？")
        assert not any("检修" in r.text for r in replies)
        assert "L101" in await (await client.get("/library?all=1")).text()


async def test_import_a_file(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        text = (Path(__file__).parent.parent / "data" / "rumors.jsonl").read_text(encoding="utf-8")
        form = aiohttp.FormData()
        form.add_field("csrf", csrf)
        form.add_field("file", (text + "{not json\n").encode(), filename="rumors.jsonl")
        page = await client.post("/library/import", data=form)
        html = await page.text()
        lines = [line for line in text.splitlines() if line.strip()]
        assert f"已导入 {len(lines)} 条；有问题未导入 1 行" in html
        gbk = aiohttp.FormData()
        gbk.add_field("csrf", csrf)
        gbk.add_field("file", "编号,说法\nL9,停水".encode("gbk"), filename="rumors.csv")
        assert "不是 UTF-8" in await (await client.post("/library/import", data=gbk)).text()


async def test_owners_may_only_read(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "李书记")
        page = await (await client.get("/library")).text()
        assert "谣言库" in page and "导入文件" not in page
        refused = await client.post("/library", data={**ROW, "csrf": csrf})
        assert refused.status == 403 and await bot.app.store.rumors.get("L101") is None
