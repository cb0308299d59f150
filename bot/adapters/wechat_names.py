"""Who is who on WeChat, as the gateway tells it: contact names, room payloads, names in rooms.

Read through the puppet and cached per adapter (a room's payload is read afresh each time:
its owner, admins and topic change). Each lookup that fails is logged and falls back, so a
message is never lost for want of a name.
"""

from __future__ import annotations

import logging
from typing import Any

from wechaty_puppet_service import PuppetService

log = logging.getLogger(__name__)


class Names:
    """Contact names, room payloads and in-room names of one WeChat account."""

    def __init__(self) -> None:
        self._contacts: dict[str, str] = {}
        self._in_room: dict[tuple[str, str], str] = {}
        self._rooms: dict[str, Any] = {}

    async def contact(self, puppet: PuppetService, contact_id: str) -> str:
        """The bot's remark for a contact (what workers know them by), else their own name."""
        if contact_id not in self._contacts:
            try:
                contact = await puppet.contact_payload(contact_id)
            except Exception as exc:  # noqa: BLE001
                log.warning("WeChat: no payload for contact %s: %s", contact_id, exc)
                return contact_id
            # The alias getter returns None here; the payload carries the alias.
            self._contacts[contact_id] = contact.alias or contact.name or contact_id
        return self._contacts[contact_id]

    async def room(self, puppet: PuppetService, room_id: str) -> Any:
        """A room's payload (topic, owner, admins); the last one read if the gateway fails."""
        try:
            room = await puppet.room_payload(room_id)
        except Exception as exc:  # noqa: BLE001
            log.warning("WeChat: no payload for room %s: %s", room_id, exc)
            return self._rooms.get(room_id)
        self._rooms[room_id] = room
        return room

    async def in_room(self, puppet: PuppetService, room_id: str, user_id: str, fallback: str) -> str:
        """How the room shows a member: their name in this room, else their WeChat name.

        Not the bot's private remark: everyone in the room reads the @-mention.
        """
        key = (room_id, user_id)
        if key not in self._in_room:
            try:
                member = await puppet.room_member_payload(room_id, user_id)
            except Exception as exc:  # noqa: BLE001
                log.info("WeChat: no member payload for %s in %s: %s", user_id, room_id, exc)
                return fallback
            self._in_room[key] = member.room_alias or member.name or fallback
        return self._in_room[key]
