"""``我的ID`` / ``/id``: a person's own platform id and the chat's, for writing bot.toml."""

from __future__ import annotations

from bot import adapters
from bot.dispatcher import Ctx, Router
from bot.message import ChatRef, Reply

router = Router("whoami")



@router.command("我的ID", "我的编号", "/id", "/whoami", alone=True)
async def my_id(ctx: Ctx) -> list[Reply]:
    """Answer in private; in a group also give the group's id, and say where the answer went."""
    platform = adapters.label(ctx.platform)
    how = "，要写这个数字 ID，不要写 @用户名" if ctx.platform == "telegram" else ""
    lines = [f"您的{platform}用户 ID：{ctx.msg.sender_id}", f"（写进 bot.toml 的 owners 或 [staff]{how}。）"]
    if ctx.msg.is_group:
        title = f"「{ctx.msg.chat_title}」" if ctx.msg.chat_title else ""
        lines += [f"本群{title}的 ID：{ctx.msg.chat.chat_id}", "（写进 [[groups]] 的 chat_id。）"]
    private = Reply(ChatRef.private(ctx.platform, ctx.msg.sender_id), "\n".join(lines))
    if not ctx.msg.is_group:
        return [private]
    start = "若没收到，请先打开与我的私聊并按「Start」，再发一次。" if ctx.platform == "telegram" else ""
    return [private, ctx.reply(f"已把您的 ID 和本群 ID 私聊发给您。{start}", mention=True)]
