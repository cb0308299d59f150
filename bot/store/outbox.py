"""The persisted outbox: every reply is written here before any adapter sends it."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.message import Attachment, JoinDecision, Reply


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One queued send."""

    id: int
    reply: Reply
    attempts: int
    dedupe_key: str | None
    status: str
    platform_message_id: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    #: Read by :meth:`OutboxRepo.due`: the chat has later pending sends queued behind this one.
    more_in_chat: bool = False


class OutboxRepo(Protocol):
    """The ``outbox`` table."""

    async def enqueue(self, reply: Reply, now: datetime, dedupe_key: str | None = None) -> int | None:
        """Queue a reply; None if a row with the same ``dedupe_key`` already exists.

        Every reply passes here, so this is where group texts are masked: no path can miss it.
        """

    async def enqueue_all(self, replies: Sequence[Reply], now: datetime) -> None:
        """Queue a handler's replies (no dedupe key) within the caller's transaction."""

    async def queued_keys(self, keys: Collection[str]) -> set[str]:
        """Which of these dedupe keys are already in the outbox (one index probe each, in bulk)."""

    async def due(
        self, platform: str, now: datetime, limit: int, busy_chats: Collection[str] = ()
    ) -> list[OutboxItem]:
        """The oldest pending send of each chat that is due, skipping chats in flight."""

    async def due_and_next(
        self, platform: str, now: datetime, limit: int, busy_chats: Collection[str] = ()
    ) -> tuple[list[OutboxItem], datetime | None]:
        """:meth:`due` and :meth:`next_due_at` in one look."""

    async def pending(self, platform: str) -> list[OutboxItem]:
        """Every pending send of a platform in the order it was queued."""

    async def next_due_at(self, platform: str) -> datetime | None:
        """When the earliest pending send of a platform is due, if there is one."""

    async def mark_sent(self, item_id: int, platform_message_id: str | None, now: datetime) -> None:
        """Record a successful send, ahead of queued work: until it commits, a crash repeats it."""

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]], now: datetime) -> None:
        """Record several successful sends (id, platform message id) in one commit."""

    async def mark_retry(
        self, item_id: int, error: str, retry_at: datetime, *, count: bool = True
    ) -> None:
        """Record a failed attempt (``count=False``: one that does not count) and the next try."""

    async def mark_failed(self, item_id: int, error: str) -> None:
        """Give up on a send."""

    async def by_dedupe_key(self, key: str) -> OutboxItem | None:
        """The send queued under ``key``, if any."""

    async def items(self, platform: str | None = None, status: str | None = None) -> list[OutboxItem]:
        """Queued sends, oldest first, optionally filtered."""


def action_to_json(action: JoinDecision | None) -> str | None:
    """A reply's action as stored: ``{"join": {...}}``, None for a plain message."""
    if action is None:
        return None
    fields = {"user_id": action.user_id, "approve": action.approve, "name": action.name}
    return json.dumps({"join": fields}, ensure_ascii=False)


def action_from_json(text: str | None) -> JoinDecision | None:
    """The inverse of :func:`action_to_json`; raises ValueError for an action it does not know."""
    if text is None:
        return None
    data = json.loads(text)
    if not isinstance(data, dict) or set(data) != {"join"}:
        raise ValueError(f"unknown outbox action {text!r}")
    join = data["join"]
    return JoinDecision(str(join["user_id"]), bool(join["approve"]), str(join.get("name", "")))


def attachment_to_json(attachment: Attachment | None) -> str | None:
    """A reply's file as stored: where it is, its name and type (never its bytes)."""
    if attachment is None:
        return None
    return json.dumps({"path": attachment.path, "name": attachment.name, "mime": attachment.mime,
                       "group_safe": attachment.group_safe}, ensure_ascii=False)


def attachment_from_json(text: str | None) -> Attachment | None:
    """The inverse of :func:`attachment_to_json`."""
    if text is None:
        return None
    data = json.loads(text)
    return Attachment(str(data["path"]), str(data["name"]), str(data["mime"]),
                      bool(data.get("group_safe", False)))
