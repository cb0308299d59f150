"""Every command x every role x chat type: who may do what, and nothing private in a group.

Each cell starts from the same planted state (a copy of one database): E1 with a phone, an ID
number, an address and an internal note; E2 done; R1 a rumour; V1 a report naming a neighbour
with his phone; N1 a notice; S1 a schedule. A cell names the text the sender must get back
(the act's confirmation, or a refusal in Chinese), or None where the bot rightly stays quiet:
in a group, text that is not a resident's request is chat (a resident typing 接单 E1 there,
an owner's 通知 there), and groups are not answered for it.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest

from bot.message import Reply
from bot.privacy import leaks
from tests.harness import Bot

GROUP = "幸福小区居民群"
REQ, RES, OWN, OTH, STF, UNK = "张阿姨", "孙姐", "李书记", "陈网格员", "区指挥部小王", "路人"
G, P = "group", "private"
CELLS = [(who, G) for who in (REQ, RES, OWN, OTH, STF)] + [
    (who, P) for who in (REQ, RES, OWN, OTH, STF, UNK)]

NOTE = "家里钥匙在门垫下"
SECRETS = (NOTE, "5栋301", "王某某")  # plus every phone and ID number (leaks())
PLANT = [
    (GROUP, RES, "大家好"),
    (GROUP, REQ, "代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234"),
    (GROUP, REQ, "代买 大米一袋 3栋"),
    ("@", OWN, "完成 E2"),
    ("@", OWN, f"备注 E1 {NOTE} 电话13812345678"),
    (GROUP, REQ, "求证 听说明天停水"),
    (GROUP, REQ, "举报 3栋王某某一家从外地返回没报备 电话13900001111"),
    ("@", STF, "通知 东城街道群 明天停水"),
    ("@", OWN, "定时 每天 09:00 仅本群 请测体温"),
]

ROLE_ONLY = "只有群主（社区工作人员）"  # (和网格员) 可以使用
NOT_THEIRS = "您不是该群的负责人"
TO_PRIVATE = "管理指令请私聊我发送"
Expect = dict[tuple[str, str], str | None]


def owner_command(ok: str, *, other: str = NOT_THEIRS, hint: bool = True) -> Expect:
    """A private owner command: owners of the group and staff act, the rest are refused.

    In a group, owners and staff naming a code are sent to private (``hint``); other text
    there is chat.
    """
    return {
        (REQ, G): None, (RES, G): None, (OTH, G): None,
        (OWN, G): TO_PRIVATE if hint else None, (STF, G): TO_PRIVATE if hint else None,
        (REQ, P): ROLE_ONLY, (RES, P): ROLE_ONLY, (UNK, P): ROLE_ONLY,
        (OWN, P): ok, (STF, P): ok, (OTH, P): other,
    }


def everyone(text: str, **cells: str | None) -> Expect:
    """The same answer in every cell, except those named ``<who>_<G|P>``."""
    out: Expect = {cell: text for cell in CELLS}
    names = {"REQ": REQ, "RES": RES, "OWN": OWN, "OTH": OTH, "STF": STF, "UNK": UNK}
    for key, value in cells.items():
        who, chat = key.split("_")
        out[(names[who], G if chat == "G" else P)] = value
    return out


NOT_YOURS = "不是您登记的工单"
NO_HOME = "还不知道您在哪个小区/村群"
MATRIX: dict[str, Expect] = {
    "帮助": everyone("网格助手使用说明", OWN_P="群主/工作人员指令", OTH_P="群主/工作人员指令",
                   STF_P="群主/工作人员指令"),
    "我的工单": everyone("您还没有工单", REQ_G="您的工单（共 4 张）", REQ_P="您的工单（共 4 张）"),
    "进度 E1": everyone(NOT_YOURS, REQ_G="状态：待处理", REQ_P="地址：5栋301", OWN_G="状态：待处理",
                      OWN_P=NOTE, STF_G="状态：待处理", STF_P=NOTE),
    "评价 E2 5": everyone("只有登记 E2 的居民本人可以评价", REQ_G="感谢您的评价", REQ_P="感谢您的评价"),
    "提交 幸福小区居民群": everyone("不是您发过言的小区/村群", REQ_G=None, RES_G=None, OWN_G=None,
                           OTH_G=None, STF_G=None, REQ_P="没有找到要提交的事",
                           RES_P="没有找到要提交的事"),
    "代买 米一袋 3栋": everyone(NO_HOME, REQ_G="已登记代办工单 E3", RES_G="已登记代办工单 E3",
                          OTH_G="已登记代办工单 E3", OWN_G=None, STF_G=None,
                          REQ_P="已为您在「幸福小区居民群」登记代办 E3",
                          RES_P="已为您在「幸福小区居民群」登记代办 E3"),
    "举报 5栋李某某家有陌生人进出 电话13700002222": everyone(
        NO_HOME, REQ_G="已收到您的核实/举报 V2", RES_G="已收到您的核实/举报 V2",
        OTH_G="已收到您的核实/举报 V2", OWN_G=None, STF_G=None,
        REQ_P="已为您在「幸福小区居民群」登记核实 V2", RES_P="已为您在「幸福小区居民群」登记核实 V2"),
    "待办": owner_command("未办结工单（3 张）", other="未办结工单：没有了", hint=False),
    "详情 E1": owner_command(NOTE),
    "接单 E1": owner_command("已接单 E1"),
    "指派 E1 王小明": owner_command("已把 E1 指派给 王小明"),
    "进展 E1 药已买到": owner_command("已把 E1 的进展告知居民"),
    "备注 E1 门口放着": owner_command("已给 E1 添加备注"),
    "完成 E1 已送到": owner_command("E1 已完成"),
    "驳回 E1 不在本网格": owner_command("已驳回 E1"),
    "属实 R1 供水检修": owner_command("已确认 R1 属实"),
    "辟谣 R1 自来水公司：正常供水": {
        **owner_command("已辟谣 R1"),
        # A resident's "辟谣 …" in the group is read as a rumour to check.
        (REQ, G): "已收到求证 R2", (RES, G): "已收到求证 R2", (OTH, G): "已收到求证 R2",
        (REQ, P): "群主给出核实结论用的", (RES, P): "群主给出核实结论用的",
        (UNK, P): "群主给出核实结论用的",
    },
    "通知 明早8点全员核酸": owner_command("已发布通知 N2", other="已发布通知 N2", hint=False),
    "同意 N1": owner_command("不需要您审核", other="不需要您审核"),
    "回执 N1": owner_command("通知 N1（东城街道群·区指挥部小王", other="阳光花园居民群：已送达"),
    "定时 每天 08:00 请测体温": owner_command("已设定时通知 S2", other="已设定时通知 S2", hint=False),
    "定时列表": owner_command("S1 每天 09:00", other="没有定时通知", hint=False),
    "取消定时 S1": owner_command("已取消定时通知 S1", other="不是您负责的群的定时通知"),
    "收到 N1": everyone("只有群主需要确认收到通知", REQ_G=None, RES_G=None, OTH_G=None,
                      OWN_G="已确认「幸福小区居民群」收到通知 N1",
                      STF_G="已确认「幸福小区居民群」收到通知 N1",
                      OWN_P="已确认「幸福小区居民群」收到通知 N1",
                      OTH_P="已确认「阳光花园居民群」收到通知 N1", STF_P="没有发到您负责的群"),
    "绑定 新群": everyone("没看懂「绑定 新群」", **{f"{w}_G": "本群已登记为「幸福小区居民群」"
                                          for w in ("REQ", "RES", "OWN", "OTH", "STF")}),
}

@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database with the planted state; every cell works on its own copy."""
    path = tmp_path_factory.mktemp("planted")

    async def plant() -> None:
        bot = await Bot.start(path)
        for chat, who, text in PLANT:
            await bot.say(chat, who, text)
        await bot.close()

    asyncio.run(plant())
    return path


