"""Pick lists: the day's grocery errands grouped by building and unit, loose addresses in both scripts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from bot import picklist
from bot.picklist_files import as_json, make
from bot.store.households import HouseholdData
from bot.tickets import Ticket
from tests.harness import START, TZ, Bot, Clock

GROUP = "幸福小区居民群"
DAY = START.date()
ERRANDS = (
    ("张阿姨", "代买 大米一袋、鸡蛋两斤 3栋2单元501"),
    ("陈伯", "代買 青菜一把 三號樓2單元302 電話13812345678"),  # Traditional script
    ("刘姐", "代买 猪肉一斤，土豆三个 3号楼101"),
    ("张阿姨", "代买 酱油一瓶 3-2-501"),  # the same flat again: one bag
    ("王叔", "代买 牛奶两箱 5栋1单元201"),
    ("赵奶奶", "代买 面条 十二栋2单元101"),
    ("钱哥", "代买 水果一些，送到门口"),  # no address
)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, clock=Clock(START))
    # 王叔's household is registered: its head and phone are what the list shows.
    await bot.app.store.households.save(
        HouseholdData("xingfu", "5-1-201", "5栋1单元201", "王建国", "13900001111"), START)
    for user, text in ERRANDS:
        await bot.say(GROUP, user, text)
    await bot.say(GROUP, "孙姐", "代买 退烧药 3栋1单元101")  # medicine: not on a grocery list
    yield bot
    await bot.close()


def test_a_building_is_the_same_however_it_is_written() -> None:
    assert {picklist.building_of(w) for w in ("3栋", "3号楼", "三號樓", "3", "３棟", "3幢")} == {"3栋"}
    assert picklist.building_of("李家村3组") == "李家村3组"
    assert picklist.building_of("门卫室") is None
    assert {picklist.building_of(w) for w in ("A座", "a栋", "Ａ座")} == {"A栋"}  # lettered buildings


async def test_errands_are_grouped_by_building_and_unit(bot: Bot) -> None:
    buildings = await picklist.build(bot.app.store, "xingfu", DAY, TZ)
    assert [b.label for b in buildings] == ["3栋", "5栋", "12栋", picklist.UNKNOWN]
    three = buildings[0]
    assert [(h.address, h.name, h.unit) for h in three.homes] == [
        ("3栋101", "刘姐", ""), ("3栋2单元302", "陈伯", "2"), ("3栋2单元501", "张阿姨", "2")]
    chen, zhang = three.homes[1], three.homes[2]
    assert chen.phone == "13812345678" and chen.items == ["青菜一把"]
    assert zhang.items == ["大米一袋", "鸡蛋两斤", "酱油一瓶"] and zhang.tickets == ["E1", "E4"]
    assert three.homes[0].items == ["猪肉一斤", "土豆三个"]
    wang = buildings[1].homes[0]
    assert (wang.name, wang.phone, wang.tickets) == ("王建国", "13900001111", ["E5"])
    assert picklist.counts(buildings) == (6, 7)


async def test_only_the_day_asked_and_open_errands(bot: Bot) -> None:
    assert await picklist.build(bot.app.store, "xingfu", DAY - timedelta(days=1), TZ) == []
    assert await picklist.build(bot.app.store, "yangguang", DAY, TZ) == []
    await bot.say("@", "李书记", "完成 E5")
    labels = [b.label for b in await picklist.build(bot.app.store, "xingfu", DAY, TZ)]
    assert "5栋" not in labels


async def test_json_and_a_printable_xlsx(bot: Bot, tmp_path: Path) -> None:
    group = bot.app.directory.find("xingfu")
    assert group is not None
    made = await make(bot.app.store, bot.app.config, group, DAY)
    assert made.path == tmp_path / "reports" / f"picklist-xingfu-{DAY.isoformat()}.xlsx"
    assert made.path.stat().st_mode & 0o077 == 0  # names and phones: owner only
    first = json.loads(as_json(made.buildings))[0]
    assert first["building"] == "3栋"
    assert first["households"][1] == {"address": "3栋2单元302", "name": "陈伯", "phone": "13812345678",
                                      "items": ["青菜一把"], "tickets": ["E2"]}
    sheet = openpyxl.load_workbook(made.path).active
    assert sheet.title == "配菜单"
    assert str(sheet["A1"].value).startswith(f"配菜单 {GROUP} {DAY.isoformat()}（4 栋/组，6 户，7 单）")
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ["楼栋", "单元", "地址", "姓名", "电话", "物品", "工单", "已配 ✓"]
    assert rows[1][0] == "3栋（3 户）"
    assert ["3栋", "2", "3栋2单元501", "张阿姨", None, "大米一袋、鸡蛋两斤、酱油一瓶", "E1、E4", "□"] in rows
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.orientation == "landscape"
    assert len(sheet.row_breaks.brk) == 3  # a page per building
    first_break = sheet.row_breaks.brk[0].id
    # rows[0] is sheet row 2: the break falls after the last row of 3栋, before 5栋's heading.
    assert rows[first_break - 2][0] == "3栋" and rows[first_break - 1][0] == "5栋（1 户）"


def test_items_leave_out_address_and_phone() -> None:
    assert picklist.items_of(_ticket("鸡蛋 面包 5-1-101 手机 139-0000-1111")) == ["鸡蛋", "面包"]


def _ticket(text: str) -> Ticket:
    now = START
    return Ticket(1, "E1", "errand", "groceries", "normal", "open", "xingfu", GROUP, "console", GROUP,
                  "u", "u", text, "", "", "", "", "", now, now)


async def test_a_later_day(bot: Bot) -> None:
    bot.clock.now = START + timedelta(days=1)
    await bot.say(GROUP, "周叔", "代买 白菜 7栋301")
    later = await picklist.build(bot.app.store, "xingfu", date(2026, 11, 23), TZ)
    assert [b.label for b in later] == ["7栋"]
