"""An errand nobody took within ``repost_after_minutes`` is posted again and its owners told, once
(across restarts too); a taken one is left alone. Time is passed in, never waited for."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from schedules import dispatch
from tests.harness import START, Bot, Clock
from tests.volunteer_setup import GROUP, TEAM_GROUP, TOML, volunteer


async def run(bot: Bot, at: datetime) -> list[str]:
    bot.clock.now = at
    before = len(bot.adapter.sent)
    await dispatch.job(bot.app.services, at)
    await bot.app.outbox.drain("console")
    return [f"{r.chat.chat_id}|{r.text.splitlines()[0]}" for r in bot.adapter.sent[before:]]


async def test_an_unclaimed_errand_is_reposted_and_escalated_once(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, TOML, Clock(START))
    try:
        await bot.say(GROUP, "张阿姨", "代买 大米一袋 5栋301")
        assert await run(bot, START + timedelta(minutes=19)) == []
        sent = await run(bot, START + timedelta(minutes=20))
        assert sent[0] == f"{TEAM_GROUP}|【仍待接单】E1 买菜/生活物资"
        assert sent[1].startswith("@李书记|E1（买菜/生活物资，张阿姨）发到「配送小分队」20 分钟还没有志愿者接单")
        assert len(sent) == 2
        assert await run(bot, START + timedelta(minutes=40)) == []
    finally:
        await bot.close()
    again = await Bot.start(tmp_path, TOML, Clock(START + timedelta(minutes=41)))
    try:
        assert await run(again, START + timedelta(minutes=41)) == []  # a restart tells nobody again
    finally:
        await again.close()


async def test_a_claimed_errand_is_left_alone_and_a_given_back_one_waits_anew(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path, TOML, Clock(START))
    try:
        await volunteer(bot, "小明", "王小明")
        await bot.say(GROUP, "张阿姨", "代买 大米一袋 5栋301")
        await bot.say(TEAM_GROUP, "小明", "抢单 E1")
        assert await run(bot, START + timedelta(minutes=30)) == []
        await bot.say("@", "小明", "退回 E1 临时有事")  # at 09:30: posted anew
        assert await run(bot, START + timedelta(minutes=45)) == []
        assert len(await run(bot, START + timedelta(minutes=50))) == 2
    finally:
        await bot.close()


async def test_the_job_has_no_trigger_without_teams(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    try:
        assert dispatch.JOB.triggers(bot.app.config) == {}
        assert await dispatch.job(bot.app.services, START) == []
    finally:
        await bot.close()