def test_every_command_and_cell_is_in_the_matrix() -> None:
    assert all(set(expect) == set(CELLS) for expect in MATRIX.values())


@pytest.mark.parametrize("text", MATRIX)
async def test_command_in_every_cell(planted: Path, tmp_path: Path, text: str) -> None:
    # Each cell runs on its own copy of the planted database, so no cell sees another's
    # effect; the cells run side by side because most of their time is spent waiting on I/O.
    results = await asyncio.gather(*(run_cell(planted, tmp_path / str(n), text, who, chat)
                                     for n, (who, chat) in enumerate(CELLS)))
    for (who, chat), replies in zip(CELLS, results, strict=True):
        expected = MATRIX[text][(who, chat)]
        where = GROUP if chat == G else f"@{who}"
        mine = [r.text for r in replies if r.chat.chat_id == where]
        if expected is None:
            assert replies == [], f"{who} in {chat}: {text} should be chat, got {replies}"
        else:
            assert any(expected in t for t in mine), f"{who} in {chat}: {text} -> {mine}"
        assert_nothing_private_in_groups(replies)


def copy_of(planted: Path, cell: Path) -> Path:
    """A folder holding a copy of the planted database."""
    cell.mkdir()
    for f in planted.glob("gridbot.db*"):
        shutil.copy(f, cell / f.name)
    return cell


async def run_cell(planted: Path, cell: Path, text: str, who: str, chat: str) -> list[Reply]:
    """What ``who`` gets back for ``text`` in ``chat``, on a fresh copy of the planted state."""
    bot = await Bot.start(copy_of(planted, cell))
    bot._ids = itertools.count(len(PLANT) + 1)  # message ids go on from the planted ones
    try:
        return await bot.say(GROUP if chat == G else "@", who, text)
    finally:
        await bot.close()


def assert_nothing_private_in_groups(replies: list[Reply]) -> None:
    """No group reply carries a phone, an ID number, an internal note, an address or a report."""
    for r in replies:
        if r.chat.is_private:
            continue
        assert leaks(r.text) == [], r.text
        for secret in SECRETS:
            assert secret not in r.text, r.text
