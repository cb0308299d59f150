"""Property tests over the dispatcher: whatever anyone types, the bot answers sanely.

Every command word and request keyword, followed by random Unicode, huge strings, control
characters, NUL, lone surrogates, SQL and format fragments and HTML specials, sent by a
resident, an owner, staff or a stranger, in the group or in private: no exception reaches the
resident (the app's error reply never appears), every reply fits a Telegram message, and no
group reply carries a phone number, an ID number or the planted internal note.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import ERROR_REPLY
from bot.kinds import REGISTRY
from bot.message import Reply
from bot.privacy import leaks
from handlers import ROUTERS
from tests.harness import Bot

GROUP = "幸福小区居民群"
NOTE = "家里钥匙在门垫下"
TAG = "独居老人"  # a household's tag: a card of it in a group would show it
MAX_TEXT = 4096  # Telegram's limit; WeChat's is larger

WORDS = sorted({n for r in ROUTERS for route in r.routes for n in route.names}
               | {w for k in REGISTRY for w in k.keywords})
CODES = ("E1", "E2", "V1", "R1", "N1", "S1", "E999", "e 1", "Ｅ１", "E99999999")
HOSTILE = (
    "'; DROP TABLE tickets; --", "%s", "%(x)s", "{0}", "{}", "{text}", "<b>&amp;</b>", "<i>",
    "&", "\x00", "\ud800", "\udfff", "\u202e", "\u200b", "\r\n", "\t", "\x1b[31m", "😀",
    "13812345678", "110101199003071234", "010-12345678", "@网格助手", "「引用」- - -",
    "1" * 5000, "一" * 3000,
)
USERS = ("张阿姨", "李书记", "区指挥部小王", "路人", "陈网格员")
CHATS = (GROUP, "@")

piece = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(CODES), st.sampled_from(HOSTILE),
    st.text(max_size=30),  # random Unicode, surrogates and control characters included
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
message = st.one_of(
    st.builds(lambda w, parts: w + " " + " ".join(parts), st.sampled_from(WORDS), st.lists(piece, max_size=5)),
    st.lists(piece, min_size=1, max_size=6).map("".join),
)
huge = st.builds(lambda w, code, fill, n: f"{w} {code} {fill * n}", st.sampled_from(WORDS),
                 st.sampled_from(("", "E1", "V1", "R1", "N1", "S1")),
                 st.sampled_from(["米", "1", "x", "13812345678 ", "<b>&", "{0}%s", "\x00", "一"]),
                 st.integers(min_value=10_000, max_value=100_000))


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.fixture(scope="module")
def bot(loop: asyncio.AbstractEventLoop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """One bot for the module, with tickets, a note and a notice to poke at."""
    path: Path = tmp_path_factory.mktemp("properties")

    async def start() -> Bot:
        b = await Bot.start(path)
        await b.say(GROUP, "张阿姨", "代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234")
        await b.say("@", "李书记", f"备注 E1 {NOTE} 电话13812345678")
        await b.say(GROUP, "孙姐", "举报 3栋王某某一家从外地返回 电话13900001111")
        await b.say(GROUP, "张阿姨", "求证 听说明天停水")
        await b.say("@", "区指挥部小王", "通知 东城街道群 明天停水")
        [added] = await b.say("@", "李书记", f"住户 新增 5-301 张阿姨 13812345678 2 {TAG}")
        assert added.text.startswith("已登记"), added.text
        return b

    b = loop.run_until_complete(start())
    yield b
    loop.run_until_complete(b.close())


def check(replies: list[Reply]) -> None:
    """What every answer to anything must satisfy."""
    for r in replies:
        assert ERROR_REPLY not in r.text, "an exception reached the dispatcher's catch-all"
        # A notice is the one text sent as written, however long: the Telegram adapter splits
        # it (adapters/telegram.split_text) and WeChat has no such limit.
        notice = r.text.startswith("【通知 N")
        assert notice or len(r.text) <= MAX_TEXT, f"{len(r.text)} characters to {r.chat}"
        if not r.chat.is_private:
            assert leaks(r.text) == [], r.text
            assert NOTE not in r.text and "王某某" not in r.text and TAG not in r.text, r.text


SETTINGS = settings(deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings(SETTINGS, max_examples=300)
@given(text=message, user=st.sampled_from(USERS), chat=st.sampled_from(CHATS))
def test_any_message_gets_a_sane_answer(loop: asyncio.AbstractEventLoop, bot: Bot, text: str,
                                        user: str, chat: str) -> None:
    check(loop.run_until_complete(bot.say(chat, user, text)))


@settings(SETTINGS, max_examples=15)
@given(text=huge, user=st.sampled_from(USERS), chat=st.sampled_from(CHATS))
def test_huge_messages_get_a_sane_answer(loop: asyncio.AbstractEventLoop, bot: Bot, text: str,
                                         user: str, chat: str) -> None:
    check(loop.run_until_complete(bot.say(chat, user, text)))


def test_the_error_reply_is_what_check_looks_for(loop: asyncio.AbstractEventLoop, bot: Bot) -> None:
    """The property above would pass vacuously if a failure looked different: make one fail."""
    original = bot.app.dispatcher.dispatch

    async def broken(*args: object) -> list[Reply]:
        raise RuntimeError("boom")

    bot.app.dispatcher.dispatch = broken  # type: ignore[method-assign, assignment]
    try:
        replies = loop.run_until_complete(bot.say(GROUP, "张阿姨", "帮助"))
    finally:
        bot.app.dispatcher.dispatch = original  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="exception reached"):
        check(replies)
