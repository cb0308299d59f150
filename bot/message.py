"""Plain data that crosses the platform boundary: chats, inbound messages, replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PRIVATE_PREFIX = "@"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """One chat on one platform.

    Private chats with the bot use ``@<user id>`` as ``chat_id`` on every platform, so the
    core can address a user's private chat without asking an adapter.
    """

    platform: str
    chat_id: str

    @classmethod
    def private(cls, platform: str, user_id: str) -> ChatRef:
        """The private chat between the bot and ``user_id``."""
        return cls(platform, PRIVATE_PREFIX + user_id)

    @property
    def is_private(self) -> bool:
        """True for a one-to-one chat with the bot."""
        return self.chat_id.startswith(PRIVATE_PREFIX)

    @property
    def user_id(self) -> str:
        """The other party of a private chat."""
        if not self.is_private:
            raise ValueError(f"{self} is not a private chat")
        return self.chat_id[len(PRIVATE_PREFIX) :]

    def __str__(self) -> str:
        return f"{self.platform}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class Button:
    """A one-tap action; ``command`` is the text command the tap stands for."""

    label: str
    command: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A person to @-mention; adapters render it the platform's way."""

    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Incoming:
    """One inbound message, already stripped of everything platform-specific.

    ``kind`` is ``text`` for ordinary messages and names the media type otherwise
    (``image``, ``voice``, ``video``, ``file``, ``other``). A button tap arrives as an
    ``Incoming`` whose text is the button's command and whose ``tapped_message_id``
    names the bot message that carried the button.
    """

    chat: ChatRef
    sender_id: str
    sender_name: str
    text: str
    message_id: str
    sent_at: datetime
    is_group: bool = True
    mentions_me: bool = False
    kind: str = "text"
    tapped_message_id: str | None = None
    #: The platform says the sender owns or administers this group.
    sender_is_admin: bool = False
    #: The group's name on the platform (Telegram title, WeChat room topic), for logs and 绑定.
    chat_title: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """Something the bot says. ``edit_message_id`` turns the send into an edit."""

    chat: ChatRef
    text: str
    mentions: tuple[Mention, ...] = ()
    buttons: tuple[Button, ...] = field(default=())
    edit_message_id: str | None = None
