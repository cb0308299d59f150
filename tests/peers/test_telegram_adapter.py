"""The Telegram adapter end to end: the real App and PTB 22 over real HTTP to a local Bot API.

Each test starts ``tests/peers/telegram_api.py`` as a process (the ``telegram_api``
fixture), runs ``App.run()`` with a ``TelegramAdapter`` pointed at it over a SQLite file
under ``tmp_path``, plays residents and owners through the server's control API, and
checks what the server recorded against the bot's store. Nothing sleeps to wait: every
wait is on the server's long-polled event record or a log line, with a timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.adapter import make_adapter
from bot.adapters.telegram import TelegramAdapter, TelegramSetupError, Webhook, check_token
from bot.adapters.telegram_format import MAX_TEXT, split_text
from bot.app import App
from bot.message import ChatRef, Mention, Reply
from bot.tickets import ACCEPTED, DONE, REJECTED, Ticket
from schedules import JOBS
from tests.harness import make_config, open_app
from tests.peers.telegram_api import DEFAULT_TOKEN
from tests.peers.telegram_client import Group, Person, Sent, TelegramApi, free_port
from tests.peers.telegram_html import utf16_len

# PTB 22 warns about its own RetryAfter.retry_after (int today, timedelta later) on every 429.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

BOT = "gridbot_test_bot"
XINGFU = Group(-1001001001, "幸福小区居民群")
OTHER = Group(-1002002002, "外小区3号楼群")
ZHANG = Person(7101, "张", "阿姨")
WANG = Person(7102, "王大爷")
LI = Person(7001, "李书记")
CHEN = Person(7003, "陈网格员")

TOML = f"""
[bot]
name = "网格助手"
platforms = ["telegram"]
timezone = "Asia/Shanghai"

[[groups]]
key = "xingfu"
name = "{XINGFU.title}"
platform = "telegram"
chat_id = "{XINGFU.id}"
owners = ["{LI.id}"]
"""


@dataclass
class Running:
    """One bot process, as far as a test can tell: the App, its adapter, its run task."""

    app: App
    adapter: TelegramAdapter
    task: asyncio.Task[None]
    stopped: bool = False

    async def tickets(self) -> list[Ticket]:
        """Every ticket in the store, oldest first."""
        return sorted(await self.app.store.tickets.list(), key=lambda t: t.id)

    async def halt(self) -> None:
        """End the run task; sends under way finish and are recorded (the store stays open)."""
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    async def stop(self) -> None:
        """A clean shutdown (Ctrl-C): the run task ends, then App.close() confirms the offset."""
        if self.stopped:
            return
        self.stopped = True
        await self.halt()
        await self.app.close()

    async def crash(self) -> None:
        """Like kill -9: nothing is confirmed; the OS would close the sockets and the file."""
        self.stopped = True
        await self.halt()
        await self.adapter.bot.shutdown()
        await self.app.store.close()


async def start_bot(api: TelegramApi, tmp_path: Path, toml: str = TOML, *, max_retries: int = 3,
                    webhook: Webhook | None = None) -> Running:
    """App + TelegramAdapter on ``tmp_path/gridbot.db``, running until its first long poll
    (or, with ``webhook``, until Telegram has the webhook)."""
    app = await open_app(make_config(tmp_path, toml))
    adapter = TelegramAdapter(api.token, base_url=api.base_url, poll_timeout=1, max_retries=max_retries,
                              webhook=webhook)
    app.attach(adapter)
    first = await api.mark()
    task = asyncio.create_task(app.run(scheduler=False))
    await api.wait_call("setWebhook" if webhook else "getUpdates", start=first)
    return Running(app, adapter, task)


@pytest.fixture
async def bot(telegram_api: TelegramApi, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot serving 幸福小区居民群, whose owner 李书记 once pressed Start in private."""
    await telegram_api.add_group(XINGFU)
    await telegram_api.open_private(LI)
    running = await start_bot(telegram_api, tmp_path)
    yield running
    await running.stop()


