"""bot/volunteers.py: phones, team look-ups, which team takes an errand, and what a card may show."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import volunteers as vol
from bot.directory import Directory
from bot.privacy import leaks
from bot.tickets import Ticket
from tests.harness import START, make_config
from tests.volunteer_setup import TOML


@pytest.mark.parametrize(("text", "phone"), [
    ("13900001111", "13900001111"), ("139 0000 1111", "13900001111"), ("+86-139-0000-1111", "13900001111"),
    ("12900001111", None), ("1390000111", None), ("010-12345678", None), ("王小明", None),
])
def test_phone_of(text: str, phone: str | None) -> None:
    assert vol.phone_of(text) == phone


def _ticket(**fields: object) -> Ticket:
    base = Ticket(1, "E1", "errand", "groceries", "urgent", "open", "xingfu", "幸福小区居民群", "console",
                  "幸福小区居民群", "张阿姨", "张阿姨", "代买 大米 3栋2单元501 电话13812345678",
                  "3栋2单元501", "", "", "", "", START, START)
    return replace(base, **fields)  # type: ignore[arg-type]


def test_which_team_takes_an_errand(tmp_path: Path) -> None:
    directory = Directory(make_config(tmp_path, TOML))
    assert vol.team_for(directory, _ticket()) is not None
    assert vol.team_for(directory, _ticket(category="medicine")) is not None
    assert vol.team_for(directory, _ticket(category="trash")) is None  # not its category
    assert vol.team_for(directory, _ticket(group_key="hexi")) is None  # outside what it serves
    assert vol.team_for(directory, _ticket(kind="verification", category="check")) is None
    assert vol.team_for(directory, _ticket(status="done")) is None
    assert vol.team_for(directory, _ticket(platform="telegram")) is None  # the team is on the console
    config = make_config(tmp_path, TOML)
    assert vol.find_team(config, "配送") is vol.find_team(config, "peisong") is config.teams[0]
    assert vol.find_team(config, "") is None and vol.find_team(config, "消防") is None


def test_the_card_shows_category_area_urgency_and_nothing_private(tmp_path: Path) -> None:
    directory = Directory(make_config(tmp_path, TOML))
    team = directory.config.teams[0]
    card = vol.card(directory, team, _ticket())
    assert card.chat.chat_id == "配送志愿者群"
    assert card.text.splitlines()[:2] == ["【待接单】E1【急】 买菜/生活物资", "地点：幸福小区居民群·3栋"]
    assert "13812345678" not in card.text and "501" not in card.text
    assert "*" not in card.text and "电话" not in card.text  # not even a masked number
    village = vol.card(directory, team, _ticket(address="李家村3组12号", text="代买 米 李家村3组12号"))
    assert "地点：幸福小区居民群·李家村3组" in village.text and "12号" not in village.text
    nowhere = vol.card(directory, team, _ticket(address="", text="代买 米"))
    assert "地点：幸福小区居民群\n" in nowhere.text


def test_the_resident_phone_comes_from_the_register_else_the_request() -> None:
    assert vol.resident_phone(_ticket(), "13700000000") == "13700000000"
    assert vol.resident_phone(_ticket()) == "13812345678"
    assert vol.resident_phone(_ticket(text="代买 米")) == ""
    assert "未留电话" in vol.briefing(_ticket(text="代买 米"), "")


def test_on_the_way_names_the_volunteer_only() -> None:
    reply = vol.on_the_way(_ticket(), "王小明")
    assert reply.text == "您的工单 E1 已由志愿者 王小明 接单，正在赶来，请保持电话畅通。"
    private = vol.on_the_way(_ticket(chat_id="@张阿姨"), "王小明")
    assert not private.mentions




_NUMBERS = ("13812345678", "138 1234 5678", "110101199003071234", "010-12345678", "0755 8888 9999", "+8613812345678")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(max_size=20), number=st.sampled_from(_NUMBERS), after=st.text(max_size=20),
       word=st.sampled_from(("电话", "手机", "联系方式", "身份证", "", " ")))
def test_no_card_shows_a_number(tmp_path: Path, before: str, number: str, after: str, word: str) -> None:
    directory = Directory(make_config(tmp_path, TOML))
    text = f"代买 {before}{word}{number}{after} 3栋2单元501"
    card = vol.card(directory, directory.config.teams[0], _ticket(text=text))
    assert not leaks(card.text), card.text
