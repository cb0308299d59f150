"""Telegram updates as Incoming: messages, button taps, people joining and join requests.

Text, names and titles are cleaned (``clean_text``) here, where the Incoming is built: a
forged or broken update must still be storable. Telegram sends join requests only to a bot
that administers the group with the ``can_invite_users`` right, and only when
``chat_join_request`` is among the updates it asked for; an approved request then arrives
again as ``new_chat_members``, like any other join.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from telegram import Bot, CallbackQuery, ChatJoinRequest, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.adapters.telegram_format import PLATFORM, tg_id
from bot.message import JOIN, JOIN_REQUEST, ChatRef, Incoming
from bot.text import clean_text, normalize, strip_mentions

log = logging.getLogger(__name__)

GROUP_TYPES = ("group", "supergroup")
#: Matched after normalisation (Traditional 綁定 and full-width ／bind fold into these).
BIND_PREFIXES = ("绑定", "/bind")
_ADDRESSED = re.compile(r"^/\w+@(\w+)")
MEDIA_KINDS = (
    ("photo", "image"), ("sticker", "image"), ("voice", "voice"), ("audio", "voice"),
    ("video", "video"), ("video_note", "video"), ("document", "file"), ("location", "other"),
    ("contact", "other"), ("poll", "other"),
)


async def read(bot: Bot, update: Update, bot_id: int, username: str) -> list[Incoming]:
    """What an update (other than a button tap) brings: a message, or one event per person."""
    msg, request = update.message, update.chat_join_request
    if request is not None:
        event = join_request(request)
        return [event] if event is not None else []
    if msg is not None and msg.new_chat_members:
        return joined(msg, bot_id)
    if msg is not None:
        one = await from_message(bot, msg, bot_id, username)
        return [one] if one is not None else []
    log.info("Telegram: update %s carries nothing the bot reads; skipped", update.update_id)
    return []


async def from_message(bot: Bot, msg: Message, bot_id: int, username: str) -> Incoming | None:
    """A Telegram message as an Incoming, or None for what the bot ignores."""
    user = msg.from_user
    chat = msg.chat
    if user is None or user.id == bot_id or chat.type == "channel" or msg.is_automatic_forward:
        return None
    is_group = chat.type in GROUP_TYPES
    ref = ChatRef(PLATFORM, tg_id(chat.id)) if is_group else ChatRef.private(PLATFORM, tg_id(user.id))
    # Telegram sends strings; a forged or broken update may not (``"text": 5``): it is
    # stored as a message the bot cannot read rather than refused again and again.
    said = msg.text if isinstance(msg.text, str) else None
    text = clean_text(said or (msg.caption if isinstance(msg.caption, str) else "") or "")
    addressed = _ADDRESSED.match(text)
    if addressed and username and addressed.group(1).lower() != username.lower():
        return None  # "/help@OtherBot": another bot's command
    kind = "text" if said is not None else next(
        (k for attr, k in MEDIA_KINDS if getattr(msg, attr, None)), "other")
    replied = msg.reply_to_message
    mentions_me = bool(username and f"@{username}".lower() in text.lower()) or bool(
        replied and replied.from_user and replied.from_user.id == bot_id)
    binding = is_group and strip_mentions(normalize(text)).lower().startswith(BIND_PREFIXES)
    admin = binding and await _is_admin(bot, msg, user.id)
    return Incoming(
        chat=ref, sender_id=tg_id(user.id), sender_name=clean_text(str(user.full_name)), text=text,
        message_id=tg_id(msg.message_id), sent_at=msg.date, is_group=is_group,
        mentions_me=mentions_me, kind=kind, sender_is_admin=admin,
        chat_title=clean_text(str(chat.title or "")),
    )


async def _is_admin(bot: Bot, msg: Message, user_id: int) -> bool:
    chat_id = msg.chat.id
    if msg.sender_chat is not None:
        # An admin posting "as the group" has no user id the bot could write to as owner.
        log.info("Telegram: 绑定 in %s sent anonymously; the admin must post as themselves", chat_id)
        return False
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.warning("Telegram: cannot check admins of %s: %s", chat_id, exc)
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def from_tap(query: CallbackQuery) -> Incoming | None:
    """A button tap as an Incoming; None for a tap that no longer means anything."""
    message = query.message
    if not query.data or not isinstance(query.data, str) or message is None:
        return None
    # A message older than 48 hours comes as chat and id only (date 0): still enough.
    chat = message.chat
    is_group = chat.type in GROUP_TYPES
    user = query.from_user
    ref = ChatRef(PLATFORM, tg_id(chat.id)) if is_group else ChatRef.private(PLATFORM, tg_id(user.id))
    return Incoming(
        chat=ref, sender_id=tg_id(user.id), sender_name=clean_text(str(user.full_name)),
        text=clean_text(query.data),
        # A callback query carries no date of its own; the message's may be days old.
        message_id=f"cb:{tg_id(query.id)}", sent_at=datetime.now(UTC), is_group=is_group,
        tapped_message_id=tg_id(message.message_id), chat_title=clean_text(str(chat.title or "")),
    )


def joined(msg: Message, bot_id: int) -> list[Incoming]:
    """One ``join`` per person in a ``new_chat_members`` message; bots (this one too) are left out.

    Several people may join in one message, so each one's id is the message id and theirs.
    """
    chat = msg.chat
    if chat.type not in GROUP_TYPES:
        return []
    ref = ChatRef(PLATFORM, tg_id(chat.id))
    return [
        Incoming(
            chat=ref, sender_id=tg_id(user.id), sender_name=clean_text(str(user.full_name)),
            text="", message_id=f"{tg_id(msg.message_id)}:join:{tg_id(user.id)}", sent_at=msg.date,
            is_group=True, kind=JOIN, chat_title=clean_text(str(chat.title or "")),
        )
        for user in msg.new_chat_members
        if not user.is_bot and user.id != bot_id
    ]


def join_request(request: ChatJoinRequest) -> Incoming | None:
    """A ``join_request`` for a group; None for a channel's (the bot serves groups only).

    Its only id is the update's, which polling and a webhook do not share, so the event's id
    is made of the person and the request's date (the group is part of the store's key).
    """
    chat, user = request.chat, request.from_user
    if chat.type not in GROUP_TYPES:
        return None
    stamp = int(request.date.timestamp())
    return Incoming(
        chat=ChatRef(PLATFORM, tg_id(chat.id)), sender_id=tg_id(user.id),
        sender_name=clean_text(str(user.full_name)), text="",
        message_id=f"join_request:{tg_id(user.id)}:{stamp}", sent_at=request.date, is_group=True,
        kind=JOIN_REQUEST, chat_title=clean_text(str(chat.title or "")),
        # Telegram: write to the requester through user_chat_id, not their user id.
        reply_chat=ChatRef.private(PLATFORM, tg_id(request.user_chat_id)),
    )