class LogWatch(logging.Handler):
    """Log records of one logger, with an event set whenever one arrives."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.arrived = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.arrived.set()

    async def wait(self, check: Callable[[list[logging.LogRecord]], bool],
                   timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until ``check(records)`` holds, re-checked on each new record."""
        async with asyncio.timeout(timeout):
            while not check(self.records):
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
def logs() -> Iterator[Callable[[str], LogWatch]]:
    """``logs("bot.outbox")`` watches a logger until the test ends."""
    attached: list[tuple[str, LogWatch]] = []

    def watch(name: str) -> LogWatch:
        handler = LogWatch()
        logging.getLogger(name).addHandler(handler)
        attached.append((name, handler))
        return handler

    yield watch
    for name, handler in attached:
        logging.getLogger(name).removeHandler(handler)


def in_chat(chat_id: int, text: str = "") -> Callable[[Sent], bool]:
    """A predicate for wait_sent: sent to ``chat_id``, containing ``text``."""
    return lambda s: s.chat_id == chat_id and text in s.text


async def new_ticket(api: TelegramApi, text: str = "代买 胰岛素两盒 急 5栋301") -> tuple[Sent, Sent]:
    """张阿姨 posts a keyword in 幸福小区; returns the group acknowledgement and the owner's push."""
    await api.say(ZHANG, text, XINGFU)
    return await api.wait_sent(in_chat(XINGFU.id)), await api.wait_sent(in_chat(LI.id))


# ---------------------------------------------------------------- residents and owners


async def test_keywords_become_tickets_with_group_reply_and_owner_push(
        telegram_api: TelegramApi, bot: Running) -> None:
    ack, push = await new_ticket(telegram_api)
    assert "已登记代办工单 E1（紧急·买药/就医）" in ack.text and "5栋301" in ack.text
    assert ack.text.startswith("@张 阿姨 ")
    assert ack.html.startswith(f'<a href="tg://user?id={ZHANG.id}">@张 阿姨</a> ')
    assert ack.mentioned == [ZHANG.id]
    assert push.text.startswith("新工单 E1【紧急】\n幸福小区居民群·张 阿姨")
    assert push.buttons == ((("接单", "接单 E1"), ("完成", "完成 E1"), ("驳回", "驳回 E1"), ("详情", "详情 E1")),)

    for text in ("代買 大米一袋 3棟201", "/errand 大米 3栋", f"/errand@{BOT} 面粉两袋 4栋"):
        await telegram_api.say(WANG, text, XINGFU)
        ack = await telegram_api.wait_sent(in_chat(XINGFU.id, "已登记代办工单"))
        assert ack.mentioned == [WANG.id]
        await telegram_api.wait_sent(in_chat(LI.id, "新工单"))
    tickets = await bot.tickets()
    assert [(t.code, t.requester_id, t.group_key, t.text) for t in tickets] == [
        ("E1", str(ZHANG.id), "xingfu", "胰岛素两盒 急 5栋301"),
        ("E2", str(WANG.id), "xingfu", "大米一袋 3栋201"),
        ("E3", str(WANG.id), "xingfu", "大米 3栋"),
        ("E4", str(WANG.id), "xingfu", "面粉两袋 4栋"),
    ]
    assert tickets[0].priority == "urgent" and tickets[1].address == "3栋201"
    # Exactly one acknowledgement and one push per ticket.
    assert len(telegram_api.sends()) == 8


