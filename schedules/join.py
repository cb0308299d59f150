"""Members who joined but never registered by real name are reminded once."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Config
from bot.message import ChatRef, Mention, Reply
from bot.registration import request_chat
from bot.services import Job, Services, Triggers


async def job(svc: Services, now: datetime) -> int:
    """Remind, once each, members who joined ``[join] remind_after_minutes`` ago and did not register."""
    due = await svc.store.members.to_remind(now - timedelta(minutes=svc.config.join.remind_after_minutes))
    replies: list[Reply] = []
    reminded: list[int] = []
    for member in due:
        group = svc.directory.group(member.group_key)
        if group is None:
            continue
        reminded.append(member.id)
        text = ("提醒：您还没有完成实名登记。请发送「实名 姓名 地址」，例如：实名 张三 3栋2单元501；"
                "群主审核后即可使用全部服务。")
        if member.via_request:
            if (chat := request_chat(member, group.platform)) is not None:
                replies.append(Reply(chat, text))
        else:
            replies.append(Reply(ChatRef(group.platform, group.chat_id), text,
                                 (Mention(member.user_id, member.name),)))
    async with svc.store.tx():  # marked and queued together: once, across restarts
        await svc.store.members.mark_reminded(reminded, now)
        for reply in replies:
            await svc.store.outbox.enqueue(reply, now)
    svc.wake({r.chat.platform for r in replies})
    return len(replies)


def _every_ten_minutes(_: Config) -> Triggers:
    return {"join-reminders": {"trigger": "interval", "minutes": 10}}


JOB = Job("join-reminders", _every_ten_minutes, job)
