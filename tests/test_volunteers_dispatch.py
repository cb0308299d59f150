"""bot/volunteers_dispatch.py: posting records the errand, a claim's messages, an escalation once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import volunteers_dispatch as dispatch
from bot.store.households import HouseholdData
from tests.harness import START, Bot
from tests.volunteer_setup import GROUP, TEAM_GROUP, TOML, volunteer


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await Bot.start(tmp_path, TOML)
    yield bot
    await bot.close()


async def test_post_records_the_errand_or_says_nothing(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 大米 5栋301")  # filed and posted
    await bot.say(GROUP, "王大爷", "代办 清运垃圾 5栋302")  # trash: no team takes it
    svc = bot.app.services
    [w] = await svc.store.volunteers.waiting(START)
    assert (w.ticket.code, w.team_key) == ("E1", "peisong")
    trash = await svc.store.tickets.get("E2")
    assert trash is not None and await dispatch.post(svc, trash, START) == []


async def test_a_claim_briefs_with_the_registered_phone(bot: Bot) -> None:
    svc = bot.app.services
    await svc.store.households.save(HouseholdData("xingfu", "5-301", "5栋301", "张阿姨", "13711112222"), START)
    await volunteer(bot, "小明", "王小明")
    await bot.say(GROUP, "张阿姨", "代买 大米 5栋301")
    replies = await bot.say(TEAM_GROUP, "小明", "抢单 E1")
    [brief] = [r for r in replies if r.chat.chat_id == "@小明"]
    assert "电话：13711112222" in brief.text


async def test_escalate_is_once_per_posting(bot: Bot) -> None:
    await bot.say(GROUP, "张阿姨", "代买 大米 5栋301")
    svc = bot.app.services
    [w] = await svc.store.volunteers.waiting(START)
    later = START + timedelta(minutes=30)
    first = await dispatch.escalate(svc, w, later)
    assert [r.chat.chat_id for r in first] == [TEAM_GROUP, "@李书记"]
    assert await dispatch.escalate(svc, w, later) == []