async def test_owner_taps_accept_then_done_on_the_push(telegram_api: TelegramApi, bot: Running) -> None:
    _, push = await new_ticket(telegram_api)
    await telegram_api.tap(LI, push, "接单")

    notice = await telegram_api.wait_sent(in_chat(XINGFU.id, "已由李书记接单"))
    assert notice.mentioned == [ZHANG.id]
    card = await telegram_api.wait_sent(in_chat(LI.id), method="editMessageText")
    assert card.message_id == push.message_id
    assert card.text.startswith("已接单 E1。\nE1【急】")
    assert card.labels == ["完成", "驳回", "详情"]
    answer = await telegram_api.wait_call("answerCallbackQuery")
    assert (answer["status"], answer["params"]["text"]) == (200, "已更新")
    ticket = await bot.app.store.tickets.get("E1")
    assert ticket is not None and (ticket.status, ticket.handler_id) == (ACCEPTED, str(LI.id))

    await telegram_api.tap(LI, card, "完成")
    done = await telegram_api.wait_sent(in_chat(LI.id), method="editMessageText")
    assert done.message_id == push.message_id and done.text.startswith("E1 已完成。")
    assert done.labels == ["详情"]
    await telegram_api.wait_sent(in_chat(XINGFU.id, "您的工单 E1 已完成"))
    ticket = await bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.status == DONE
    # The owner's chat got edits only: no new cards piled up under the push.
    assert [s.message_id for s in telegram_api.sends() if s.chat_id == LI.id] == [push.message_id]
    state = await telegram_api.state()
    assert len(state["answered"]) == 2


async def test_taps_that_cannot_act_get_a_clear_answer(
        telegram_api: TelegramApi, bot: Running, tmp_path: Path) -> None:
    _, push = await new_ticket(telegram_api)

    # A query Telegram already expired: the tap still counts, answering it fails quietly.
    await telegram_api.tap(LI, push, "接单", stale=True)
    answer = await telegram_api.wait_call("answerCallbackQuery")
    assert answer["status"] == 400 and "query is too old" in answer["error"]
    await telegram_api.wait_sent(in_chat(XINGFU.id, "已由李书记接单"))

    # The ticket is then rejected by text; a tap on the card's 完成 is refused.
    await telegram_api.say(LI, "驳回 E1 不在本网格，请联系所在社区")
    await telegram_api.wait_sent(in_chat(XINGFU.id, "未能受理"))
    update = await telegram_api.tap(LI, push, "完成")
    refused = await telegram_api.wait_call("answerCallbackQuery", lambda e: e["status"] == 200)
    assert refused["params"]["text"] == "E1 已是「已驳回」状态，不能再更改。"
    ticket = await bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.status == REJECTED

    # A button on a message older than 48 hours: Telegram sends only its chat and id; it works.
    await telegram_api.wait_confirmed(update)
    start = await telegram_api.mark()
    await telegram_api.tap(LI, push, "详情", inaccessible=True)
    old = await telegram_api.wait_call("answerCallbackQuery", start=start)
    assert old["params"]["text"] == "工单 E1（代办·买药/就医·紧急）"
    card = await telegram_api.wait_sent(in_chat(LI.id, "状态：已驳回"))
    assert "驳回：不在本网格" in card.text

    # 李书记 is no longer the owner after a config change and restart: his tap is refused.
    await bot.stop()
    moved = await start_bot(telegram_api, tmp_path, TOML.replace(f'["{LI.id}"]', f'["{CHEN.id}"]'))
    try:
        start = await telegram_api.mark()
        await telegram_api.tap(LI, push, "详情")
        answer = await telegram_api.wait_call("answerCallbackQuery", start=start)
        assert answer["params"]["text"].startswith("「详情」只有群主（社区工作人员）和网格员可以使用，您是居民。")
        assert not moved.task.done()
    finally:
        await moved.stop()


async def test_flood_control_429_still_delivers_each_message_once(
        telegram_api: TelegramApi, bot: Running) -> None:
    await telegram_api.flood(1, retry_after=1)
    ack, push = await new_ticket(telegram_api)
    limited = telegram_api.calls("sendMessage", ok=False)
    assert [e["status"] for e in limited][:1] == [429]
    assert limited[0]["parameters"] == {"retry_after": 1}
    retried = next(s for s in (ack, push) if s.chat_id == int(limited[0]["params"]["chat_id"]))
    assert retried.at - limited[0]["at"] >= 1.0  # PTB's AIORateLimiter waited as told
    assert len(telegram_api.sends()) == 2


