"""Notice commands as community workers type them: 通知 targets, 回执 visibility, codes, times."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.message import Reply
from bot.schedule_spec import SpecError, split_spec, trigger
from tests.harness import BASE_TOML, TZ, Bot, to

ALL = ["河西区指挥部", "东城街道群", "幸福小区居民群", "阳光花园居民群"]
REVIEW_TOML = BASE_TOML.replace('level = "township"', 'level = "township"\nreview = true')
# A second 阳光 village under the township: "阳光" alone no longer says which one.
TWO_SUNNY_TOML = BASE_TOML + """
[[groups]]
key = "yangguangxincun"
name = "阳光新村居民群"
parent = "dongcheng"
owners = ["赵网格员"]
"""


def notices_in(replies: list[Reply]) -> dict[str, str]:
    """Group name -> the text of the notice it received."""
    return {r.chat.chat_id: r.text.splitlines()[1] for r in replies
            if not r.chat.is_private and r.text.startswith("【通知")}


# 1. 通知 [群名] 内容 ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "通知 阳光花园：明早停电",
    "通知 阳光花园:明早停电",
    "通知 阳光花园，明早停电",
    "通知 阳光花园,明早停电",
    "通知 阳光花园 明早停电",
    "通知 阳光花园居民群：明早停电",
    "通知 阳光花园居民群，明早停电",
    "通知 阳光花园群：明早停电",  # people shorten 居民群 to 群
    "通知 阳光：明早停电",
])
async def test_group_named_by_part_of_its_name_and_a_separator(bot: Bot, text: str) -> None:
    replies = await bot.say("@", "刘主任", text)
    assert notices_in(replies) == {"阳光花园居民群": "明早停电"}
    [ack] = to(replies, "@刘主任")
    assert "已发布通知 N1 到「阳光花园居民群」" in ack.text


async def test_ordinary_notice_text_is_not_read_as_a_group(bot: Bot) -> None:
    township = ALL[1:]
    for n, text in enumerate([
        "明早8点停水，请提前储水",
        "居民：明早8点停水",  # "居民" is in every village's name, but names none of them
        "各小区：明早8点停水",
        "小区居民，明早8点停水",
        "东城街道全体居民：明早8点停水",
        "幸福生活靠大家，请配合核酸检测",
        "3栋 明早8点停水",
    ], start=1):
        replies = await bot.say("@", "刘主任", f"通知 {text}")
        assert notices_in(replies) == dict.fromkeys(township, text), text
        assert f"已发布通知 N{n} 到「东城街道群」及下级共 3 个群" in to(replies, "@刘主任")[0].text


async def test_default_is_the_top_managed_group(bot: Bot) -> None:
    replies = await bot.say("@", "区指挥部小王", "通知 今晚停水")
    assert list(notices_in(replies)) == ALL
    replies = await bot.say("@", "李书记", "通知 今晚停水")
    assert list(notices_in(replies)) == ["幸福小区居民群"]


async def test_several_managed_groups_match_asks_which_and_sends_nothing(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, TWO_SUNNY_TOML)
    [r] = await bot.say("@", "刘主任", "通知 阳光：明早停电")
    assert "阳光花园居民群" in r.text and "阳光新村居民群" in r.text and "没有发出" in r.text
    assert "通知 阳光花园居民群 明早停电" in r.text  # how to say it
    assert await bot.app.store.notices.recent() == []
    replies = await bot.say("@", "刘主任", "通知 阳光新村：明早停电")
    assert notices_in(replies) == {"阳光新村居民群": "明早停电"}
    await bot.close()


async def test_part_of_a_group_name_the_person_does_not_manage(bot: Bot) -> None:
    [r] = await bot.say("@", "李书记", "通知 阳光花园：明早停电")
    assert "您不负责" in r.text and "阳光花园居民群" in r.text and "没有发出" in r.text
    [r] = await bot.say("@", "李书记", "通知 东城街道群 越级通知")
    assert "不是「东城街道群」的负责人" in r.text
    assert await bot.app.store.notices.recent() == []
    # Naming his own group first sends the text as written.
    replies = await bot.say("@", "李书记", "通知 幸福小区居民群 阳光花园：明早停电")
    assert notices_in(replies) == {"幸福小区居民群": "阳光花园：明早停电"}


async def test_only_this_group(bot: Bot) -> None:
    replies = await bot.say("@", "刘主任", "通知 东城街道群 仅本群 下午3点开会")
    assert notices_in(replies) == {"东城街道群": "下午3点开会"}
    assert "（仅本群）" in to(replies, "@刘主任")[0].text
    replies = await bot.say("@", "刘主任", "通知 仅本群 下午4点开会")
    assert notices_in(replies) == {"东城街道群": "下午4点开会"}
    replies = await bot.say("@", "区指挥部小王", "通知 仅本群：东城：明早停电")
    assert notices_in(replies) == {"东城街道群": "明早停电"}
    # In the middle of the text it is just text.
    replies = await bot.say("@", "刘主任", "通知 会议纪要仅本群成员可看")
    assert list(notices_in(replies)) == ALL[1:]
    [r] = await bot.say("@", "刘主任", "通知 东城街道群 仅本群")
    assert "请在群名后写上通知内容" in r.text


async def test_publish_reply_lists_the_groups(bot: Bot) -> None:
    replies = await bot.say("@", "区指挥部小王", "通知 今晚停水")
    [ack] = to(replies, "@区指挥部小王")
    assert "共 4 个群" in ack.text and f"发往：{'、'.join(ALL)}" in ack.text


async def test_publish_reply_to_many_groups_names_the_first_few(tmp_path: Path) -> None:
    villages = "".join(f'\n[[groups]]\nkey = "v{i}"\nname = "第{i}村村民群"\nparent = "dongcheng"\n'
                       f'owners = ["村{i}"]\n' for i in range(10))
    bot = await Bot.start(tmp_path, BASE_TOML + villages)
    [ack] = to(await bot.say("@", "刘主任", "通知 明早停水"), "@刘主任")
    assert "共 13 个群" in ack.text
    assert "发往：东城街道群、幸福小区居民群、阳光花园居民群、第0村村民群" in ack.text
    assert "等 13 个群" in ack.text and "第9村村民群" not in ack.text
    await bot.close()


async def test_held_groups_are_named_apart(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    [ack] = to(await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排"), "@区指挥部小王")
    assert "发往：河西区指挥部、东城街道群" in ack.text
    assert "另有 2 个群等待上级审核后下发：幸福小区居民群、阳光花园居民群" in ack.text
    await bot.close()


async def test_schedule_takes_the_same_targets(bot: Bot) -> None:
    [r] = await bot.say("@", "刘主任", "定时 每天 08:00 阳光花园：仅本群 7点半起3栋领菜")
    assert "发到「阳光花园居民群」（仅本群）" in r.text
    [r] = await bot.say("@", "刘主任", "定时 每天 09:00 会议纪要仅本群成员可看")
    assert "发到「东城街道群」及下级群" in r.text
    s = await bot.app.store.notices.schedule("S2")
    assert s is not None and s.text == "会议纪要仅本群成员可看"


# 2. 回执: who sees what ------------------------------------------------------------------------

async def _three_notices(bot: Bot) -> None:
    await bot.say("@", "区指挥部小王", "通知 今晚停水")  # N1: every group
    await bot.say("@", "李书记", "通知 3栋明早停电")  # N2: 幸福小区 only
    await bot.say("@", "刘主任", "通知 阳光花园：明早修路")  # N3: 阳光花园 only


async def test_receipt_list_shows_only_notices_the_person_may_see(bot: Bot) -> None:
    await _three_notices(bot)

    async def listed(user: str) -> list[str]:
        [r] = await bot.say("@", user, "回执")
        return re.findall(r"^(N\d+) ", r.text, re.M)

    assert await listed("区指挥部小王") == ["N3", "N2", "N1"]
    assert await listed("刘主任") == ["N3", "N2", "N1"]  # sent by him or to groups below him
    assert await listed("李书记") == ["N2", "N1"]
    assert await listed("陈网格员") == ["N3", "N1"]


async def test_receipt_report_in_full_or_only_ones_own_groups(bot: Bot) -> None:
    await _three_notices(bot)
    await bot.say("阳光花园居民群", "陈网格员", "收到 N1")
    for user in ("区指挥部小王", "刘主任", "李书记"):  # staff; owners of the origin or above it
        [r] = await bot.say("@", user, "回执 N2")
        assert "共 1 个群：已送达 1" in r.text, user
    [r] = await bot.say("@", "区指挥部小王", "回执 N1")
    assert "共 4 个群" in r.text and "未确认：河西区指挥部、东城街道群、幸福小区居民群" in r.text
    # A village owner who received the district's notice sees his own group's line only.
    [r] = await bot.say("@", "陈网格员", "回执 N1")
    assert r.text.splitlines()[1:] == ["您负责的群：", "阳光花园居民群：已送达 11-22 09:00:00，"
                                       "已确认 11-22 09:00（陈网格员）"]
    [r] = await bot.say("@", "李书记", "回执 N1")
    assert "幸福小区居民群：已送达 11-22 09:00:00，未确认" in r.text
    assert "共 4 个群" not in r.text and "阳光花园" not in r.text and "河西区指挥部、" not in r.text
    # A notice that never reached him: refused.
    [r] = await bot.say("@", "陈网格员", "回执 N2")
    assert "不能查看通知 N2 的回执" in r.text and "3栋" not in r.text
    [r] = await bot.say("@", "李书记", "回执 N3")
    assert "不能查看通知 N3 的回执" in r.text


async def test_receipt_of_a_notice_held_above_ones_group(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    [r] = await bot.say("@", "李书记", "回执 N1")  # held at the township: not his to read yet
    assert "不能查看通知 N1 的回执" in r.text and "核酸" not in r.text
    [r] = await bot.say("@", "李书记", "回执")
    assert "N1" not in r.text
    [r] = await bot.say("@", "刘主任", "回执 N1")  # the reviewer sees his groups, held ones too
    assert "东城街道群：已送达" in r.text and "幸福小区居民群：待上级审核" in r.text
    assert "河西区指挥部" not in r.text.splitlines()[1:]
    await bot.close()


# 3. Codes: bare numbers and full-width ---------------------------------------------------------

async def test_schedule_code_without_s_and_full_width(bot: Bot) -> None:
    await bot.say("@", "刘主任", "定时 每天 08:00 领菜")
    await bot.say("@", "刘主任", "定时 每天 09:00 开会")
    [r] = await bot.say("@", "刘主任", "取消定时 1")
    assert "已取消定时通知 S1" in r.text
    [r] = await bot.say("@", "刘主任", "取消定时 Ｓ２")
    assert "已取消定时通知 S2" in r.text
    [r] = await bot.say("@", "刘主任", "取消定时 1栋")
    assert "请写上定时编号" in r.text


async def test_notice_codes_full_width_and_bare_in_private(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    [r] = await bot.say("@", "区指挥部小王", "回执 Ｎ１")
    assert r.text.startswith("通知 N1（")
    [r] = await bot.say("@", "区指挥部小王", "回执 1")
    assert r.text.startswith("通知 N1（")
    replies = await bot.say("@", "刘主任", "同意 Ｎ１")
    assert "继续下发到 2 个群" in to(replies, "@刘主任")[0].text
    [r] = await bot.say("幸福小区居民群", "李书记", "收到 Ｎ１")
    assert "已确认「幸福小区居民群」收到通知 N1" in r.text
    [r] = await bot.say("@", "陈网格员", "收到 1")
    assert "已确认「阳光花园居民群」收到通知 N1" in r.text
    # In a group a bare number is chat, not a code.
    assert await bot.say("东城街道群", "刘主任", "收到 1") == []
    await bot.close()


async def test_bare_approve_code(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, REVIEW_TOML)
    await bot.say("@", "区指挥部小王", "通知 全区核酸检测安排")
    replies = await bot.say("@", "刘主任", "同意 1")
    assert "已同意通知 N1" in to(replies, "@刘主任")[0].text
    await bot.close()


# 4. Times: Chinese errors, forms people write --------------------------------------------------

_ENGLISH = re.compile(r"\b(?!cron\b)[A-Za-z]{3,}\b")


@pytest.mark.parametrize(("text", "said"), [
    ("定时 cron 61 8 * * * 提醒", "「分钟」写成了「61」"),
    ("定时 cron 0 25 * * * 提醒", "「小时」写成了「25」"),
    ("定时 cron 0 8 0 * * 提醒", "「日」写成了「0」"),
    ("定时 cron 0 8 * 13 * 提醒", "「月」写成了「13」"),
    ("定时 cron 0 8 * * 9 提醒", "「星期」写成了「9」"),
    ("定时 cron 0 8 * * 提醒", "「星期」写成了「提醒」"),  # four fields: the text became the fifth
    ("定时 cron x 8 * * * 提醒", "「分钟」写成了「x」"),
])
async def test_cron_errors_are_chinese_and_explain(bot: Bot, text: str, said: str) -> None:
    [r] = await bot.say("@", "刘主任", text)
    assert said in r.text and "分 时 日 月 星期" in r.text, r.text
    assert not _ENGLISH.search(r.text), r.text


@pytest.mark.parametrize(("text", "said"), [
    ("定时 明早 领菜", "每天 08:00"),
    ("定时 每天 25:00 领菜", "没有 25:00"),
    ("定时 每天 8:75 领菜", "分钟写 00-59"),
    ("定时 每月32日 09:00 领菜", "每月几号写 1-31"),
    ("定时 2026-02-30 08:00 领菜", "没有 2026-02-30 这一天"),
    ("定时 每天 8点3栋领菜", "请把时间写成 08:30"),
    ("定时 cron 0 8 31 2 * 领菜", "永远不会到来"),
])
async def test_schedule_errors_are_chinese(bot: Bot, text: str, said: str) -> None:
    [r] = await bot.say("@", "刘主任", text)
    assert said in r.text, r.text
    assert not _ENGLISH.search(r.text), r.text
    assert await bot.app.store.notices.schedules() == []


@pytest.mark.parametrize(("text", "first", "body"), [
    ("定时 每天 7点半 领菜", "2026-11-23 07:30", "领菜"),  # was 07:00 with the text "半 领菜"
    ("定时 每天 7点30分 领菜", "2026-11-23 07:30", "领菜"),
    ("定时 每天 下午3点 开会", "2026-11-22 15:00", "开会"),
    ("定时 每天 晚上8点半 巡查", "2026-11-22 20:30", "巡查"),
    ("定时 2026年11月25日 8:00 领菜", "2026-11-25 08:00", "领菜"),
    ("定时 cron 0 8 * * 0-6 早班", "2026-11-23 08:00", "早班"),  # Sunday-first range
    ("定时 cron 0 8 * * 0 周日", "2026-11-29 08:00", "周日"),
    ("定时 cron 0 8 * * */2 隔天", "2026-11-24 08:00", "隔天"),  # Sun, Tue, Thu, Sat as in cron
    ("定时 cron 0 8 * * 5-7 周末", "2026-11-27 08:00", "周末"),
])
async def test_schedule_times_people_write(bot: Bot, text: str, first: str, body: str) -> None:
    [r] = await bot.say("@", "刘主任", text)
    assert f"下次发送：{first}" in r.text, r.text
    s = await bot.app.store.notices.schedule("S1")
    assert s is not None and s.text == body


def test_spec_errors_stay_value_errors_for_the_config_loader() -> None:
    for spec in ("cron 0 8 * * 9", "每天 25:00", "明早8点", "每月0日 8:00"):
        with pytest.raises(SpecError) as caught:
            trigger(spec, TZ)
        assert isinstance(caught.value, ValueError) and not _ENGLISH.search(str(caught.value))
    with pytest.raises(SpecError):
        split_spec("明早 领菜")
