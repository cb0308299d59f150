"""The policy Q&A page: staff add, edit, retire and import; the bot answers with it at once."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.harness import to
from tests.web_setup import dashboard, log_in

ROW = {"id": "P101", "question": "核酸检测点在哪里", "variants": "哪里可以做核酸\n核酸在哪做",
       "answer": "社区卫生服务中心门口，每天8点到12点。", "source": "区防控办", "scope": ""}
GROUP = "幸福小区居民群"


async def test_add_and_the_bot_answers_with_it(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        page = await client.post("/faq", data={**ROW, "csrf": csrf})
        html = await page.text()
        assert page.status == 200 and "已保存 P101" in html and "哪里可以做核酸" in html
        replies = await bot.say(GROUP, "张阿姨", "请问哪里可以做核酸？")
        assert any("社区卫生服务中心门口" in r.text for r in to(replies, GROUP))


async def test_bad_rows_and_scope_are_explained(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        bad = await client.post("/faq", data={**ROW, "answer": "", "csrf": csrf})
        assert bad.status == 400 and "缺少 answer" in await bad.text()
        nowhere = await client.post("/faq", data={**ROW, "scope": "nowhere", "csrf": csrf})
        assert nowhere.status == 400 and "不是已知的群" in await nowhere.text()


async def test_edit_replaces_and_retire_stops_answers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        await client.post("/faq", data={**ROW, "csrf": csrf})
        form = await (await client.get("/faq/P101")).text()
        assert "哪里可以做核酸" in form and 'name="replaces" value="P101"' in form
        await client.post("/faq", data={**ROW, "id": "P102", "answer": "改到体育馆，每天9点到17点。",
                                         "replaces": "P101", "csrf": csrf})
        replies = await bot.say(GROUP, "张阿姨", "请问核酸检测点在哪里？")
        said = " ".join(r.text for r in replies)
        assert "体育馆" in said and "卫生服务中心" not in said
        retired = await client.post("/faq/P102/retire", data={"csrf": csrf})
        assert "已停用 P102" in await retired.text()
        replies = await bot.say(GROUP, "李大爷", "请问核酸检测点在哪里？")
        assert not any("体育馆" in r.text for r in replies)


async def test_import_a_file(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "区指挥部小王")
        text = (Path(__file__).parent.parent / "data" / "faq.jsonl").read_text(encoding="utf-8")
        form = aiohttp.FormData()
        form.add_field("csrf", csrf)
        form.add_field("file", text.encode(), filename="faq.jsonl")
        html = await (await client.post("/faq/import", data=form)).text()
        lines = [line for line in text.splitlines() if line.strip()]
        assert f"已导入 {len(lines)} 条；有问题未导入 0 行" in html
        again = aiohttp.FormData()
        again.add_field("csrf", csrf)
        again.add_field("file", text.encode(), filename="faq.jsonl")
        assert f"编号重复 {len(lines)} 条" in await (await client.post("/faq/import", data=again)).text()


async def test_owners_may_only_read(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "李书记")
        assert "导入文件" not in await (await client.get("/faq")).text()
        refused = await client.post("/faq", data={**ROW, "csrf": csrf})
        assert refused.status == 403 and await bot.app.store.faq.get("P101") is None
