"""Sign-up in private, approval by a tap or in text, the roster, and every bad input's answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import BASE_TOML, Bot, to
from tests.volunteer_setup import TOML, volunteer


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML)
    yield bot
    await bot.close()


async def test_sign_up_tells_the_leader_with_one_tap_buttons(bot: Bot) -> None:
    replies = await bot.say("@", "小明", "志愿者报名 王小明 139-0000-1111 配送小分队")
    assert to(replies, "@小明")[0].text == "已收到您的报名：王小明，配送小分队。审核通过后我会私信告诉您，谢谢您的热心！"
    [card] = to(replies, "@王队长")
    assert "王小明（配送小分队，13900001111）" in card.text
    assert [(b.label, b.command) for b in card.buttons] == [("通过", "志愿者 通过 王小明 1111"),
                                                            ("拒绝", "志愿者 拒绝 王小明 1111")]
    tapped = bot.message("@", "王队长", "志愿者 通过 王小明 1111", tapped_message_id="m2")
    replies = await bot.send(tapped)
    assert replies[0].edit_message_id == "m2" and replies[0].text.startswith("已通过 王小明（配送小分队）")
    [welcome] = to(replies, "@小明")
    assert "已通过审核" in welcome.text and "我的任务" in welcome.text
    v = await bot.app.store.volunteers.of_user("console", "小明")
    assert v is not None and v.status == "approved"
    [entry] = await bot.app.store.audit.latest(limit=1)
    assert (entry.action, entry.actor.id, entry.target) == ("volunteer_approve", "王队长", "王小明（peisong）")


async def test_the_owner_of_the_team_group_rejects_in_text_with_a_reason(bot: Bot) -> None:
    await bot.say("@", "小刚", "志愿者报名 赵小刚 13900003333 配送")
    replies = await bot.say("@", "刘主任", "志愿者 拒绝 赵小刚 年龄不满18岁")
    assert replies[0].text == "已拒绝 赵小刚（配送小分队）的报名，原因已私信告知本人。"
    assert "未通过：年龄不满18岁" in to(replies, "@小刚")[0].text
    [again] = await bot.say("@", "刘主任", "志愿者 通过 赵小刚")
    assert again.text == "赵小刚 的报名未通过，无需再审核。"
    # Rejected, a person may sign up again.
    [ack, *_] = await bot.say("@", "小刚", "志愿者报名 赵小刚 13900003333 配送小分队")
    assert "已收到您的报名" in ack.text


async def test_a_one_tap_reject_has_a_default_reason(bot: Bot) -> None:
    await bot.say("@", "小刚", "志愿者报名 赵小刚 13900003333 配送")
    replies = await bot.say("@", "王队长", "志愿者 拒绝 赵小刚 3333")
    assert "未通过：暂不需要，感谢您的热心" in to(replies, "@小刚")[0].text


async def test_namesakes_are_told_apart_by_the_phone_tail(bot: Bot) -> None:
    await bot.say("@", "明1", "志愿者报名 王明 13900001111 配送")
    await bot.say("@", "明2", "志愿者报名 王明 13900002222 配送")
    [ask] = await bot.say("@", "王队长", "志愿者 通过 王明")
    assert "有 2 位「王明」" in ask.text and "志愿者 通过 王明 2222" in ask.text
    replies = await bot.say("@", "王队长", "志愿者 通过 王明 2222")
    assert to(replies, "@明2") and not to(replies, "@明1")


@pytest.mark.parametrize(("text", "answer"), [
    ("志愿者报名 王小明 12345 配送小分队", "「12345」不是手机号码：请写 11 位手机号，例如 13900001111。"),
    ("志愿者报名 王小明 13900001111 消防队", "没有「消防队」这个小分队。可报名的小分队：配送小分队。"),
    ("志愿者报名 王小明", "报名请写姓名、电话和小分队"),
    ("志愿者报名 13900001111 王小明 配送", "姓名和电话的顺序反了"),
])
async def test_bad_sign_ups_get_a_clear_answer(bot: Bot, text: str, answer: str) -> None:
    [r] = await bot.say("@", "小明", text)
    assert r.text.startswith(answer) or answer in r.text, r.text


async def test_a_second_sign_up_is_refused(bot: Bot) -> None:
    await bot.say("@", "小明", "志愿者报名 王小明 13900001111 配送")
    [r] = await bot.say("@", "小明", "志愿者报名 王大明 13900009999 配送")
    assert r.text == "您已经报名过了（王小明，配送小分队，待审核），不用重复报名。审核通过后我会私信告诉您。"
    await bot.say("@", "王队长", "志愿者 通过 王小明")
    [r] = await bot.say("@", "小明", "志愿者报名 王小明 13900001111 配送")
    assert "已通过" in r.text


async def test_only_leaders_owners_and_staff_decide(bot: Bot) -> None:
    await bot.say("@", "小明", "志愿者报名 王小明 13900001111 配送")
    [r] = await bot.say("@", "陈网格员", "志愿者 通过 王小明")  # owns 阳光花园, not the team group
    assert "只有小分队队长、志愿者群的群主和指挥部工作人员可以审核" in r.text
    replies = await bot.say("@", "区指挥部小王", "志愿者 通过 王小明")  # staff
    assert replies[0].text.startswith("已通过 王小明")


async def test_the_roster_lists_status_and_counts(bot: Bot) -> None:
    await volunteer(bot, "小明", "王小明", "13900001111")
    await bot.say("@", "小刚", "志愿者报名 赵小刚 13900003333 配送")
    [r] = await bot.say("@", "王队长", "志愿者名单")
    assert r.text.splitlines()[0] == "【配送小分队】待审核 1 人，已通过 1 人，未通过 0 人"
    assert r.text.splitlines()[1] == "· 赵小刚 13900003333｜待审核"  # pending first
    assert "· 王小明 13900001111｜已通过" in r.text
    [r] = await bot.say("@", "小明", "志愿者名单")
    assert "只有小分队队长" in r.text


async def test_without_teams_sign_up_says_so(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, BASE_TOML)
    try:
        [r] = await bot.say("@", "小明", "志愿者报名 王小明 13900001111 配送")
        assert r.text.startswith("本地还没有设立志愿者小分队")
        replies = await bot.say("幸福小区居民群", "张阿姨", "代买 大米 3栋501")
        assert all("待接单" not in x.text for x in replies)
    finally:
        await bot.close()


async def test_help_lists_the_volunteer_commands_only_where_there_are_teams(bot: Bot, tmp_path: Path) -> None:
    resident = (await bot.say("@", "张阿姨", "帮助"))[0].text
    assert "志愿者报名 姓名 电话 小分队" in resident and "我的任务" in resident and "志愿者名单" not in resident
    owner = (await bot.say("@", "李书记", "帮助"))[0].text
    assert "志愿者名单" in owner and "配菜单 [日期]" in owner and "配送完成 3栋" in owner
    assert "志愿者报名" not in (await bot.say("幸福小区居民群", "张阿姨", "帮助"))[0].text  # private only
    (tmp_path / "plain").mkdir()
    plain = await Bot.start(tmp_path / "plain")
    try:
        assert "志愿者" not in (await plain.say("@", "李书记", "帮助"))[0].text
    finally:
        await plain.close()
