"""Platform actions the outbox asks Telegram for: deciding join requests.

``approveChatJoinRequest`` / ``declineChatJoinRequest`` need the bot to administer the group
with the ``can_invite_users`` right. A request Telegram no longer holds (decided by someone
else, withdrawn, expired, or the person is in the group already) counts as done: the outbox
must not retry it forever.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest

from bot.adapter import SendError
from bot.message import JoinDecision

log = logging.getLogger(__name__)

#: Telegram's answers when there is no request left to decide.
SETTLED = ("HIDE_REQUESTER_MISSING", "USER_ALREADY_PARTICIPANT")


async def decide(bot: Bot, chat_id: int | str, decision: JoinDecision) -> None:
    """Approve or decline one join request; a settled one is logged and counts as done.

    Other refusals (no admin right, the chat gone) raise PTB's ``BadRequest``/``Forbidden``,
    which the adapter reports as permanent.
    """
    if not decision.user_id.lstrip("-").isdigit():
        raise SendError(f"join decision for {decision.user_id!r}: not a Telegram user id", permanent=True)
    verb = "approve" if decision.approve else "decline"
    call = bot.approve_chat_join_request if decision.approve else bot.decline_chat_join_request
    try:
        await call(chat_id, int(decision.user_id))
    except BadRequest as exc:
        if not any(code in exc.message.upper() for code in SETTLED):
            raise
        log.info("Telegram: cannot %s the join request of %s in %s, it is settled already (%s); done",
                 verb, decision.user_id, chat_id, exc.message)
        return
    log.info("Telegram: %sd the join request of %s (%s) in %s", verb, decision.user_id,
             decision.name, chat_id)
