"""``登录`` / ``/login``: a one-time link to the web dashboard; ``退出登录`` ends its sessions."""

from __future__ import annotations

from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.message import Reply
from bot.store.web import Person
from bot.web import login

router = Router("web_login")


def _person(ctx: Ctx) -> Person:
    return Person(ctx.platform, ctx.msg.sender_id, ctx.msg.sender_name)


@router.command("登录", "网页登录", "/login", where="private", role=Role.GRID, alone=True)
async def link(ctx: Ctx) -> Reply:
    """A login link valid for ten minutes, once."""
    url = await login.issue_link(ctx.services, _person(ctx), ctx.now)
    if url is None:
        return ctx.reply(f"一小时内最多领取 {login.LINKS_PER_HOUR} 个登录链接，请稍后再试；"
                         "已打开的网页可以继续使用。")
    minutes = int(login.LINK_LIFETIME.total_seconds() // 60)
    return ctx.reply(f"网页登录链接（{minutes} 分钟内有效，只能用一次，请勿转发）：\n{url}\n"
                     "不用时在网页上点「退出」，或发送「退出登录」。")


@router.command("退出登录", "/logout", where="private", role=Role.GRID, alone=True)
async def logout(ctx: Ctx) -> Reply:
    """End every dashboard session of this person."""
    ended = await login.end_all(ctx.services, _person(ctx), ctx.now)
    if ended == 0:
        return ctx.reply("您现在没有登录网页，不用退出。")
    return ctx.reply(f"已退出网页登录（{ended} 个浏览器）。下次发送「登录」获取新链接。")
