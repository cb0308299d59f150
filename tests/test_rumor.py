"""handlers/rumor.py: verdicts from the library, verdicts that teach it, and 下发辟谣."""

from __future__ import annotations

from bot.store.rumors import RumorData
from tests.harness import Bot, to
from tests.test_rumor_reports import XINGFU, YANGGUANG, load_sample


async def test_a_verdict_in_words_becomes_an_entry_and_is_pushed_down_the_tree(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "求证 网传明天全区停水三天")
    replies = await bot.say("@", "李书记", "辟谣 R1 自来水公司：明天正常供水")
    learned = next(r for r in to(replies, "@李书记") if "已加入谣言库 LR1" in r.text)
    assert learned.buttons[0].command == "下发辟谣 LR1"
    entry = await bot.app.store.rumors.get("LR1")
    assert entry is not None and entry.data.verdict == "false" and entry.data.ticket_code == "R1"
    # 李书记 owns only his village group: the notice goes there.
    [done] = to(await bot.say("@", "李书记", "下发辟谣 LR1"), "@李书记")
    assert "通知 N1" in done.text and XINGFU in done.text
    replies = await bot.say("@", "区指挥部小王", "下发辟谣 LR1")
    groups = {r.chat.chat_id for r in replies if "【通知 N2】" in r.text}
    assert {XINGFU, YANGGUANG, "东城街道群", "河西区指挥部"} <= groups
    assert all("自来水公司：明天正常供水" in r.text for r in replies if "【通知 N2】" in r.text)


async def test_bad_push_and_bad_entry_are_explained(bot: Bot) -> None:
    await load_sample(bot)
    [r] = await bot.say("@", "区指挥部小王", "下发辟谣")
    assert "请写上谣言库编号" in r.text
    [r] = await bot.say("@", "区指挥部小王", "下发辟谣 L404")
    assert "没有可用的 L404" in r.text
    [r] = await bot.say("@", "区指挥部小王", "下发辟谣 L1 不存在的群")
    assert "没有找到您负责的群" in r.text
    await bot.say(XINGFU, "张阿姨", "求证 听说明天要下暴雨")
    [r] = await bot.say("@", "李书记", "辟谣 R1 按 L404")
    assert "没有可用的 L404" in r.text
    await bot.app.store.rumors.retire("L1", bot.clock())
    [r] = await bot.say("@", "李书记", "辟谣 R1 按 L1")
    assert "没有可用的 L1" in r.text


async def test_confirm_by_a_true_entry(bot: Bot) -> None:
    await load_sample(bot)
    await bot.app.store.rumors.add_many([RumorData("T1", "下周全员核酸", "true", "下周一起分楼栋核酸", "街道",
                                                   bot.clock().date())], bot.clock())
    await bot.say(XINGFU, "张阿姨", "求证 听说要做核酸")
    replies = await bot.say("@", "李书记", "属实 R1 按 T1")
    [notice] = to(replies, XINGFU)
    assert notice.text.startswith("【核实】R1") and "下周一起分楼栋核酸" in notice.text
    ticket = await bot.app.store.tickets.get("R1")
    assert ticket is not None and ticket.verdict == "true"
