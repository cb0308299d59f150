"""Plain data that crosses the platform boundary: chats, inbound messages, replies, actions, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PRIVATE_PREFIX = "@"
#: ``Incoming.kind`` of a person joining a group (see :class:`Incoming`).
JOIN = "join"
#: ``Incoming.kind`` of a person asking to join a group that vets newcomers (Telegram).
JOIN_REQUEST = "join_request"


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
    """One inbound message or group event, already stripped of everything platform-specific.

    ``kind`` is ``text`` for ordinary messages and names the media type otherwise
    (``image``, ``voice``, ``video``, ``file``, ``other``). A button tap arrives as an
    ``Incoming`` whose text is the button's command and whose ``tapped_message_id``
    names the bot message that carried the button.

    Two kinds are events, not messages (``text`` is empty; the dispatcher hands them to
    fallbacks only, like media):

    - ``join``: the sender joined the group ``chat`` (console ``:join``, WeChat room-join,
      Telegram ``new_chat_members``). One Incoming per person who joined; the bot itself
      and other bots never appear.
    - ``join_request``: the sender asked to join the group ``chat`` (Telegram groups that
      approve newcomers); ``is_group`` is True though the sender is not in it yet.
      ``reply_chat`` is the private chat the bot may write to about it, and a Reply
      carrying a :class:`JoinDecision` for the sender answers the request.

    Their ``message_id`` is derived from the event (platform message id and member, or
    group, person and time) so that a redelivered event is recognised as seen.
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
    #: Where the bot may write to the sender privately when that is not ``ChatRef.private``
    #: of ``sender_id``: Telegram's ``user_chat_id`` of a join request.
    reply_chat: ChatRef | None = None


@dataclass(frozen=True, slots=True)
class JoinDecision:
    """Let ``user_id`` into the reply's group (``approve``) or turn them away.

    The answer to a ``join_request``; ``name`` says who for the console and the logs.
    """

    user_id: str
    approve: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the bot sends with a reply: an image (a chart) or a document (a spreadsheet).

    How to send one: write the file under ``data/`` first (the outbox keeps the path, not the
    bytes, so the file must stay there until it is sent), then queue
    ``Reply(chat, "说明文字", attachment=Attachment(path, "名称.png", "image/png"))``.
    The reply's ``text`` goes with it as the caption (Telegram) or a message just before it
    (WeChat); the console prints where the file is.

    - Images (``image/png``, ``image/jpeg``, ``image/webp``) show as pictures on Telegram
      (sendPhoto); anything else, or an image over 10 MB, as a document (sendDocument).
      WeChat sends every file as a file box.
    - Privacy: an attachment goes to private chats only, unless ``group_safe`` says it holds
      nothing about any one person (a chart of counts): no masking step can read a file,
      so a group reply's unsafe attachment is dropped at the outbox with a note instead.
    - A file that is gone when its turn comes is not retried forever: the text goes out
      with a note that the file could not be sent, and the error is logged.
    - An attachment is always a new message: ``edit_message_id`` is ignored for it.
    """

    #: Where the file is (under ``data/``); read when it is sent.
    path: str
    #: The file name people see (``工单走势.png``).
    name: str
    #: Its media type (``image/png``, ``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``).
    mime: str
    #: True only for files with nothing about any one person in them (counts, rates).
    group_safe: bool = False

    @property
    def is_image(self) -> bool:
        """True for a picture platforms can show inline."""
        return self.mime in IMAGE_TYPES


#: Media types shown as pictures (Telegram's sendPhoto takes these).
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True, slots=True)
class Reply:
    """Something the bot says or does. ``edit_message_id`` turns the send into an edit.

    ``action`` is done on the platform in ``chat`` (a group) before any ``text`` is sent;
    a Reply may carry an action alone (``text`` empty). ``attachment`` is a file sent with
    the text (see :class:`Attachment`).
    """

    chat: ChatRef
    text: str
    mentions: tuple[Mention, ...] = ()
    buttons: tuple[Button, ...] = field(default=())
    edit_message_id: str | None = None
    action: JoinDecision | None = None
    attachment: Attachment | None = None
