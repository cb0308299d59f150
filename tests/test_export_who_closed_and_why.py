"""Regression: ledgers lost who closed a ticket, when and why, and the handler when nobody pressed 接单."""

from __future__ import annotations

import csv
import io
import json

from bot import export
from tests.harness import Bot


async def test_ledger_says_who_closed_each_ticket_when_and_in_what_words(bot: Bot) -> None:
    await bot.say("幸福小区居民群", "张阿姨", "代买 大米一袋 3栋2单元501")
    await bot.say("幸福小区居民群", "王大爷", "代买 鸡蛋 5栋302")
    await bot.say("幸福小区居民群", "孙姐", "求证 听说明天全区停水")
    await bot.say("幸福小区居民群", "赵叔", "代买 牛奶 6栋101")
    bot.clock.advance(hours=2)
    await bot.say("@", "李书记", "完成 E1 已送到门口")  # no 接单 before it
    await bot.say("@", "李书记", "驳回 E2 不在本网格，请联系所在社区")
    await bot.say("@", "区指挥部小王", "辟谣 R1 区水务局通报：明天正常供水")

    rows = export.ledger_rows(await bot.app.store.tickets.export_rows(), bot.app.config.tz)
    data = {r["id"]: r for r in json.loads(export.to_json(rows))}
    assert data["E1"]["closed_by"] == "李书记" and data["E1"]["closing_note"] == "已送到门口"
    assert data["E1"]["handler"] == "李书记"  # whoever acted first handles it
    assert data["E1"]["closed_at"] == "2026-11-22 11:00:00"
    assert data["E2"]["closing_note"] == "不在本网格，请联系所在社区" and data["E2"]["status"] == "rejected"
    assert data["R1"]["closed_by"] == "区指挥部小王" and "明天正常供水" in data["R1"]["closing_note"]
    assert data["E3"]["closed_at"] == "" and data["E3"]["closed_by"] == "" and data["E3"]["handler"] == ""

    table = list(csv.DictReader(io.StringIO(export.to_csv(rows).decode("utf-8-sig"))))
    assert table[0]["closed_by"] == "李书记" and table[0]["closing_note"] == "已送到门口"
    book = export.to_xlsx(rows)
    assert book[:2] == b"PK"
