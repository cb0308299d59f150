"""The ticket pages: scoped to the viewer's groups, escaped, filtered, paged; actions are chat's."""

from __future__ import annotations

from pathlib import Path

from bot.address import normalise_address
from bot.store.households import HouseholdData
from tests.harness import BASE_TOML, to
from tests.web_setup import dashboard, file_ticket, log_in


async def test_closing_on_the_web_tells_the_group_as_chat_does(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot)
        csrf = await log_in(bot, client, "李书记")
        before = len(bot.adapter.sent)
        page = await client.post(f"/tickets/{code}", data={"verb": "完成", "text": "药已送到", "csrf": csrf})
        assert page.status == 200 and f"{code} 已完成" in await page.text()
        await bot.app.outbox.drain("console")
        sent = bot.adapter.sent[before:]
        group = to(sent, "幸福小区居民群")
        assert len(group) == 1 and code in group[0].text and "药已送到" in group[0].text
        assert not to(sent, "@李书记")  # the confirmation is the page, not a chat message
        ticket = await bot.app.store.tickets.get(code)
        assert ticket is not None and ticket.status == "done" and ticket.handler_name == "李书记"
        history = await bot.app.store.tickets.history(ticket)
        assert history[-1].actor_name == "李书记" and history[-1].note == "药已送到"
        audit = await bot.app.store.audit.latest(limit=1)
        assert audit[0].action == "web_action" and audit[0].target == code


async def test_the_same_text_as_the_chat_command(tmp_path: Path) -> None:
    """One ticket closed in chat, one on the web: the group reads the same words."""
    async with dashboard(tmp_path) as (bot, client):
        chat_code = await file_ticket(bot, "代买：面包 5栋1", user="甲")
        web_code = await file_ticket(bot, "代买：牛奶 5栋2", user="乙")
        await bot.say("@", "李书记", f"驳回 {chat_code} 不在本网格")
        in_chat = to(bot.adapter.sent, "幸福小区居民群")[-1].text
        csrf = await log_in(bot, client, "李书记")
        await client.post(f"/tickets/{web_code}", data={"verb": "驳回", "text": "不在本网格", "csrf": csrf})
        await bot.app.outbox.drain("console")
        on_web = to(bot.adapter.sent, "幸福小区居民群")[-1].text
        assert on_web.replace(web_code, "X") == in_chat.replace(chat_code, "X")


async def test_ticket_text_is_escaped(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot, "代买：<script>alert(1)</script> 5栋302")
        await log_in(bot, client, "李书记")
        for path in ("/tickets", f"/tickets/{code}"):
            html = await (await client.get(path)).text()
            assert "<script>alert(1)</script>" not in html, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


