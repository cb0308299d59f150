"""Acting from a page: the chat command the action stands for, run by the same handlers.

A ticket closed on the web therefore reaches the resident's group exactly as one closed in chat:
the command goes through the dispatcher as a private message of the logged-in person, the
handlers' replies to other chats are queued in the same transaction, and their answer to the
person (the confirmation card) is shown on the page instead of being sent to their chat.
"""

from __future__ import annotations

import secrets

from bot.dispatcher import Dispatcher
from bot.message import ChatRef, Incoming
from bot.services import Services
from bot.web.login import actor
from bot.web.viewer import Viewer


async def perform(svc: Services, dispatcher: Dispatcher, viewer: Viewer, command: str,
                  target: str = "") -> list[str]:
    """Run ``command`` (``完成 E12 已送到``) as the viewer; returns what the bot answered them."""
    person = viewer.person
    now = svc.now()
    chat = ChatRef.private(person.platform, person.user_id)
    msg = Incoming(chat=chat, sender_id=person.user_id, sender_name=person.name, text=command,
                   message_id=f"web-{secrets.token_hex(8)}", sent_at=now, is_group=False)
    async with svc.store.tx():
        # Stored before it is acted on, and with it: the audit entry is the web's inbound record.
        await svc.store.audit.record(actor(person), "web_action", target, command, now)
        replies = await dispatcher.dispatch(svc, msg, now)
        for reply in replies:
            if reply.chat != chat:
                await svc.store.outbox.enqueue(reply, now)
    svc.wake({r.chat.platform for r in replies if r.chat != chat})
    return [r.text for r in replies if r.chat == chat]
