"""配菜单 and 配送完成 in private chat: owners only, nothing private in a group, residents told as by 完成."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest

from bot import privacy
from tests.harness import START, Bot, Clock, to
from tests.test_picklist import ERRANDS, GROUP


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, clock=Clock(START))
    for user, text in ERRANDS:
        await bot.say(GROUP, user, text)
    yield bot
    await bot.close()


async def test_pick_list_in_private_with_the_xlsx_written(bot: Bot, tmp_path: Path) -> None:
    replies = await bot.say("@", "李书记", "配菜单")
    assert [r.chat.chat_id for r in replies] == ["@李书记"]
    text = replies[0].text
    assert text.startswith(f"【配菜单 {GROUP} 2026-11-22（4 栋/组，6 户，7 单）】\n■ 3栋（3 户）\n  · 3栋101 刘姐 无电话：")
    assert "  2单元\n  · 3栋2单元302 陈伯 13812345678：青菜一把（E2）" in text
    assert "送达后回复「配送完成 3栋」" in text
    path = tmp_path / "reports" / "picklist-xingfu-2026-11-22.xlsx"
    assert text.endswith("打印版表格见附件：picklist-xingfu-2026-11-22.xlsx") and str(tmp_path) not in text
    sheet = replies[0].attachment
    assert sheet is not None and (sheet.path, sheet.name) == (str(path), path.name) and not sheet.group_safe
    assert sheet.mime.endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(path).active["C4"].value == "3栋101"
    same = await bot.say("@", "李书记", f"配菜单 {GROUP} 2026-11-22")
    assert same[0].text == text


async def test_a_day_without_errands_and_bad_words_get_clear_answers(bot: Bot) -> None:
    empty = await bot.say("@", "李书记", "配菜单 明天")
    assert empty[0].text.startswith(f"2026-11-23 {GROUP}没有待配送的买菜代办。居民在群里发「代买 物品 地址」")
    region = await bot.say("@", "刘主任", "配菜单 明天")  # a township owner: every village below
    assert region[0].text.startswith("2026-11-23 您负责的群没有待配送的买菜代办。")
    other = await bot.say("@", "陈网格员", "配菜单")
    assert other[0].text.startswith("2026-11-22 阳光花园居民群没有待配送的买菜代办。")
    assert "看不懂「后年」" in (await bot.say("@", "李书记", "配菜单 后年"))[0].text
    resident = await bot.say("@", "张阿姨", "配菜单")
    assert "只有群主" in resident[0].text


async def test_delivered_building_completes_its_errands_and_tells_each_resident(bot: Bot) -> None:
    done = await bot.say("@", "李书记", "配送完成 三號樓")
    summary = to(done, "@李书记")
    assert [r.text for r in summary] == [
        f"已办结「{GROUP}」3栋 的 4 单买菜代办（E3、E2、E1、E4），已通知 3 户居民。"]
    in_group = to(done, GROUP)
    assert len(in_group) == 4 and all(not privacy.leaks(r.text) for r in in_group)
    # The same words a resident hears when an owner writes 完成 E5 已配送到家.
    single = await bot.say("@", "李书记", "完成 E5 已配送到家")
    expect = to(single, GROUP)[0].text.replace("E5", "E1")
    assert expect in [r.text for r in in_group]
    for code in ("E1", "E2", "E3", "E4"):
        t = await bot.app.store.tickets.get(code)
        assert t is not None and t.status == "done"
    again = await bot.say("@", "李书记", "配送完成 3栋")
    assert again[0].text.startswith("2026-11-22 的配菜单里没有「3栋」，还没送的有：12栋、地址不详。")


async def test_delivered_with_an_unknown_building_or_none(bot: Bot) -> None:
    assert "没有「9栋」" in (await bot.say("@", "李书记", "配送完成 9栋"))[0].text
    assert (await bot.say("@", "李书记", "配送完成 门卫室"))[0].text.startswith("「门卫室」不是楼栋。")
    assert (await bot.say("@", "李书记", "配送完成"))[0].text.startswith("请写上送完的楼栋。")
    group = await bot.say(GROUP, "李书记", "配菜单")
    assert all("13812345678" not in r.text for r in group)  # never a pick list in the group


async def test_a_building_in_two_of_the_owners_groups_asks_which(bot: Bot) -> None:
    await bot.say("阳光花园居民群", "周叔", "代买 白菜两颗 3栋1单元101")
    both = await bot.say("@", "刘主任", "配送完成 3号楼")
    assert both[0].text == ("「3栋」在几个群的配菜单里都有：幸福小区居民群、阳光花园居民群。"
                            "请加上群名，例如：配送完成 3栋 幸福小区居民群")
    one = await bot.say("@", "刘主任", "配送完成 3号楼 阳光花园居民群")
    assert one[0].text.startswith("已办结「阳光花园居民群」3栋 的 1 单买菜代办（E8）")
    assert [r.chat.chat_id for r in one[1:]] == ["阳光花园居民群"]
    lists = await bot.say("@", "刘主任", "配菜单")
    assert [r.text.splitlines()[0] for r in lists] == [
        "【配菜单 幸福小区居民群 2026-11-22（4 栋/组，6 户，7 单）】"]