async def test_owners_see_only_their_groups(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        mine = await file_ticket(bot, "代买：米 阳光3栋", group="阳光花园居民群")
        theirs = await file_ticket(bot)
        csrf = await log_in(bot, client, "陈网格员")  # owner of 阳光花园 only
        listing = await (await client.get("/tickets")).text()
        assert mine in listing and theirs not in listing
        assert (await client.get(f"/tickets/{theirs}")).status == 404
        refused = await client.post(f"/tickets/{theirs}", data={"verb": "完成", "csrf": csrf})
        assert refused.status == 404
        ticket = await bot.app.store.tickets.get(theirs)
        assert ticket is not None and ticket.status == "open"
        filtered = await (await client.get("/tickets?group=xingfu")).text()
        assert theirs not in filtered


async def test_staff_and_township_owners_see_below(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot)
        await log_in(bot, client, "刘主任")  # 东城街道, above 幸福小区
        assert code in await (await client.get("/tickets")).text()
        assert (await client.get(f"/tickets/{code}")).status == 200


async def test_filters_search_and_pages(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        codes = [await file_ticket(bot, f"代买：物品{i}号 5栋{i}", user=f"居民{i}") for i in range(55)]
        rumor = await file_ticket(bot, "求证：听说明天停水", user="王大爷")
        await log_in(bot, client, "区指挥部小王")
        first = await (await client.get("/tickets")).text()
        assert rumor in first and codes[-1] in first and f">{codes[0]}<" not in first
        assert "下一页" in first
        more = first.split('class="more" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        second = await (await client.get(more)).text()
        assert f">{codes[0]}<" in second and "下一页" not in second
        kind = await (await client.get("/tickets?kind=rumor")).text()
        assert rumor in kind and codes[-1] not in kind
        found = await (await client.get("/tickets?q=物品7号")).text()
        assert f">{codes[7]}<" in found and f">{codes[8]}<" not in found
        jump = await client.get(f"/tickets?q={codes[3].lower()}", allow_redirects=False)
        assert jump.status == 303 and jump.headers["Location"] == f"/tickets/{codes[3]}"
        none = await (await client.get("/tickets?status=done")).text()
        assert "没有符合条件的工单" in none
        later = await (await client.get("/tickets?from=2026-11-23")).text()
        assert "没有符合条件的工单" in later


async def test_bad_filters_are_explained(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        for query, why in (("from=明天", "不是日期"), ("kind=x", "没有这种工单类别"),
                           ("status=x", "没有这种工单状态"), ("before=x", "翻页参数有误"),
                           ("group=nowhere", "没有这个群")):
            html = await (await client.get(f"/tickets?{query}")).text()
            assert why in html, query


async def test_only_the_actions_chat_offers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot)
        csrf = await log_in(bot, client, "李书记")
        html = await (await client.get(f"/tickets/{code}")).text()
        assert 'data-verb="接单"' in html and 'data-verb="辟谣"' not in html
        odd = await client.post(f"/tickets/{code}", data={"verb": "删除", "csrf": csrf})
        assert "没有这个操作" in await odd.text()
        await client.post(f"/tickets/{code}", data={"verb": "接单", "csrf": csrf})
        html = await (await client.get(f"/tickets/{code}")).text()
        assert 'data-verb="接单"' not in html and "已接单" in html
        note = await client.post(f"/tickets/{code}", data={"verb": "备注", "text": "电话 13800001111", "csrf": csrf})
        assert "电话 13800001111" in await note.text()


async def test_grid_workers_see_their_grid(tmp_path: Path) -> None:
    grid = '\n[[grids]]\nkey = "g1"\nname = "一网格"\ngroup = "xingfu"\nworkers = ["网格员小周"]\n'
    async with dashboard(tmp_path, BASE_TOML + grid) as (bot, client):
        home = normalise_address("5栋302")
        assert home is not None
        await bot.app.store.households.save(
            HouseholdData("xingfu", home.key, "5栋302", grid_key="g1"), bot.clock())
        mine = await file_ticket(bot, "代买：降压药 5栋302")
        other = await file_ticket(bot, "代买：面包 7栋101", user="乙")
        csrf = await log_in(bot, client, "网格员小周")
        listing = await (await client.get("/tickets")).text()
        assert f">{mine}<" in listing and f">{other}<" not in listing
        assert (await client.get(f"/tickets/{other}")).status == 404
        await client.post(f"/tickets/{mine}", data={"verb": "接单", "csrf": csrf})
        ticket = await bot.app.store.tickets.get(mine)
        assert ticket is not None and ticket.status == "accepted" and ticket.handler_name == "网格员小周"
        overview = await (await client.get("/")).text()
        assert "网格员" in overview


async def test_rumour_verdicts_as_in_chat(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        false = await file_ticket(bot, "求证：听说明天全区停水", user="甲")
        true = await file_ticket(bot, "求证：超市今晚提前关门吗", user="乙")
        csrf = await log_in(bot, client, "李书记")
        html = await (await client.get(f"/tickets/{false}")).text()
        assert 'data-verb="辟谣"' in html and 'data-verb="属实"' in html and 'data-verb="完成"' not in html
        await client.post(f"/tickets/{false}", data={"verb": "辟谣", "text": "自来水公司没有停水计划", "csrf": csrf})
        await client.post(f"/tickets/{true}", data={"verb": "属实", "csrf": csrf})
        await bot.app.outbox.drain("console")
        group = [r.text for r in to(bot.adapter.sent, "幸福小区居民群")]
        assert any(false in t and "自来水公司没有停水计划" in t for t in group)
        assert any(true in t and "属实" in t for t in group)
        entry = await bot.app.store.rumors.get(f"L{false}")
        assert entry is not None and entry.data.verdict == "false"  # the library learned it, as in chat


async def test_a_residents_question_is_answered_on_the_web_as_in_chat(tmp_path: Path) -> None:
    """Every kind's close verb is on its page: a question (Q1) is answered with 答复."""
    async with dashboard(tmp_path) as (bot, client):
        await bot.say("幸福小区居民群", "张阿姨", "请问小区东门几点开？")
        csrf = await log_in(bot, client, "李书记")
        page = await (await client.get("/tickets/Q1")).text()
        assert 'value="答复"' in page and 'value="完成"' not in page
        before = len(bot.adapter.sent)
        said = await client.post("/tickets/Q1", data={"verb": "答复", "text": "东门六点开", "csrf": csrf})
        assert said.status == 200 and "已答复 Q1" in await said.text()
        await bot.app.outbox.drain("console")
        [public] = to(bot.adapter.sent[before:], "幸福小区居民群")
        assert "东门六点开" in public.text and public.mentions[0].user_id == "张阿姨"
        ticket = await bot.app.store.tickets.get("Q1")
        assert ticket is not None and ticket.status_label == "已答复"


def test_every_kinds_close_verbs_have_a_form() -> None:
    from bot.kinds import REGISTRY
    from bot.web.tickets import VERBS

    assert {v for k in REGISTRY for v in k.close_verbs} <= set(VERBS)
