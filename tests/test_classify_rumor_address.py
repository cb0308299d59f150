"""Regression: 「辟谣 网传阳光花园今晚停水」 got the address 「网传阳光花园」.

Hearsay words (网传, 传言, 据悉…) ran into the place name after them. A rumour claim is news,
not a home to visit, so it carries no address at all; the place stays in the claim's text.
"""

from __future__ import annotations

import pytest

from bot.classify import classify, extract_address
from bot.tickets import NewTicket
from tests.harness import Bot


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("网传阳光花园今晚停水", "阳光花园"),
        ("传言李家村3组有人确诊", "李家村3组"),
        ("据悉幸福小区5栋明天封控", "幸福小区5栋"),
        ("朋友圈里说阳光花园停电", "阳光花园"),
        ("有消息称建设路12号关门", "建设路12号"),
    ],
)
def test_hearsay_words_are_not_part_of_the_place(text: str, address: str) -> None:
    assert extract_address(text) == address


@pytest.mark.parametrize(
    "text",
    ["辟谣 网传阳光花园今晚停水", "求证 听说3栋2单元501有人确诊", "核实 网传幸福小区5栋封控是真的吗",
     "举报 有人造谣说李家村3组封村"],
)
def test_rumour_claims_carry_no_address(text: str) -> None:
    found = classify(text)
    assert isinstance(found, NewTicket)
    assert (found.kind, found.address) == ("rumor", "")


def test_errands_still_get_their_address() -> None:
    found = classify("代买 米 阳光花园9-3-1101")
    assert isinstance(found, NewTicket) and found.address == "阳光花园9-3-1101"


async def test_owner_card_shows_the_claim_without_a_hedged_address(bot: Bot) -> None:
    replies = await bot.text("阳光花园居民群", "小陈", "辟谣 网传阳光花园今晚停水")
    card = next(line for line in replies if line.startswith("@陈网格员|"))
    assert "谣言求证：网传阳光花园今晚停水" in card
    assert "地址" not in card
    listing = await bot.text("@", "陈网格员", "待办 谣言")
    assert "网传阳光花园今晚停水｜" in listing[0] and "（网传阳光花园）" not in listing[0]
