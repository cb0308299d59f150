"""Telegram through python-telegram-bot 22: long polling, inline buttons, PTB's rate limiter.

The adapter drives ``getUpdates`` itself instead of using PTB's ``Updater``: the Updater
confirms an update (by asking for the next offset) as soon as it has fetched it, possibly
before the bot has stored it, so a crash in between would lose the message. Here an
update's offset is confirmed only after ``dispatch`` has stored it; an update seen twice is
recognised by the store and handled once.

Outbound messages go through PTB's ``AIORateLimiter`` (30/s overall, 20/min per group,
retries on ``RetryAfter``); what still fails is reported to the outbox as a ``SendError``.
A long reply is sent in chunks; when the outbox retries it, the chunks already delivered
are skipped. Tested end to end against ``tests/peers/telegram_api.py``.

Webhook mode (``[telegram] mode = "webhook"``) serves Telegram's POSTs with aiohttp instead of
PTB's tornado handler, for the same reason: PTB answers 200 once the update is in an
in-memory queue, and Telegram then forgets it. Here the answer is 200 only after the update
is stored and handled, 500 otherwise, so Telegram sends it again; a per-start random secret
(``X-Telegram-Bot-Api-Secret-Token``) keeps out everyone but Telegram. What each answer
means is in ``telegram_webhook.py``.

How an update becomes Incoming (messages, taps, joins, join requests) is in
``telegram_inbound.py``; how a Reply is formatted (HTML, chunks, buttons) in
``telegram_format.py``; a Reply's action (deciding a join request) in ``telegram_actions.py``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter, ExtBot

from bot import logsafe
from bot.adapter import Dispatch, SendError, SetupError
from bot.adapters.telegram_actions import decide
from bot.adapters.telegram_files import fits_caption, send_file
from bot.adapters.telegram_format import PLATFORM, keyboard, split_text, target_chat, to_html
from bot.adapters.telegram_inbound import from_tap, read
from bot.adapters.telegram_webhook import SECRET_HEADER, Webhook, receiver
from bot.config import env_secret
from bot.kinds import REGISTRY
from bot.message import Incoming, Reply

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["SECRET_HEADER", "TelegramAdapter", "TelegramSetupError", "Webhook", "check_token"]

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
COMMANDS = (
    *(BotCommand(k.slash, k.command_hint) for k in REGISTRY if k.slash),
    BotCommand("my", "我的工单"),
    BotCommand("help", "使用说明"),
    BotCommand("bind", "群主登记本群（在群里发送）"),
)


#: ``chat_join_request`` must be asked for by name; joins come as ``message`` (new_chat_members).
ALLOWED_UPDATES = ["message", "callback_query", "chat_join_request"]


class TelegramSetupError(SetupError):
    """The adapter cannot start (no token, a malformed one, or one Telegram rejects)."""


def check_token(token: str | None, env_name: str) -> str:
    """The token, or a clear error naming the environment variable."""
    if not token:
        raise TelegramSetupError(f"缺少 Telegram 令牌：请设置环境变量 {env_name}（向 @BotFather 申请）。")
    if not TOKEN_RE.match(token):
        raise TelegramSetupError(
            f"环境变量 {env_name} 中的 Telegram 令牌格式不对：应形如 123456789:AAE...（数字、冒号、字母）。")
    return token


class TelegramAdapter:
    """One Telegram bot account."""

    platform = PLATFORM
    #: Sends waiting inside PTB's limiter at once; enough to keep 30/s busy.
    max_in_flight = 32
    self_draining = False
    redelivers = True  # an update's offset is confirmed (webhook: answered 200) after dispatch

    def __init__(
        self, token: str, *, base_url: str = "", poll_timeout: int = 30,
        max_retries: int = 3, retry_delays: Sequence[float] = (1, 2, 5, 10, 30, 60),
        webhook: Webhook | None = None,
    ):
        root = base_url or "https://api.telegram.org"
        self.bot = ExtBot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot",
                          rate_limiter=AIORateLimiter(max_retries=max_retries))
        self.poll_timeout = poll_timeout
        self.webhook = webhook
        self.retry_delays = tuple(retry_delays)
        self.offset: int | None = None
        self.username = ""
        self.bot_id = 0
        self._started = False
        self._chunks_sent: dict[Reply, int] = {}
        self._files_sent: set[Reply] = set()
        self._closed = asyncio.Event()

    async def start(self) -> None:
        """Log in (getMe) and register the command menu; retries while the API is unreachable."""
        if self._started:
            return
        attempt = 0
        while True:
            try:
                await self.bot.initialize()
                break
            except InvalidToken as exc:
                # PTB's message quotes the token itself: say it in our words instead.
                raise TelegramSetupError("Telegram 拒绝了这个令牌（Unauthorized）：请检查环境变量中的令牌，"
                                         "或向 @BotFather 重新获取。") from exc
            except (NetworkError, RetryAfter) as exc:
                delay = self._delay(attempt)
                attempt += 1
                log.error("Telegram API unreachable (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
        self.username, self.bot_id = self.bot.username, self.bot.id
        log.info("Telegram: logged in as @%s (id %s)", self.username, self.bot_id)
        if not self.bot.can_read_all_group_messages:
            log.warning("Telegram: privacy mode is on, so in groups @%s sees only /commands and "
                        "replies to it; residents' keywords need it off (@BotFather: /setprivacy, "
                        "Disable, then re-add the bot to each group)", self.username)
        try:
            await self.bot.set_my_commands(list(COMMANDS))
        except TelegramError as exc:
            log.warning("Telegram: could not register the command menu: %s", exc)
        self._started = True

    def _delay(self, attempt: int) -> float:
        return self.retry_delays[min(attempt, len(self.retry_delays) - 1)]

    async def run(self, dispatch: Dispatch) -> None:
        """Receive updates until closed: by webhook when configured, else by long polling."""
        await self.start()
        if self.webhook is not None:
            await self._serve_webhook(self.webhook, dispatch)
        else:
            await self._poll(dispatch)

    async def _poll(self, dispatch: Dispatch) -> None:
        """Long-poll getUpdates; confirm an update only after it was stored and handled."""
        await self._leave_webhook()
        failures = 0
        while not self._closed.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=self.offset, timeout=self.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    read_timeout=self.poll_timeout + 10,
                )
            except TimedOut:
                continue
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except Conflict as exc:
                if "webhook" in exc.message.lower():  # set by another process since we started
                    await self._leave_webhook()
                    continue
                delay = self._delay(failures)
                failures += 1
                log.error("Telegram: another process polls with this token (%s); retry in %.0fs",
                          exc.message, delay)
                await asyncio.sleep(delay)
                continue
            except InvalidToken as exc:
                raise TelegramSetupError("Telegram 令牌已失效（Unauthorized）：请向 @BotFather 重新获取。") from exc
            except NetworkError as exc:
                delay = self._delay(failures)
                failures += 1
                log.error("Telegram: getUpdates failed (%s); retry in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            for update in updates:
                try:
                    await self._handle(update, dispatch)
                except Exception:
                    # Not confirmed: the update comes again and the store recognises it.
                    log.exception("Telegram: update %s could not be stored; will retry",
                                  update.update_id)
                    await asyncio.sleep(self._delay(0))
                    break
                self.offset = update.update_id + 1

    async def _leave_webhook(self) -> None:
        """Polling and a webhook exclude each other: remove one left by webhook mode.

        Pending updates are kept; they come by getUpdates instead.
        """
        while True:
            try:
                info = await self.bot.get_webhook_info()
                if info.url:
                    log.warning("Telegram: a webhook is set (%s); removing it to poll instead", info.url)
                    await self.bot.delete_webhook(drop_pending_updates=False)
                return
            except NetworkError as exc:
                log.error("Telegram: cannot check the webhook (%s); retrying", exc)
                await asyncio.sleep(self._delay(0))

    async def _serve_webhook(self, hook: Webhook, dispatch: Dispatch) -> None:
        """Listen for Telegram's POSTs, then tell Telegram where to send them; until closed."""
        secret = secrets.token_urlsafe(32)
        logsafe.redact_also(secret)  # PTB logs setWebhook's parameters at debug level
        server = web.Application()
        server.router.add_post(hook.path, receiver(secret, self.bot, lambda u: self._handle(u, dispatch)))
        runner = web.AppRunner(server, access_log=None, shutdown_timeout=1)
        await runner.setup()
        try:
            site = web.TCPSite(runner, hook.listen, hook.port)
            try:
                await site.start()
            except OSError as exc:
                raise TelegramSetupError(
                    f"无法在 {hook.listen}:{hook.port} 上接收 Telegram 的 webhook（{exc.strerror}）："
                    "端口被占用或没有权限，请在 [telegram] 中换一个 port。") from exc
            log.info("Telegram: listening for webhook updates on %s:%s%s", hook.listen, hook.port, hook.path)
            await self._set_webhook(hook, secret)
            await self._closed.wait()
        finally:
            await runner.cleanup()

    async def _set_webhook(self, hook: Webhook, secret: str) -> None:
        attempt = 0
        while True:
            try:
                await self.bot.set_webhook(hook.url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                           drop_pending_updates=False)
                log.info("Telegram: webhook set to %s", hook.url)
                return
            except BadRequest as exc:
                raise TelegramSetupError(f"Telegram 不接受这个 webhook 地址 {hook.url}（{exc.message}）："
                                         "须是公网可访问的 https 地址，端口 443、80、88 或 8443。") from exc
            except (NetworkError, RetryAfter) as exc:
                delay = self._delay(attempt)
                attempt += 1
                log.error("Telegram: setWebhook failed (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)

    async def _handle(self, update: Update, dispatch: Dispatch) -> None:
        """Store and act on one update; one that cannot become a message is logged and skipped.

        Only ``dispatch`` (storing) may raise: then the update is not confirmed and comes
        again. A malformed update would fail the same way each time, so it is let go.
        """
        query = update.callback_query
        try:
            if query is not None:
                tapped = from_tap(query)
            else:
                events = await read(self.bot, update, self.bot_id, self.username)
        except Exception as exc:  # noqa: BLE001 - a field of the wrong type or shape
            log.info("Telegram: update %s cannot be read (%r); skipped", update.update_id, exc)
            return
        if query is not None:
            await self._tap(query, tapped, dispatch)
            return
        # Several people joining at once are one update: a failure part-way makes it come
        # again, and the store recognises those already handled.
        for event in events:
            await dispatch(event)

    async def _tap(self, query: CallbackQuery, incoming: Incoming | None, dispatch: Dispatch) -> None:
        if incoming is None:
            await self._answer(query, "这个按钮已失效，请重新发送指令。")
            return
        replies = await dispatch(incoming)
        edited = any(r.edit_message_id for r in replies)
        first = replies[0].text.split("\n", 1)[0] if replies else ""
        await self._answer(query, "已更新" if edited else first[:190])

    async def _answer(self, query: CallbackQuery, text: str) -> None:
        try:
            await self.bot.answer_callback_query(query.id, text=text or None)
        except TelegramError as exc:  # a stale query ("query is too old") is not worth a crash
            log.info("Telegram: could not answer button tap %s: %s", query.id, exc)

    async def send(self, reply: Reply) -> str | None:
        """Do a reply's action, send its file (captioned by a short text), then send (or edit)
        its text, split under 4096 characters."""
        chat_id = target_chat(reply.chat)
        markup = keyboard(reply)
        chunks = split_text(reply.text)
        try:
            if reply.action is not None:
                # Retried with the text after a failure: Telegram then says it is settled.
                await decide(self.bot, chat_id, reply.action)
                if not reply.text:
                    return None
            if reply.attachment is not None and reply not in self._files_sent:
                captioned = len(chunks) == 1 and fits_caption(reply.text)
                caption = to_html(reply, chunks[0], True) if captioned and reply.text else None
                posted = await send_file(self.bot, chat_id, reply.attachment, caption,
                                         markup if captioned else None)
                if captioned:
                    return str(posted.message_id)
                self._files_sent.add(reply)  # a retry sends only the text that is left
            if reply.edit_message_id is not None and reply.attachment is None and len(chunks) == 1:
                edited = await self._edit(chat_id, int(reply.edit_message_id),
                                          to_html(reply, chunks[0], True), markup)
                if edited is not None:
                    return edited
            sent: Message | None = None
            # A retry of a long reply resumes after the chunks that already went out.
            for i in range(self._chunks_sent.get(reply, 0), len(chunks)):
                last = i == len(chunks) - 1
                sent = await self.bot.send_message(
                    chat_id, to_html(reply, chunks[i], i == 0), parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                )
                self._chunks_sent[reply] = i + 1
            self._chunks_sent.pop(reply, None)
            self._files_sent.discard(reply)
            return str(sent.message_id) if sent is not None else None
        except RetryAfter as exc:
            raise SendError(f"flood control: {exc.message}", retry_after=_seconds(exc.retry_after)) from exc
        except (ChatMigrated, Forbidden, BadRequest) as exc:
            self._chunks_sent.pop(reply, None)
            self._files_sent.discard(reply)
            raise _permanent(chat_id, exc) from exc
        except NetworkError as exc:  # TimedOut too; BadRequest, a subclass, is handled above
            # Telegram is out of reach: wait for it however long it takes rather than give
            # up. A timeout may hide a message that went out; at least once beats never.
            raise SendError(f"network: {exc}", offline=True) from exc

    async def _edit(self, chat_id: int | str, message_id: int, text: str,
                    markup: InlineKeyboardMarkup | None) -> str | None:
        """Edit a message in place; None when it is gone and a new message should be sent."""
        try:
            await self.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                             parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return str(message_id)
            if "not found" in exc.message.lower() or "can't be edited" in exc.message.lower():
                log.info("Telegram: message %s cannot be edited (%s); sending anew", message_id,
                         exc.message)
                return None
            raise
        return str(message_id)

    async def close(self) -> None:
        """Confirm the last offset and close the HTTP connections; safe to call twice."""
        if self._closed.is_set():
            return
        self._closed.set()
        # A webhook stays set: Telegram keeps what arrives meanwhile for the next start.
        if self._started and self.offset is not None and self.webhook is None:
            try:
                await self.bot.get_updates(offset=self.offset, timeout=0, limit=1)
            except TelegramError as exc:
                log.info("Telegram: could not confirm the last offset on close: %s", exc)
        if self._started:
            await self.bot.shutdown()


def _permanent(chat_id: int | str, exc: TelegramError) -> SendError:
    """A send that retrying cannot fix, explained for the operator's log."""
    if isinstance(exc, ChatMigrated):
        why = f"group {chat_id} became supergroup {exc.new_chat_id}: update chat_id in bot.toml"
    elif (isinstance(exc, Forbidden) and "initiate" in exc.message) or (
            isinstance(exc, BadRequest) and "chat not found" in exc.message.lower()
            and isinstance(chat_id, int) and chat_id > 0):
        why = (f"{exc.message}: user {chat_id} never opened a private chat with the bot "
               "(they must press Start once) or the id is wrong")
    elif isinstance(exc, Forbidden):
        why = f"forbidden: {exc.message} (bot removed from the chat or blocked)"
    else:
        why = f"bad request: {exc.message}"
    return SendError(why, permanent=True)


def _seconds(value: object) -> float:
    """PTB 22 gives retry_after as int seconds or a timedelta."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


def create(services: Services) -> TelegramAdapter:
    """The adapter ``[telegram]`` describes; the token comes from the environment only."""
    tg = services.config.telegram
    token = check_token(env_secret(tg.token_env), tg.token_env)
    hook = Webhook(tg.webhook_url, tg.listen, tg.port) if tg.mode == "webhook" else None
    return TelegramAdapter(token, base_url=tg.base_url, poll_timeout=tg.poll_timeout, webhook=hook)
