"""The local Bot API server answers the way api.telegram.org does (it is the tests' ground truth).

Checked with PTB 22's plain ``Bot`` (no rate limiter, no adapter) and with raw HTTP.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Conflict, InvalidToken

from tests.peers.telegram_client import Group, Person, TelegramApi

GROUP = Group(-1001234, "测试群")
ZHANG = Person(42, "张", "阿姨")


def keyboard(label: str, data: str) -> InlineKeyboardMarkup:
    """One inline button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])


@pytest.fixture
async def tg(telegram_api: TelegramApi) -> AsyncIterator[Bot]:
    """PTB's plain Bot pointed at the server."""
    bot = Bot(telegram_api.token, base_url=f"{telegram_api.base_url}/bot")
    await bot.initialize()
    yield bot
    await bot.shutdown()


async def test_messages_dates_ids_and_limits(telegram_api: TelegramApi, tg: Bot) -> None:
    assert (tg.username, tg.can_read_all_group_messages) == ("gridbot_test_bot", True)
    await telegram_api.say(ZHANG, "你好", GROUP)
    first = await tg.send_message(GROUP.id, "字" * 4096)
    second = await tg.send_message(GROUP.id, "&amp;" * 4096, parse_mode="HTML")  # limit is after parsing
    assert (first.message_id, second.message_id) == (2, 3) and second.text == "&" * 4096
    assert abs(first.date.timestamp() - time.time()) < 5  # seconds, not milliseconds
    with pytest.raises(BadRequest, match="Message is too long"):
        await tg.send_message(GROUP.id, "字" * 4097)
    # PTB drops "Bad Request: " and lower-cases the rest of the description.
    with pytest.raises(BadRequest, match='Can.t parse entities: can.t find end tag corresponding to start tag "b"'):
        await tg.send_message(GROUP.id, "<b>未闭合", parse_mode="HTML")
    with pytest.raises(BadRequest, match='Can.t parse entities: unsupported start tag "" at byte offset 2'):
        await tg.send_message(GROUP.id, "a < b", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await tg.send_message(GROUP.id, "x", reply_markup=keyboard("长", "字" * 22))  # 66 bytes
    with pytest.raises(BadRequest, match="Chat not found"):
        await tg.send_message(-1009999, "x")
    link = f'<a href="tg://user?id={ZHANG.id}">@张 阿姨</a> 好'
    mention = await tg.send_message(GROUP.id, link, parse_mode="HTML")
    assert mention.text == "@张 阿姨 好" and mention.entities[0].user is not None
    assert mention.entities[0].user.id == ZHANG.id


async def test_edits(telegram_api: TelegramApi, tg: Bot) -> None:
    await telegram_api.add_group(GROUP)
    keys = keyboard("接单", "接单 E1")
    sent = await tg.send_message(GROUP.id, "新工单", reply_markup=keys)
    edited = await tg.edit_message_text("已接单", chat_id=GROUP.id, message_id=sent.message_id,
                                        reply_markup=keys)
    assert not isinstance(edited, bool) and edited.text == "已接单" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg.edit_message_text("已接单", chat_id=GROUP.id, message_id=sent.message_id, reply_markup=keys)
    bare = await tg.edit_message_text("已接单", chat_id=GROUP.id, message_id=sent.message_id)
    assert not isinstance(bare, bool) and bare.reply_markup is None  # no markup sent: buttons go
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await tg.edit_message_text("x", chat_id=GROUP.id, message_id=999)


async def test_get_updates_offsets_and_long_polling(telegram_api: TelegramApi, tg: Bot) -> None:
    ids = [(await telegram_api.say(ZHANG, f"第{i}条", GROUP)).update_id for i in range(3)]
    assert [u.update_id for u in await tg.get_updates()] == ids
    assert [u.update_id for u in await tg.get_updates()] == ids  # returned is not confirmed
    assert [u.update_id for u in await tg.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await tg.get_updates(offset=-1)] == ids[2:]
    assert [u.update_id for u in await tg.get_updates(offset=ids[2] + 1)] == []

    began = time.monotonic()
    assert await tg.get_updates(offset=ids[2] + 1, timeout=1) == ()
    assert time.monotonic() - began >= 0.9  # it waited

    mark = await telegram_api.mark()
    poll = asyncio.create_task(tg.get_updates(offset=ids[2] + 1, timeout=20, read_timeout=30))
    await telegram_api.wait_call("getUpdates", start=mark)
    began = time.monotonic()
    late = await telegram_api.say(ZHANG, "来了", GROUP)
    assert [u.update_id for u in await poll] == [late.update_id]
    assert time.monotonic() - began < 5  # answered as soon as the update arrived

    other = Bot(telegram_api.token, base_url=f"{telegram_api.base_url}/bot")
    async with other:
        first = asyncio.create_task(tg.get_updates(offset=late.update_id + 1, timeout=20, read_timeout=30))
        await telegram_api.wait_call("getUpdates", lambda e: e["params"]["timeout"] == 20, start=mark + 2)
        await other.get_updates(offset=late.update_id + 1, timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first


async def test_callbacks_members_and_tokens(telegram_api: TelegramApi, tg: Bot) -> None:
    await telegram_api.add_group(GROUP)
    await telegram_api.open_private(ZHANG)
    push = await tg.send_message(ZHANG.id, "新工单", reply_markup=keyboard("接单", "接单 E1"))
    await telegram_api.tap(ZHANG, (await telegram_api.wait_sent()), "接单")
    (update,) = await tg.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "接单 E1" and query.chat_instance
    assert query.message is not None and query.message.message_id == push.message_id
    assert await tg.answer_callback_query(query.id, text="已更新")
    with pytest.raises(BadRequest, match="Query is too old"):
        await tg.answer_callback_query(query.id, text="again")

    kinds = (("owner", ChatMemberOwner), ("admin", ChatMemberAdministrator), ("left", ChatMemberLeft))
    for status, kind in kinds:
        await telegram_api.set_member(GROUP, ZHANG, status)
        assert isinstance(await tg.get_chat_member(GROUP.id, ZHANG.id), kind)

    async with aiohttp.ClientSession(telegram_api.base_url) as http:
        async with http.post(f"/bot{telegram_api.token}/sendMessage",
                             json={"chat_id": GROUP.id, "text": "JSON 也行"}) as resp:
            assert (resp.status, (await resp.json())["result"]["text"]) == (200, "JSON 也行")
        async with http.get(f"/bot{telegram_api.token}/getMe") as resp:
            assert (await resp.json())["result"]["is_bot"] is True
        for path, code in ((f"/bot{telegram_api.token}/noSuchMethod", 404), ("/bot123:WRONG/getMe", 401),
                           ("/botnonsense/getMe", 404)):
            async with http.get(path) as resp:
                body = await resp.json()
                assert (resp.status, body["ok"], body["error_code"]) == (code, False, code)
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG-token-0123456789abcdef", base_url=f"{telegram_api.base_url}/bot"):
            pass
