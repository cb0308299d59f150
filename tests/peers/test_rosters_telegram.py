"""换班 on Telegram: the request arrives with inline buttons and one tap hands the shift over."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.harness import TZ
from tests.peers.telegram_client import Person, TelegramApi
from tests.peers.test_telegram_adapter import LI, TOML, XINGFU, Running, in_chat, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

WANG = Person(7201, "王小明")
LISI = Person(7202, "李四")
ROSTER = TOML + f"""
[[checkpoints]]
key = "north"
name = "北门卡点"
group = "xingfu"
leads = ["{LI.id}"]
shifts = [
  {{ name = "早班", start = "08:00", end = "16:00", people = ["王小明:{WANG.id}"] }},
  {{ name = "夜班", start = "22:00", end = "06:00", people = ["李四:{LISI.id}"] }},
]
"""


@pytest.fixture
async def bot(telegram_api: TelegramApi, tmp_path: Path) -> AsyncIterator[Running]:
    await telegram_api.add_group(XINGFU)
    for person in (LI, WANG, LISI):
        await telegram_api.open_private(person)
    running = await start_bot(telegram_api, tmp_path, ROSTER)
    yield running
    await running.stop()


async def test_swap_request_has_buttons_and_one_tap_accepts(telegram_api: TelegramApi, bot: Running) -> None:
    day = (datetime.now(TZ) + timedelta(days=2)).date().isoformat()
    await telegram_api.say(WANG, f"换班 {day} 早班 李四")
    await telegram_api.wait_sent(in_chat(WANG.id, "已请 李四 确认"))
    question = await telegram_api.wait_sent(in_chat(LISI.id, "【换班请求】王小明"))
    assert question.labels == ["同意换班", "不同意"]
    await telegram_api.tap(LISI, question, "同意换班")
    edited = await telegram_api.wait_sent(in_chat(LISI.id), method="editMessageText")
    assert edited.message_id == question.message_id and edited.text.startswith("已同意换班")
    await telegram_api.wait_sent(in_chat(WANG.id, "李四 已同意替您值"))
    await telegram_api.wait_sent(in_chat(LI.id, "王小明 → 李四"))
    [duty] = [d for d in await bot.app.store.rosters.on_day(day) if d.shift.name == "早班"]
    assert (duty.name, duty.user_id) == ("李四", str(LISI.id))
