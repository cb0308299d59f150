"""A local Telegram Bot API server: the ground truth the Telegram adapter's tests assert against.

It answers what python-telegram-bot 22 sends, the way api.telegram.org does, on
``/bot<TOKEN>/<method>`` (GET or POST; query string, form, multipart or JSON bodies):
``getMe``, ``getUpdates`` (offsets confirm, long polling, 409 when a newer poll replaces
one), ``sendMessage`` and ``editMessageText`` (HTML parse mode, inline keyboards, the real
error texts), ``answerCallbackQuery``, ``getChatMember``, ``setMyCommands``,
``getMyCommands``, ``deleteMyCommands``, ``setWebhook``, ``deleteWebhook``,
``getWebhookInfo``, ``approveChatJoinRequest``, ``declineChatJoinRequest`` (joining groups and
join requests are in ``telegram_api_joins.py``), ``sendPhoto`` and ``sendDocument`` (uploads,
in ``telegram_api_media.py``). With a webhook set, updates are POSTed to it
one at a time, in order, with the ``X-Telegram-Bot-Api-Secret-Token`` header; anything but a
2xx answer (or no answer) leaves the update queued and it is sent again after ``webhook_retry`` seconds, and getUpdates
answers 409 meanwhile. Unlike Telegram, plain ``http://`` URLs are accepted (no TLS here). A wrong
token gets 401, an unknown method 404. Dates are in seconds; message ids count up per chat.
What the real service enforces and this one does too: the bot cannot write first to a user
who never opened a private chat with it (403), texts over 4096 characters after HTML
parsing (400), malformed HTML (400), unchanged edits (400), stale or twice-answered
callback queries (400), and flood control (429 with ``retry_after``) when a test arms it.

A JSON control API under ``/_control/`` plays the people and reads the record: inject a
message or a button tap, set member statuses, arm 429s, hold getUpdates (as if the
network dropped them), and read every call the bot made (``/_control/events``, long-polled
with ``?after=SEQ&wait=SECONDS``). Tests use it through ``tests/peers/telegram_client.py``.

Run it by hand::

    .venv/bin/python -m tests.peers.telegram_api --port 8081 --token 123456:TEST-token-0123456789abcdef
    curl -s http://127.0.0.1:8081/bot123456:TEST-token-0123456789abcdef/getMe
    curl -s -d '{"chat_id": -1001001, "chat_title": "幸福小区居民群", "user_id": 42,
                 "first_name": "张阿姨", "text": "代买 大米 3栋"}' http://127.0.0.1:8081/_control/message
    curl -s 'http://127.0.0.1:8081/_control/events?after=0'

then point the bot at it: ``[telegram] base_url = "http://127.0.0.1:8081"`` in bot.toml and
``GRIDBOT_TELEGRAM_TOKEN=123456:TEST-token-0123456789abcdef``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import signal
import sys
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.peers.telegram_api_joins import Joins
from tests.peers.telegram_api_media import Media, upload_json
from tests.peers.telegram_html import HtmlError, parse_html, utf16_len

DEFAULT_TOKEN = "123456:TEST-token-0123456789abcdef"
TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
MAX_TEXT = 4096
MAX_ANSWER = 200
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
BUTTON_ACTIONS = ("callback_data", "url", "web_app", "login_url", "switch_inline_query",
                  "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                  "copy_text", "callback_game", "pay")
Json = dict[str, Any]


class ApiError(Exception):
    """An error answer: HTTP status = error_code, with the Bot API's description."""

    def __init__(self, code: int, description: str, parameters: Json | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> Json:
        """The JSON the Bot API answers with."""
        out: Json = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


class Params:
    """A method's parameters, typed the way the Bot API reads them (strings or JSON values)."""

    def __init__(self, raw: Json):
        self.raw = raw

    def has(self, name: str) -> bool:
        """True when the parameter was sent."""
        return self.raw.get(name) not in (None, "")

    def string(self, name: str, default: str = "") -> str:
        """A string parameter."""
        value = self.raw.get(name, default)
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, default: int | None = None) -> int:
        """An integer parameter (``"-100"`` in a form, ``-100`` in JSON)."""
        value = self.raw.get(name)
        if value in (None, ""):
            if default is None:
                raise ApiError(400, f"Bad Request: {name} is empty")
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {name} specified") from None

    def boolean(self, name: str) -> bool:
        """A boolean parameter (``true``/``false``/``1``/``0``)."""
        value = self.raw.get(name, False)
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")

    def json(self, name: str) -> Any:
        """A JSON-serialised object or array (forms carry it as a string)."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None

    def chat_id(self) -> int | str:
        """``chat_id``: an integer id or an ``@username``."""
        value = self.raw.get("chat_id")
        if isinstance(value, str) and value.startswith("@"):
            return value
        return self.integer("chat_id")

    def plain(self) -> Json:
        """The parameters with JSON fields decoded, for the event record."""
        out: Json = {}
        for key, value in self.raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            out[key] = value
        return out


@dataclass
class Query:
    """A callback query the bot has to answer."""

    created: float
    answered: bool = False


@dataclass
class Flood:
    """Armed flood control: after ``after`` more calls, ``count`` calls get 429; callers must
    then wait ``retry_after`` seconds (calls inside the window get 429 too, like Telegram)."""

    count: int
    retry_after: int
    methods: tuple[str, ...]
    after: int = 0
    until: float = 0.0


class BotApi:
    """One bot account on a pretend Telegram: its chats, updates and everything it did."""

    def __init__(self, token: str, *, username: str = "gridbot_test_bot", first_name: str = "网格助手",
                 privacy: bool = False, callback_ttl: float = 15.0):
        self.token = token
        self.bot_user: Json = {"id": int(token.split(":", 1)[0]), "is_bot": True,
                               "first_name": first_name, "username": username}
        self.privacy = privacy
        self.callback_ttl = callback_ttl
        self.users: dict[int, Json] = {}
        self.chats: dict[int, Json] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.members: dict[tuple[int, int], str] = {}
        self.messages: dict[tuple[int, int], Json] = {}
        self.last_message_id: dict[int, int] = {}
        self.updates: list[Json] = []
        self.next_update_id = 100_001
        self.deliveries: dict[int, int] = {}
        self.allowed_updates: list[str] = []
        self.queries: dict[str, Query] = {}
        self.commands: dict[str, list[Json]] = {}
        self.flood: Flood | None = None
        self.held = False
        self.release = 0
        self.poll_generation = 0
        self.events: list[Json] = []
        self.changed = asyncio.Condition()
        self.webhook: Json | None = None
        self.webhook_retry = 0.2
        self.webhook_error: str = ""
        self.joins = Joins(self, ApiError)
        self.media = Media(self, ApiError)

    @property
    def bot_id(self) -> int:
        """The bot's user id (the number before the colon in its token)."""
        return int(self.bot_user["id"])

    async def notify(self) -> None:
        """Wake long polls (getUpdates and the control event feed)."""
        async with self.changed:
            self.changed.notify_all()

    def record(self, method: str, params: Json, status: int, outcome: Json) -> Json:
        """Append one event to the record the tests read."""
        # A snapshot: later edits must not rewrite what a send returned.
        event: Json = json.loads(json.dumps({"seq": len(self.events) + 1, "at": time.time(),
                                             "method": method, "params": params, "status": status,
                                             **outcome}))
        self.events.append(event)
        return event

    # ---------------------------------------------------------------- the Bot API

    async def call(self, method: str, params: Params) -> Any:
        """Answer one API method or raise ApiError."""
        name = method.lower()  # the Bot API treats method names case-insensitively
        handler = {
            "getme": self.get_me, "sendmessage": self.send_message,
            "editmessagetext": self.edit_message_text, "answercallbackquery": self.answer_callback_query,
            "getchatmember": self.get_chat_member, "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands, "deletemycommands": self.delete_my_commands,
            "deletewebhook": self.delete_webhook, "getwebhookinfo": self.get_webhook_info,
            "setwebhook": self.set_webhook, "approvechatjoinrequest": self.joins.approve,
            "declinechatjoinrequest": self.joins.decline, "sendphoto": self.media.send_photo,
            "senddocument": self.media.send_document,
        }.get(name)
        if name == "getupdates":
            return await self.get_updates(params)
        if handler is None:
            print(f"telegram_api: method {method!r} is not implemented here", file=sys.stderr, flush=True)
            raise ApiError(404, "Not Found")
        self._flood_check(method)
        return handler(params)

    def _flood_check(self, method: str) -> None:
        flood = self.flood
        if flood is None or method not in flood.methods:
            return
        now = time.time()
        if now < flood.until:
            wait = math.ceil(flood.until - now)
        elif flood.after > 0:
            flood.after -= 1
            return
        elif flood.count > 0:
            flood.count -= 1
            flood.until = now + flood.retry_after
            wait = flood.retry_after
        else:
            return
        raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def get_me(self, p: Params) -> Json:
        """The bot's own user, with the capability flags PTB reads."""
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": not self.privacy,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    async def get_updates(self, p: Params) -> list[Json]:
        """Confirm everything below ``offset``, then long-poll for up to ``timeout`` seconds."""
        offset, limit = p.integer("offset", 0), min(max(p.integer("limit", 100), 1), 100)
        timeout = max(p.integer("timeout", 0), 0)
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if p.has("allowed_updates"):
            self.allowed_updates = list(p.json("allowed_updates") or [])
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        self.record("getUpdates", {"offset": offset, "limit": limit, "timeout": timeout}, 200,
                    {"pending": [u["update_id"] for u in self.updates]})
        self.poll_generation += 1
        mine = self.poll_generation
        async with self.changed:
            self.changed.notify_all()  # a poll still waiting is now superseded
            try:
                async with asyncio.timeout(timeout):
                    await self.changed.wait_for(lambda: bool(self.updates) or self.poll_generation != mine)
            except TimeoutError:
                pass
        if self.poll_generation != mine:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only "
                                "one bot instance is running")
        batch = self.updates[:limit]
        for u in batch:
            self.deliveries[u["update_id"]] = self.deliveries.get(u["update_id"], 0) + 1
        return batch

    def send_message(self, p: Params) -> Json:
        """Post a message as the bot."""
        chat = self._writable_chat(p.chat_id())
        text, entities = self._formatted(p, too_long="Bad Request: message is too long")
        markup = self._markup(p.json("reply_markup"))
        msg: Json = {"message_id": self._next_message_id(chat["id"]), "from": self.bot_user, "chat": chat,
                     "date": int(time.time()), "text": text}
        if entities:
            msg["entities"] = entities
        reply_to = p.json("reply_parameters") or ({"message_id": p.integer("reply_to_message_id")}
                                                  if p.has("reply_to_message_id") else None)
        if reply_to:
            original = self.messages.get((chat["id"], int(reply_to["message_id"])))
            if original is None:
                raise ApiError(400, "Bad Request: message to be replied not found")
            msg["reply_to_message"] = {k: v for k, v in original.items() if k != "reply_to_message"}
        if markup:
            msg["reply_markup"] = markup
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def edit_message_text(self, p: Params) -> Json:
        """Edit a message the bot sent; the keyboard goes unless sent again, like the real API."""
        if p.has("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat_id = p.chat_id()
        key = (chat_id if isinstance(chat_id, int) else 0, p.integer("message_id"))
        msg = self.messages.get(key)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        if "text" not in msg:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = self._formatted(p, too_long="Bad Request: MESSAGE_TOO_LONG")
        markup = self._markup(p.json("reply_markup"))
        if (text, entities, markup) == (msg["text"], msg.get("entities", []), msg.get("reply_markup")):
            raise ApiError(400, NOT_MODIFIED)
        msg.update(text=text, edit_date=int(time.time()))
        for field_name, value in (("entities", entities), ("reply_markup", markup)):
            if value:
                msg[field_name] = value
            else:
                msg.pop(field_name, None)
        return msg

    def answer_callback_query(self, p: Params) -> bool:
        """Answer a button tap once, within the query's lifetime."""
        query = self.queries.get(p.string("callback_query_id"))
        if query is None or query.answered or time.time() - query.created > self.callback_ttl:
            raise ApiError(400, TOO_OLD)
        if len(p.string("text")) > MAX_ANSWER:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.answered = True
        return True

    def get_chat_member(self, p: Params) -> Json:
        """A member's status: creator, administrator, member, restricted, left or kicked."""
        chat_id, user_id = p.chat_id(), p.integer("user_id")
        if not isinstance(chat_id, int) or (chat_id < 0 and chat_id not in self.chats):
            raise ApiError(400, "Bad Request: chat not found")
        user = self.bot_user if user_id == self.bot_id else self.users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        status = "member" if chat_id > 0 else self.members.get((chat_id, user_id), "left")
        return member_json(status, user)

    def set_my_commands(self, p: Params) -> bool:
        """Register the command menu for a scope and language."""
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be an array of at most 100 BotCommand")
        for c in commands:
            if not COMMAND_RE.match(str(c.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope(p)] = [{"command": c["command"], "description": c["description"]}
                                         for c in commands]
        return True

    def get_my_commands(self, p: Params) -> list[Json]:
        """The command menu of a scope and language."""
        return self.commands.get(self._scope(p), [])

    def delete_my_commands(self, p: Params) -> bool:
        """Remove the command menu of a scope and language."""
        self.commands.pop(self._scope(p), None)
        return True

    def set_webhook(self, p: Params) -> bool:
        """Push updates to ``url`` from now on (an empty url removes the webhook)."""
        url = p.string("url")
        if not url:
            return self.delete_webhook(p)
        if not url.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.string("secret_token")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if p.has("allowed_updates"):
            self.allowed_updates = list(p.json("allowed_updates") or [])
        if p.boolean("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {"url": url, "secret_token": secret}
        self.webhook_error = ""
        return True

    def delete_webhook(self, p: Params) -> bool:
        """Back to getUpdates; optionally drop pending updates."""
        self.webhook = None
        if p.boolean("drop_pending_updates"):
            self.updates.clear()
        return True

    def get_webhook_info(self, p: Params) -> Json:
        """The webhook's url (empty when polling) and how many updates wait."""
        info: Json = {"url": self.webhook["url"] if self.webhook else "", "has_custom_certificate": False,
                      "pending_update_count": len(self.updates)}
        if self.webhook_error:
            info["last_error_message"] = self.webhook_error
        return info

    async def push_webhook(self) -> None:
        """Forever: POST the oldest update to the webhook until it answers 2xx, then the next."""
        import aiohttp

        async with aiohttp.ClientSession() as session:
            while True:
                async with self.changed:
                    await self.changed.wait_for(lambda: self.webhook is not None and bool(self.updates))
                hook, update = self.webhook, self.updates[0]
                assert hook is not None
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook["secret_token"] else {}
                try:
                    async with session.post(hook["url"], json=update, headers=headers,
                                            timeout=aiohttp.ClientTimeout(total=30)) as response:
                        status, error = response.status, f"Wrong response from the webhook: {response.status}"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    status, error = 0, f"Connection refused ({type(exc).__name__})"
                update_id = update["update_id"]
                self.deliveries[update_id] = self.deliveries.get(update_id, 0) + 1
                if 200 <= status < 300:
                    self.updates = [u for u in self.updates if u["update_id"] != update_id]
                    self.webhook_error = ""
                    self.record("webhook", {"update_id": update_id}, status, {})
                    await self.notify()
                    continue
                self.webhook_error = error
                self.record("webhook", {"update_id": update_id}, status, {"error": error})
                await self.notify()
                await asyncio.sleep(self.webhook_retry)

    def _scope(self, p: Params) -> str:
        return json.dumps([p.json("scope") or {"type": "default"}, p.string("language_code")], sort_keys=True)

    def _writable_chat(self, chat_id: int | str) -> Json:
        """The chat a bot message goes to, or the error Telegram gives for it."""
        if isinstance(chat_id, str):
            found = next((c for c in self.chats.values() if f"@{c.get('username')}" == chat_id), None)
            if found is None:
                raise ApiError(400, "Bad Request: chat not found")
            chat_id = int(found["id"])
        if chat_id > 0:
            if chat_id not in self.users:
                raise ApiError(400, "Bad Request: chat not found")
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started and not self.joins.may_write(chat_id):
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return private_chat(self.users[chat_id])
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        kind = "supergroup chat" if chat["type"] == "supergroup" else "group chat"
        status = self.members.get((chat_id, self.bot_id), "member")
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        if status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
        return chat

    def _formatted(self, p: Params, *, too_long: str) -> tuple[str, list[Json]]:
        """The text as people will see it, and its entities."""
        raw = p.string("text")
        mode = p.string("parse_mode").lower()
        if mode == "html":
            try:
                text, entities = parse_html(raw, self.users)
            except HtmlError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        elif mode:
            raise ApiError(400, f"Bad Request: parse_mode {p.string('parse_mode')} is not implemented by "
                                "this test server (only HTML)")
        else:
            text, entities = raw, list(p.json("entities") or [])
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise ApiError(400, too_long)
        return text, entities

    def _markup(self, markup: Any) -> Json | None:
        """A validated inline keyboard (other keyboards are passed through)."""
        if not markup:
            return None
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if rows is None:
            return markup if isinstance(markup, dict) else None
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                actions = [a for a in BUTTON_ACTIONS if a in button]
                if len(actions) != 1:
                    raise ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons "
                                        "are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return {"inline_keyboard": rows}

    def _next_message_id(self, chat_id: int) -> int:
        self.last_message_id[chat_id] = self.last_message_id.get(chat_id, 0) + 1
        return self.last_message_id[chat_id]

    # ---------------------------------------------------------------- what people do

    def user(self, body: Json) -> Json:
        """Register (or update) a person from a control body's ``user_*`` fields."""
        uid = int(body["user_id"])
        user = self.users.get(uid, {"id": uid, "is_bot": False, "first_name": f"用户{uid}"})
        for key in ("first_name", "last_name", "username", "language_code"):
            if body.get(key):
                user[key] = body[key]
        self.users[uid] = user
        return user

    def chat(self, body: Json) -> Json:
        """Register (or update) a group from ``chat_id``, ``chat_title``, ``chat_type``."""
        cid = int(body["chat_id"])
        chat = self.chats.get(cid, {"id": cid, "type": body.get("chat_type") or "supergroup",
                                    "title": f"群{cid}"})
        if body.get("chat_title"):
            chat["title"] = body["chat_title"]
        if body.get("chat_type"):
            chat["type"] = body["chat_type"]
        self.chats[cid] = chat
        return chat

    def inject_message(self, body: Json) -> Json:
        """A person writes in a group or to the bot in private; returns the update it became."""
        user = self.user(body)
        private = body.get("chat_id") in (None, user["id"]) or body.get("chat_type") == "private"
        if private:
            chat = private_chat(user)
            self.started.add(user["id"])
            self.blocked.discard(user["id"])
        else:
            chat = self.chat(body)
            self.members.setdefault((chat["id"], user["id"]), "member")
        text = str(body.get("text", ""))
        msg: Json = {"message_id": self._next_message_id(chat["id"]), "from": user, "chat": chat,
                     "date": int(time.time()), "text": text}
        if body.get("anonymous") and not private:  # an admin posting as the group
            msg.update({"from": ANONYMOUS_ADMIN, "sender_chat": chat})
        entities = user_entities(text)
        if entities:
            msg["entities"] = entities
        if body.get("reply_to_message_id"):
            original = self.messages[(chat["id"], int(body["reply_to_message_id"]))]
            msg["reply_to_message"] = {k: v for k, v in original.items() if k != "reply_to_message"}
        self.messages[(chat["id"], msg["message_id"])] = msg
        delivered = private or not self.privacy or self._addressed(msg)
        update_id = self._enqueue("message", msg) if delivered else None
        return {"update_id": update_id, "message_id": msg["message_id"], "chat_id": chat["id"],
                "delivered": update_id is not None}

    def _addressed(self, msg: Json) -> bool:
        """With privacy mode on, a group message reaches the bot only if meant for it."""
        text, me = msg["text"], str(self.bot_user["username"]).lower()
        command = re.match(r"^/\w+(?:@(\w+))?", text)
        if command:
            return command.group(1) is None or command.group(1).lower() == me
        replied = msg.get("reply_to_message", {}).get("from", {}).get("id") == self.bot_id
        return f"@{me}" in text.lower() or replied

    def inject_tap(self, body: Json) -> Json:
        """A person taps an inline button on a bot message; returns the callback query update."""
        user = self.user(body)
        chat_id, message_id = int(body["chat_id"]), int(body["message_id"])
        msg = self.messages.get((chat_id, message_id))
        if msg is None or msg["from"]["id"] != self.bot_id:
            raise ApiError(400, f"control: no bot message {message_id} in chat {chat_id}")
        buttons = [b for row in msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
        data = body.get("data")
        if data is None:
            label = body.get("button")
            data = next((b.get("callback_data") for b in buttons if b["text"] == label), None)
        if not body.get("force") and data not in [b.get("callback_data") for b in buttons]:
            wanted = body.get("button") or data
            raise ApiError(400, f"control: message {message_id} has no button {wanted!r}; "
                                f"it has {[b['text'] for b in buttons]}")
        query_id = f"{self.bot_id}{len(self.queries) + 1:08d}"
        stale = bool(body.get("stale"))
        self.queries[query_id] = Query(created=time.time() - (self.callback_ttl + 1 if stale else 0))
        shown: Json = msg
        if body.get("inaccessible"):  # older than 48 hours: Telegram sends only its identity
            shown = {"chat": msg["chat"], "message_id": message_id, "date": 0}
        query = {"id": query_id, "from": user, "message": json.loads(json.dumps(shown)),
                 "chat_instance": str((chat_id * 2654435761) % 2**62), "data": data}
        return {"update_id": self._enqueue("callback_query", query), "callback_query_id": query_id}

    def _enqueue(self, kind: str, payload: Json) -> int | None:
        if self.allowed_updates and kind not in self.allowed_updates:
            return None
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, kind: payload})
        return update_id

    def control(self, action: str, body: Json) -> Json:
        """Every control call; raises ApiError(400) on a bad one."""
        if action == "message":
            return self.inject_message(body)
        if action == "tap":
            return self.inject_tap(body)
        if action == "join":
            return self.joins.inject_join(body)
        if action == "join_request":
            return self.joins.inject_request(body)
        if action == "user":
            user = self.user(body)
            if body.get("started"):
                self.started.add(user["id"])
            if "blocked" in body:
                (self.blocked.add if body["blocked"] else self.blocked.discard)(user["id"])
            return {"user": user}
        if action == "chat":
            return {"chat": self.chat(body)}
        if action == "member":
            status = {"owner": "creator", "admin": "administrator"}.get(body["status"], body["status"])
            if status not in MEMBER_STATUSES:
                raise ApiError(400, f"control: unknown member status {status!r}")
            user_id = int(body["user_id"])
            if user_id != self.bot_id:
                self.user(body)
            self.members[(int(body["chat_id"]), user_id)] = status
            return {"status": status}
        if action == "flood":
            self.flood = Flood(int(body.get("count", 1)), int(body.get("retry_after", 1)),
                               tuple(body.get("methods", ["sendMessage"])), int(body.get("after", 0)))
            return {"armed": self.flood.count}
        if action == "polling":
            self.held = bool(body.get("hold"))
            self.release = int(body.get("release", 0))
            return {"held": self.held, "release": self.release}
        if action == "bot":
            if "privacy" in body:
                self.privacy = bool(body["privacy"])
            if "callback_ttl" in body:
                self.callback_ttl = float(body["callback_ttl"])
            if "webhook_retry" in body:
                self.webhook_retry = float(body["webhook_retry"])
            return {"privacy": self.privacy, "callback_ttl": self.callback_ttl,
                    "webhook_retry": self.webhook_retry}
        raise ApiError(404, f"control: no action {action!r}")

    def state(self) -> Json:
        """Counters the tests compare against the bot's store."""
        return {"pending": [u["update_id"] for u in self.updates], "deliveries": self.deliveries,
                "webhook": self.webhook,
                "next_update_id": self.next_update_id, "bot": self.bot_user, "held": self.held,
                "commands": self.commands, "join_requests": self.joins.state(),
                "answered": sorted(q for q, v in self.queries.items() if v.answered)}


#: Who Telegram says wrote a message an admin sent anonymously "as the group".
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
ADMIN_RIGHTS = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories")
RESTRICTIONS = ("is_member", "can_send_messages", "can_send_audios", "can_send_documents",
                "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes",
                "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
                "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics")


def member_json(status: str, user: Json) -> Json:
    """A ChatMember object with the fields its status requires."""
    out: Json = {"status": status, "user": user}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        out.update({right: right in ("can_manage_chat", "can_invite_users") for right in ADMIN_RIGHTS})
    elif status == "restricted":
        out.update({right: right == "is_member" for right in RESTRICTIONS}, until_date=0)
    elif status == "kicked":
        out["until_date"] = 0
    return out


def private_chat(user: Json) -> Json:
    """The private chat between the bot and a person (its id is the person's id)."""
    return {"id": user["id"], "type": "private",
            **{k: user[k] for k in ("first_name", "last_name", "username") if k in user}}


def user_entities(text: str) -> list[Json]:
    """The entities Telegram clients mark in what people type: a leading command, @mentions."""
    entities: list[Json] = []
    for m in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@\w+)?|(?<!\w)@\w{4,32}", text):
        kind = "bot_command" if m.group().startswith("/") else "mention"
        if kind == "bot_command" and m.start() != 0:
            continue
        entities.append({"type": kind, "offset": utf16_len(text[:m.start()]), "length": utf16_len(m.group())})
    return entities


# -------------------------------------------------------------------- HTTP


def make_app(api: BotApi) -> web.Application:
    """The aiohttp application serving the Bot API and the control API."""
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", _api_handler(api))
    app.router.add_get("/_control/events", _events_handler(api))
    app.router.add_get("/_control/state", _state_handler(api))
    app.router.add_post("/_control/{action}", _control_handler(api))
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app


async def _not_found(request: web.Request) -> web.Response:
    return await _error(ApiError(404, "Not Found"))


def _state_handler(api: BotApi) -> Any:
    async def handle(request: web.Request) -> web.Response:
        return _ok_json(api.state())

    return handle


def _ok_json(body: Json, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False),
                        content_type="application/json")