async def test_429_beyond_the_rate_limiter_is_retried_by_the_outbox(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    await telegram_api.add_group(XINGFU)
    await telegram_api.open_private(LI)
    bot = await start_bot(telegram_api, tmp_path, max_retries=0)  # the limiter gives up at once
    bot.app.outbox.base_backoff = 0.1
    try:
        await telegram_api.flood(1, retry_after=1)
        await new_ticket(telegram_api)
        assert telegram_api.calls("sendMessage", ok=False)
        await bot.halt()
        items = await bot.app.store.outbox.items("telegram")
        assert [i.status for i in items] == ["sent", "sent"]
        assert max(i.attempts for i in items) >= 1
        assert len(telegram_api.sends()) == 2
    finally:
        await bot.stop()


# ---------------------------------------------------------------- restarts


async def test_clean_restart_neither_loses_nor_repeats_updates(
        telegram_api: TelegramApi, bot: Running, tmp_path: Path) -> None:
    first = await telegram_api.say(ZHANG, "代买 大米 3栋201", XINGFU)
    await telegram_api.wait_sent(in_chat(XINGFU.id, "E1"))
    await bot.stop()
    await telegram_api.fetch()
    closing = telegram_api.calls("getUpdates")[-1]["params"]
    assert closing["offset"] == first.update_id + 1 and closing["timeout"] == 0

    second = await telegram_api.say(WANG, "代买 面粉 4栋102", XINGFU)  # while the bot is down
    again = await start_bot(telegram_api, tmp_path)
    try:
        await telegram_api.wait_sent(in_chat(XINGFU.id, "E2"))
        await telegram_api.wait_confirmed(second.update_id)
        state = await telegram_api.state()
        assert state["deliveries"] == {str(first.update_id): 1, str(second.update_id): 1}
        assert [t.code for t in await again.tickets()] == ["E1", "E2"]
        assert await again.app.store.messages.count() == 2
    finally:
        await again.stop()


async def test_crash_before_confirming_offsets_handles_each_update_once(
        telegram_api: TelegramApi, bot: Running, tmp_path: Path) -> None:
    # Park the bot's polls: the live one times out, the next waits unread.
    mark = await telegram_api.mark()
    await telegram_api.hold_polling(True)
    await telegram_api.wait_call("getUpdates.parked", start=mark)
    early = [await telegram_api.say(p, f"代买 大米 {i}栋", XINGFU) for i, p in enumerate((ZHANG, WANG), 1)]
    mark = await telegram_api.mark()
    await telegram_api.hold_polling(True, release=1)  # that one poll fetches both...
    for code in ("E1", "E2"):
        await telegram_api.wait_sent(in_chat(XINGFU.id, code))
        await telegram_api.wait_sent(in_chat(LI.id, code))
    # ...and the poll that would confirm them never reaches Telegram before the crash.
    await telegram_api.wait_call("getUpdates.parked", lambda e: e["params"].get("offset") is not None,
                                 start=mark)
    await bot.crash()
    # While it is down: a request in private (filed for the group she wrote in) and one in the group.
    late = [await telegram_api.say(ZHANG, "代买 酱油 1栋"), await telegram_api.say(WANG, "代买 醋 2栋", XINGFU)]
    await telegram_api.hold_polling(False)
    await telegram_api.wait_call("getUpdates.dropped")
    assert (await telegram_api.state())["pending"] == [u.update_id for u in early + late]

    again = await start_bot(telegram_api, tmp_path)
    try:
        await telegram_api.wait_sent(in_chat(XINGFU.id, "E4"))
        await telegram_api.wait_confirmed(late[-1].update_id)
        deliveries = (await telegram_api.state())["deliveries"]
        assert [deliveries[str(u.update_id)] for u in early] == [2, 2]  # re-delivered...
        assert [t.code for t in await again.tickets()] == ["E1", "E2", "E3", "E4"]  # ...handled once
        assert await again.app.store.messages.count() == 4
        group_acks = [s.text[s.text.index("E"):][:2] for s in telegram_api.sends() if s.chat_id == XINGFU.id]
        assert group_acks == ["E1", "E2", "E4"]
        private = [s.text for s in telegram_api.sends() if s.chat_id == ZHANG.id]
        assert len(private) == 1 and "已为您在「幸福小区居民群」登记代办 E3" in private[0]
    finally:
        await again.stop()


# ---------------------------------------------------------------- groups


async def test_ordinary_chat_gets_no_reply(telegram_api: TelegramApi, bot: Running) -> None:
    for text in ("谢谢大家", "收到", "代买的菜收到了，谢谢", "/help@other_bot", "今天几点发菜？"):
        last = await telegram_api.say(WANG, text, XINGFU)
    await telegram_api.wait_confirmed(last.update_id)
    assert telegram_api.sends() == []
    assert await bot.app.store.outbox.items("telegram") == []
    assert await bot.app.store.messages.count() == 4  # the other bot's command was not even stored


async def test_unbound_group_is_told_to_bind_and_an_admin_binds_it(
        telegram_api: TelegramApi, bot: Running) -> None:
    await telegram_api.say(WANG, "代买 大米 3栋", OTHER)
    hint = await telegram_api.wait_sent(in_chat(OTHER.id))
    assert "本群还没有在网格助手登记" in hint.text and hint.mentioned == [WANG.id]

    await telegram_api.say(WANG, "/bind", OTHER)
    refused = await telegram_api.wait_sent(in_chat(OTHER.id))
    assert "只有本群群主（群管理员）或指挥部工作人员可以登记本群" in refused.text
    member = telegram_api.calls("getChatMember")[-1]
    assert (member["result"]["status"], member["params"]["user_id"]) == ("member", str(WANG.id))

    await telegram_api.set_member(OTHER, CHEN, "administrator")
    await telegram_api.open_private(CHEN)
    await telegram_api.say(CHEN, f"@{BOT} 綁定", OTHER)
    bound = await telegram_api.wait_sent(in_chat(OTHER.id))
    assert bound.text.endswith("已登记本群为「外小区3号楼群」，群主：陈网格员。"
                               "本群还没有上级群，区里的通知和超时督办到不了这里：请发送「绑定 上级 街道或区里的群名」补上。"
                               "居民现在可以发送「代买 …」等登记工单，群主请私聊我「帮助」查看管理指令。"
                               "（Telegram 上请先点开与我的私聊并按「Start」，否则我没法把新工单发给您。）")

    await telegram_api.say(WANG, "代买 大米 3栋", OTHER)
    await telegram_api.wait_sent(in_chat(OTHER.id, "已登记代办工单 E1"))
    push = await telegram_api.wait_sent(in_chat(CHEN.id, "新工单 E1"))
    assert push.labels == ["接单", "完成", "驳回", "详情"]
    ticket = await bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.group_name == OTHER.title


async def test_anonymous_admin_cannot_bind(telegram_api: TelegramApi, bot: Running) -> None:
    # Posting "as the group" hides the admin's user id: no owner the bot could push to.
    await telegram_api.say(WANG, f"/bind@{BOT} 阳光花园居民群", OTHER, anonymous=True)
    refused = await telegram_api.wait_sent(in_chat(OTHER.id))
    assert "只有本群群主（群管理员）或指挥部工作人员可以登记本群" in refused.text
    assert telegram_api.calls("getChatMember") == []
    assert bot.app.directory.find("阳光花园居民群") is None


async def test_privacy_mode_is_reported_and_commands_still_work(tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    async with TelegramApi(privacy=True) as api:
        await api.add_group(XINGFU)
        await api.open_private(LI)
        with caplog.at_level(logging.WARNING, logger="bot.adapters.telegram"):
            bot = await start_bot(api, tmp_path)
        try:
            assert any("privacy mode is on" in r.getMessage() for r in caplog.records)
            hidden = await api.say(ZHANG, "代买 大米 3栋", XINGFU)
            assert not hidden.delivered
            await api.say(ZHANG, "/errand 大米 3栋", XINGFU)
            await api.wait_sent(in_chat(XINGFU.id, "已登记代办工单 E1"))
        finally:
            await bot.stop()


# ---------------------------------------------------------------- formatting


async def test_html_special_characters_arrive_as_typed(telegram_api: TelegramApi, bot: Running) -> None:
    ack, push = await new_ticket(telegram_api, "代买 酱油<b>两瓶</b> & 醋 a<b 3栋201")
    assert "酱油<b>两瓶</b> & 醋 a<b 3栋201" in ack.text
    assert "酱油&lt;b&gt;两瓶&lt;/b&gt; &amp; 醋 a&lt;b" in ack.html
    assert [e["type"] for e in ack.entities] == ["text_mention"]  # no bold sneaked in
    assert "酱油<b>两瓶</b> & 醋 a<b 3栋201" in push.text and push.entities == ()
    ticket = await bot.app.store.tickets.get("E1")
    assert ticket is not None and ticket.text == "酱油<b>两瓶</b> & 醋 a<b 3栋201"


async def test_long_replies_are_split_under_the_limit(telegram_api: TelegramApi, bot: Running) -> None:
    lines = [f"第{i}行 <a> & {'字' * 40}" for i in range(150)]
    long = Reply(ChatRef("telegram", str(XINGFU.id)), "\n".join(lines), (Mention(str(ZHANG.id), "张 阿姨"),))
    assert len(split_text(long.text)) == 3
    await telegram_api.know(ZHANG)  # Telegram links a mention only to someone the bot can see
    await bot.app.queue([long])
    parts = [await telegram_api.wait_sent(in_chat(XINGFU.id)) for _ in range(3)]
    assert all(utf16_len(p.text) <= MAX_TEXT for p in parts)
    assert "\n".join(p.text for p in parts) == "@张 阿姨 " + long.text
    assert [p.mentioned for p in parts] == [[ZHANG.id], [], []]

    # One 9000-character line, sent directly: cut hard, nothing lost.
    message_id = await bot.adapter.send(Reply(ChatRef("telegram", str(XINGFU.id)), "&" * 9000))
    cut = [await telegram_api.wait_sent(in_chat(XINGFU.id)) for _ in range(3)]
    assert "".join(p.text for p in cut) == "&" * 9000 and message_id == str(cut[-1].message_id)


async def test_long_reply_resumes_after_a_429_without_repeating_chunks(
        telegram_api: TelegramApi, tmp_path: Path) -> None:
    await telegram_api.add_group(XINGFU)
    bot = await start_bot(telegram_api, tmp_path, max_retries=0)  # the outbox retries, not PTB
    bot.app.outbox.base_backoff = 0.1
    try:
        text = "\n".join(f"第{i}行 " + "字" * 60 for i in range(120))
        await telegram_api.flood(1, retry_after=1, after=1)  # the second chunk hits flood control
        await bot.app.queue([Reply(ChatRef("telegram", str(XINGFU.id)), text)])
        parts = [await telegram_api.wait_sent(in_chat(XINGFU.id)) for _ in range(3)]
        assert "\n".join(p.text for p in parts) == text  # the first chunk went out once
        assert [e["status"] for e in telegram_api.calls("sendMessage")][:2] == [200, 429]
        await bot.halt()
        items = await bot.app.store.outbox.items("telegram")
        assert [i.status for i in items] == ["sent"]
    finally:
        await bot.stop()


async def test_command_menu_is_registered(telegram_api: TelegramApi, bot: Running) -> None:
    call = telegram_api.calls("setMyCommands")
    assert len(call) == 1 and call[0]["status"] == 200
    menus = (await telegram_api.state())["commands"]
    (menu,) = menus.values()
    assert [c["command"] for c in menu] == ["errand", "verify", "rumor", "feedback", "my", "help", "bind"]


async def test_a_push_to_an_owner_who_never_pressed_start_fails_for_good(
        telegram_api: TelegramApi, tmp_path: Path, logs: Callable[[str], LogWatch]) -> None:
    await telegram_api.add_group(XINGFU)
    await telegram_api.set_member(XINGFU, LI, "owner")  # in the group, but never opened a private chat
    bot = await start_bot(telegram_api, tmp_path)
    try:
        watch = logs("bot.outbox")
        await telegram_api.say(ZHANG, "代买 大米 3栋", XINGFU)
        await telegram_api.wait_sent(in_chat(XINGFU.id, "E1"))
        refused = await telegram_api.wait_call("sendMessage", lambda e: e["status"] == 403)
        assert refused["error"] == "Forbidden: bot can't initiate conversation with a user"
        await watch.wait(lambda records: any("giving up" in r.getMessage() for r in records))
        assert "never opened a private chat" in watch.records[-1].getMessage()
        await bot.halt()
        failed = await bot.app.store.outbox.items("telegram", "failed")
        assert [i.reply.chat.chat_id for i in failed] == [f"@{LI.id}"]
    finally:
        await bot.stop()


# ---------------------------------------------------------------- setup errors


async def test_wrong_token_is_refused_in_chinese(telegram_api: TelegramApi, tmp_path: Path) -> None:
    adapter = TelegramAdapter("123456:WRONG-token-0123456789abcdef", base_url=telegram_api.base_url)
    with pytest.raises(TelegramSetupError, match="Telegram 拒绝了这个令牌"):
        await adapter.start()
    await adapter.close()
    await telegram_api.fetch()
    assert [(e["method"], e["status"]) for e in telegram_api.log] == [("getMe", 401)]

    # Through App.run, as `gridbot run` does: the error ends the run instead of looping.
    app = await open_app(make_config(tmp_path, TOML))
    app.attach(TelegramAdapter("123456:WRONG-token-0123456789abcdef", base_url=telegram_api.base_url))
    try:
        with pytest.raises(TelegramSetupError):
            await asyncio.wait_for(app.run(scheduler=False), 10)
    finally:
        await app.close()


def test_malformed_tokens_are_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TelegramSetupError, match="格式不对"):
        check_token("123:abc", "GRIDBOT_TELEGRAM_TOKEN")
    toml = TOML + '\n[telegram]\nbase_url = "http://127.0.0.1:9"\npoll_timeout = 2\n'
    app = App(make_config(tmp_path, toml), store=None, routers=[], jobs=JOBS)  # type: ignore[arg-type]  # never opened
    monkeypatch.setenv("GRIDBOT_TELEGRAM_TOKEN", "not a token")
    with pytest.raises(TelegramSetupError, match="GRIDBOT_TELEGRAM_TOKEN"):
        make_adapter("telegram", app.services)
    monkeypatch.setenv("GRIDBOT_TELEGRAM_TOKEN", DEFAULT_TOKEN)
    adapter = make_adapter("telegram", app.services)
    assert isinstance(adapter, TelegramAdapter) and adapter.poll_timeout == 2
    assert adapter.bot.base_url == f"http://127.0.0.1:9/bot{DEFAULT_TOKEN}"


async def test_unreachable_api_is_retried_until_it_comes_up(
        tmp_path: Path, logs: Callable[[str], LogWatch]) -> None:
    watch = logs("bot.adapters.telegram")
    api = TelegramApi(port=free_port())
    app = await open_app(make_config(tmp_path, TOML))
    adapter = TelegramAdapter(DEFAULT_TOKEN, base_url=api.base_url, poll_timeout=1, retry_delays=(0.1, 0.2))
    app.attach(adapter)
    task = asyncio.create_task(app.run(scheduler=False))
    try:
        def unreachable(records: list[logging.LogRecord]) -> bool:
            return sum("unreachable" in r.getMessage() for r in records) >= 2

        await watch.wait(unreachable)
        assert all(r.levelno == logging.ERROR for r in watch.records if "unreachable" in r.getMessage())
        assert not task.done()
        await api.start()
        await api.add_group(XINGFU)
        await api.wait_call("getUpdates")
        await api.say(ZHANG, "代买 大米 3栋", XINGFU)
        await api.wait_sent(in_chat(XINGFU.id, "E1"))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()
        await api.stop()
