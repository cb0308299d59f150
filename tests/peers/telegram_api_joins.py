"""People joining groups on the local Bot API server (``telegram_api.py``), as Telegram does it.

- Someone joins (by a link, or added by a member): a service message with ``new_chat_members``
  goes to the bot whatever its privacy mode (bots in the list too, the bot itself included).
- Someone asks to join a group that vets newcomers: a ``chat_join_request`` update, which only
  a bot administering the group (with ``can_invite_users``) receives, and only when it asked
  for ``chat_join_request`` in ``allowed_updates``. For 5 minutes, while the request waits, the
  bot may write to ``user_chat_id`` even if the person never pressed Start.
- ``approveChatJoinRequest`` / ``declineChatJoinRequest``: only an administrator may; a request
  that is not (or no longer) there answers ``HIDE_REQUESTER_MISSING``, a person already in
  the group ``USER_ALREADY_PARTICIPANT``. Approving lets the person in, and the group gets the
  ``new_chat_members`` service message of their joining.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.peers.telegram_api import BotApi, Params

Json = dict[str, Any]
#: How long a bot may write to a requester's ``user_chat_id`` while the request waits.
WRITE_WINDOW = 300
ADMINS = ("creator", "administrator")
INSIDE = ("creator", "administrator", "member")


class Joins:
    """The join requests waiting in one bot's groups, and what joining does."""

    def __init__(self, api: BotApi, error: Callable[[int, str], Exception]):
        # The server's ApiError, handed in: run as ``python -m``, its module is ``__main__``,
        # and a class imported from ``tests.peers.telegram_api`` would be another one.
        self.api, self.error = api, error
        self.requests: dict[tuple[int, int], Json] = {}

    def inject_join(self, body: Json) -> Json:
        """``members`` (user bodies, ``is_bot`` for bots) join ``chat_id``, added ``by`` someone
        or by themselves; returns the update of the service message."""
        chat = self.api.chat(body)
        members = [self._person(m) for m in body["members"]]
        by = self._person(body["by"]) if body.get("by") else members[0]
        for user in members:
            self.api.members[(chat["id"], user["id"])] = "member"
        return self._service_message(chat, by, members)

    def inject_request(self, body: Json) -> Json:
        """A person asks to join ``chat_id``; returns the update (None unless the bot may see it)."""
        user, chat = self.api.user(body), self.api.chat(body)
        key = (chat["id"], user["id"])
        if self.api.members.get(key) in INSIDE:
            raise self.error(400, f"control: user {user['id']} is in chat {chat['id']} already")
        if key in self.requests:
            raise self.error(400, f"control: user {user['id']} already asked to join {chat['id']}")
        request: Json = {"chat": chat, "from": user, "user_chat_id": user["id"], "date": int(time.time())}
        if body.get("bio"):
            request["bio"] = body["bio"]
        self.requests[key] = request
        seen = self.api.members.get((chat["id"], self.api.bot_id)) in ADMINS
        update_id = self.api._enqueue("chat_join_request", request) if seen else None
        return {"update_id": update_id, "user_chat_id": request["user_chat_id"]}

    def approve(self, p: Params) -> bool:
        """approveChatJoinRequest: the person is let in and their joining is announced."""
        chat, user_id = self._decidable(p)
        request = self.requests.pop((chat["id"], user_id))
        self.api.members[(chat["id"], user_id)] = "member"
        self._service_message(chat, request["from"], [request["from"]])
        return True

    def decline(self, p: Params) -> bool:
        """declineChatJoinRequest: the request is gone; the person stays outside."""
        chat, user_id = self._decidable(p)
        del self.requests[(chat["id"], user_id)]
        return True

    def may_write(self, chat_id: int) -> bool:
        """Whether a waiting request lets the bot write to this private chat now."""
        now = time.time()
        return any(r["user_chat_id"] == chat_id and now - r["date"] < WRITE_WINDOW
                   for r in self.requests.values())

    def state(self) -> list[Json]:
        """The waiting requests, for tests."""
        return [{"chat_id": c, "user_id": u} for c, u in self.requests]

    def _decidable(self, p: Params) -> tuple[Json, int]:
        chat_id, user_id = p.chat_id(), p.integer("user_id")
        chat = self.api.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise self.error(400, "Bad Request: chat not found")
        if self.api.members.get((chat["id"], self.api.bot_id)) not in ADMINS:
            raise self.error(400, "Bad Request: CHAT_ADMIN_REQUIRED")
        if self.api.members.get((chat["id"], user_id)) in INSIDE:
            raise self.error(400, "Bad Request: USER_ALREADY_PARTICIPANT")
        if (chat["id"], user_id) not in self.requests:
            raise self.error(400, "Bad Request: HIDE_REQUESTER_MISSING")
        return chat, user_id

    def _person(self, body: Json) -> Json:
        if int(body["user_id"]) == self.api.bot_id:
            return self.api.bot_user
        user = self.api.user(body)
        user["is_bot"] = bool(body.get("is_bot"))
        return user

    def _service_message(self, chat: Json, by: Json, members: list[Json]) -> Json:
        msg: Json = {"message_id": self.api._next_message_id(chat["id"]), "from": by, "chat": chat,
                     "date": int(time.time()), "new_chat_members": members}
        self.api.messages[(chat["id"], msg["message_id"])] = msg
        return {"update_id": self.api._enqueue("message", msg), "message_id": msg["message_id"]}
