"""The audit log: 绑定 and 同意 write it with the action; staff read it with 审计 in private."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.message import ChatRef, Incoming
from bot.store.audit import Actor
from tests.harness import TZ, Bot
from tests.test_notices import REVIEW_TOML

STAFF, OWNER, RESIDENT = "区指挥部小王", "李书记", "张阿姨"


async def test_binding_a_group_is_audited_with_who_and_which(bot: Bot) -> None:
    msg = Incoming(ChatRef("console", "新建小区群"), "新群主", "孙书记", "绑定 新建小区居民群", "b1",
                   bot.clock(), is_group=True, sender_is_admin=True, chat_title="新建小区群")
    [reply] = await bot.send(msg)
    assert "已登记本群为「新建小区居民群」" in reply.text
    [entry] = await bot.app.store.audit.latest()
    assert entry.actor == Actor("console", "新群主", "孙书记") and entry.action == "bind"
    assert entry.target == "新建小区居民群" and "console:新建小区群" in entry.detail
    assert entry.at == bot.clock()
    await bot.send(Incoming(ChatRef("console", "新建小区群"), "新群主", "孙书记", "绑定 别的名字", "b2",
                            bot.clock(), is_group=True, sender_is_admin=True))
    assert len(await bot.app.store.audit.latest()) == 1  # already bound: nothing changed


async def test_notice_approval_is_audited(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    try:
        await bot.say("@", STAFF, "通知 全区核酸检测安排")
        await bot.say("@", OWNER, "同意 N1")  # not a reviewer here: no entry
        assert await bot.app.store.audit.latest() == []
        await bot.say("@", "刘主任", "同意 N1")
        [entry] = await bot.app.store.audit.latest()
        assert (entry.actor.id, entry.action, entry.target) == ("刘主任", "approve", "N1")
        assert "审核级「东城街道群」同意，放行 2 个群" == entry.detail
    finally:
        await bot.close()


async def test_an_entry_rolls_back_with_its_action(bot: Bot) -> None:
    store = bot.app.store
    with pytest.raises(RuntimeError):
        async with store.tx():
            await store.audit.record(Actor("cli", "x", "命令行"), "export", "t", "d", bot.clock())
            raise RuntimeError("the export failed")
    assert await store.audit.latest() == []


async def test_latest_is_newest_first_and_pages_by_keyset(bot: Bot) -> None:
    store = bot.app.store
    who = Actor("cli", "ops", "命令行")
    for i in range(5):
        async with store.tx():
            await store.audit.record(who, "export", f"t{i}", "", bot.clock())
        bot.clock.advance(minutes=1 if i != 2 else 0)  # two entries share a second
    page = await store.audit.latest(limit=2)
    assert [e.target for e in page] == ["t4", "t3"]
    page = await store.audit.latest(limit=2, before=(page[-1].at, page[-1].id))
    assert [e.target for e in page] == ["t2", "t1"]
    since = await store.audit.latest(since=bot.clock() - timedelta(minutes=2))
    assert [e.target for e in since] == ["t4", "t3", "t2"]


async def test_staff_read_the_log_in_private(bot: Bot) -> None:
    await bot.send(Incoming(ChatRef("console", "新建小区群"), "新群主", "孙书记", "绑定 新建小区居民群",
                            "b1", bot.clock(), is_group=True, sender_is_admin=True))
    [reply] = await bot.say("@", STAFF, "审计")
    assert reply.chat.chat_id == f"@{STAFF}"
    lines = reply.text.splitlines()
    assert lines[0] == "【审计记录】最近 1 条，新的在前："
    assert lines[1].startswith(f"{bot.clock().astimezone(TZ):%Y-%m-%d %H:%M} 孙书记（console:新群主） 绑定群")
    [again] = await bot.say("@", STAFF, "/audit")
    assert again.text == reply.text


@pytest.mark.parametrize("who,role", [(RESIDENT, "居民"), (OWNER, "群主（社区工作人员）")])
async def test_residents_and_owners_are_refused(bot: Bot, who: str, role: str) -> None:
    [reply] = await bot.say("@", who, "审计")
    assert reply.text.startswith(f"「审计」只有指挥部工作人员可以使用，您是{role}。")
    [reply] = await bot.say("幸福小区居民群", who, "审计")
    assert "只有指挥部工作人员可以使用" in reply.text and "【审计记录】" not in reply.text


async def test_staff_asking_in_a_group_are_sent_to_private(bot: Bot) -> None:
    [reply] = await bot.say("幸福小区居民群", STAFF, "审计")
    assert reply.text == "审计记录请私聊我发送「审计」查看。" and not reply.chat.is_private


async def test_an_empty_log_says_so(bot: Bot) -> None:
    [reply] = await bot.say("@", STAFF, "审计")
    assert "审计记录为空" in reply.text


async def test_only_the_staff_help_card_mentions_it(bot: Bot) -> None:
    [staff] = await bot.say("@", STAFF, "帮助")
    [owner] = await bot.say("@", OWNER, "帮助")
    assert "· 审计" in staff.text and "审计" not in owner.text