async def _error(exc: ApiError) -> web.Response:
    return _ok_json(exc.body(), exc.code)


async def _read_params(request: web.Request) -> Json:
    """Query string, then the body: JSON, urlencoded or multipart (files kept as upload records)."""
    params: Json = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    params[key] = value
                elif isinstance(value, web.FileField):
                    params[key] = upload_json(value)
    return params


def _api_handler(api: BotApi) -> Any:
    async def handle(request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params = Params(await _read_params(request))
        if token != api.token:
            # Telegram answers 404 to a token of the wrong shape, 401 to a wrong one.
            denied = (ApiError(401, "Unauthorized") if TOKEN_SHAPE.match(token)
                      else ApiError(404, "Not Found"))
            api.record(method, params.plain(), denied.code, {"error": denied.description})
            await api.notify()
            return await _error(denied)
        if method.lower() == "getupdates" and api.held and not await _parked(api, request, params):
            return web.Response(status=499)
        try:
            result = await api.call(method, params)
        except ApiError as exc:
            if method.lower() != "getupdates":
                api.record(method, params.plain(), exc.code, {"error": exc.description,
                                                              "parameters": exc.parameters})
                await api.notify()
            return await _error(exc)
        if method.lower() != "getupdates":
            api.record(method, params.plain(), 200, {"result": result})
        await api.notify()
        return _ok_json({"ok": True, "result": result})

    return handle


async def _parked(api: BotApi, request: web.Request, params: Params) -> bool:
    """Hold a getUpdates request, unread, until released; False if its client left meanwhile.

    This is a request lost on the way to Telegram: its offset confirms nothing until then.
    """
    api.record("getUpdates.parked", params.plain(), 0, {})
    async with api.changed:
        api.changed.notify_all()
        await api.changed.wait_for(lambda: not api.held or api.release > 0)
        if api.held:
            api.release -= 1
    if request.transport is None or request.transport.is_closing():
        api.record("getUpdates.dropped", params.plain(), 0, {})
        await api.notify()
        return False
    return True


def _events_handler(api: BotApi) -> Any:
    async def handle(request: web.Request) -> web.Response:
        after = int(request.query.get("after", 0))
        wait = float(request.query.get("wait", 0))
        async with api.changed:
            try:
                async with asyncio.timeout(wait):
                    await api.changed.wait_for(lambda: len(api.events) > after)
            except TimeoutError:
                pass
        return _ok_json({"events": api.events[after:]})

    return handle


def _control_handler(api: BotApi) -> Any:
    async def handle(request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        action = request.match_info["action"]
        try:
            result = api.control(action, body)
        except ApiError as exc:
            return await _error(exc)
        except (KeyError, TypeError, ValueError) as exc:
            return await _error(ApiError(400, f"control: bad request body {body!r}: {exc!r}"))
        api.record(f"control.{action}", body, 200, {"result": result})
        await api.notify()
        return _ok_json({"ok": True, **result})

    return handle


async def serve(host: str, port: int, api: BotApi) -> None:
    """Serve until SIGTERM or SIGINT; prints one ``listening on URL`` line once ready."""
    # Long polls still open at exit are not worth waiting for.
    runner = web.AppRunner(make_app(api), access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    pusher = asyncio.create_task(api.push_webhook())
    print(f"listening on http://{host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    pusher.cancel()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.peers.telegram_api --port N --token T``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="gridbot_test_bot")
    parser.add_argument("--privacy", action="store_true", help="privacy mode on (bot sees only commands)")
    args = parser.parse_args(argv)
    if not TOKEN_SHAPE.match(args.token):
        parser.error("--token must look like 123456:ABC-def")
    asyncio.run(serve(args.host, args.port, BotApi(args.token, username=args.username, privacy=args.privacy)))


if __name__ == "__main__":
    main()
