"""bot/text.py: cleaning what adapters receive."""

from __future__ import annotations

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.text import clean_text
from tests.harness import Bot


@pytest.mark.parametrize(("raw", "clean"), [
    ("代买 大米 3栋501", "代买 大米 3栋501"),
    ("第一行\n第二行\t完", "第一行\n第二行\t完"),  # line breaks and tabs are text
    ("代买\x00大米", "代买大米"),
    ("\x1b[31m红字\x1b[0m\x7f", "[31m红字[0m"),
    ("大米\ud800一袋", "大米\ufffd一袋"),
    ("\udcff\udcfe", "\ufffd\ufffd"),  # undecodable bytes read with surrogateescape
    ("笑\ud83d\ude00", "笑😀"),  # a pair split into halves is joined again
    ("\ud83d", "\ufffd"),
    ("", ""),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean
    clean.encode("utf-8")  # storable and sendable


async def test_the_console_stores_a_line_with_nul_and_surrogates_cleaned(bot: Bot) -> None:
    console = ConsoleAdapter(bot.app.directory, clock=bot.clock)
    msg = console.parse_line("幸福小区居民群|张阿姨\udcff|代买 大米\x00一袋\ud800 5栋301")
    assert msg.text == "代买 大米一袋\ufffd 5栋301" and msg.sender_id == "张阿姨\ufffd"
    replies = await bot.send(msg)
    assert "已登记代办工单 E1" in replies[0].text
    [ticket] = await bot.app.store.tickets.list()
    assert ticket.text == "大米一袋\ufffd 5栋301"


def test_summaries_never_cut_a_phone_number_in_the_middle() -> None:
    from bot.text import one_line

    line = one_line("代买 胰岛素两盒 5栋301 电话13812345678 谢谢", 20)
    assert line == "代买 胰岛素两盒 5栋301 电话…"
    assert one_line("E12 代买 大米一袋 3栋2单元501 谢谢大家", 19) == "E12 代买 大米一袋 3栋2单元…"
    assert one_line("短消息", 20) == "短消息"
