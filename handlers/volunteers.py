"""Volunteers sign up for a team in private; leaders and owners approve with one tap or in text."""

from __future__ import annotations

from bot import volunteers as vol
from bot.dispatcher import Ctx, Router
from bot.message import Button, ChatRef, Reply
from bot.store.volunteers import STATUS_LABEL, Volunteer
from bot.text import one_line
from handlers.audit import actor_of

router = Router("volunteers")

#: A volunteer's name is a person's name, not a sentence.
NAME_LIMIT = 20
ROSTER_LIMIT = 60
DEFAULT_REASON = "暂不需要，感谢您的热心"


@router.command("志愿者报名", "/volunteer", where="private")
async def sign_up(ctx: Ctx) -> Reply | list[Reply]:
    """``志愿者报名 王小明 13900001111 配送小分队``: a pending sign-up, and its approvers are told."""
    if not ctx.config.teams:
        return ctx.reply("本地还没有设立志愿者小分队，暂不接受报名。想帮忙的话请直接联系群主。")
    parts = ctx.args.split()
    if len(parts) != 3:
        return ctx.reply(f"报名请写姓名、电话和小分队，用空格隔开：{vol.SIGN_UP}，"
                         f"例如：志愿者报名 王小明 13900001111 {ctx.config.teams[0].name}\n"
                         f"可报名的小分队：{vol.team_names(ctx.config)}")
    name, written_phone, written_team = parts
    phone = vol.phone_of(written_phone)
    if phone is None and vol.phone_of(name):
        return ctx.reply(f"姓名和电话的顺序反了：请按「{vol.SIGN_UP}」写，例如：志愿者报名 王小明 13900001111 {parts[2]}")
    if phone is None:
        return ctx.reply(f"「{one_line(written_phone, 20)}」不是手机号码：请写 11 位手机号，例如 13900001111。")
    if len(name) > NAME_LIMIT or vol.phone_of(name) or name.isdigit():
        return ctx.reply(f"「{one_line(name, 20)}」不像姓名：请按 {vol.SIGN_UP} 的顺序写。")
    team = vol.find_team(ctx.config, written_team)
    if team is None:
        return ctx.reply(f"没有「{one_line(written_team, 20)}」这个小分队。可报名的小分队：{vol.team_names(ctx.config)}。")
    if vol.team_platform(ctx.directory, team) != ctx.platform:
        return ctx.reply(f"「{team.name}」的志愿者群不在这个平台上，请在志愿者群所在的平台私聊我报名。")
    found, created = await ctx.store.volunteers.sign_up(ctx.platform, ctx.msg.sender_id, name, phone,
                                                        team.key, ctx.now)
    if not created:
        was = vol.find_team(ctx.config, found.team_key)
        return ctx.reply(f"您已经报名过了（{found.name}，{was.name if was else found.team_key}，{found.status_label}），"
                         "不用重复报名。" + ("审核通过后我会私信告诉您。" if found.status == "pending" else ""))
    told = [Reply(chat, f"【志愿者报名】{vol.who(found, team)} 申请加入「{team.name}」。\n"
                        f"通过：志愿者 通过 {name}　拒绝：志愿者 拒绝 {name} 原因",
                  buttons=_decide_buttons(found))
            for chat in vol.approver_chats(ctx.directory, team)]
    return [ctx.reply(f"已收到您的报名：{name}，{team.name}。审核通过后我会私信告诉您，谢谢您的热心！"), *told]


def _decide_buttons(v: Volunteer) -> tuple[Button, ...]:
    return (Button("通过", f"志愿者 通过 {v.name} {v.tail}"), Button("拒绝", f"志愿者 拒绝 {v.name} {v.tail}"))


@router.command("志愿者", where="private")
async def decide(ctx: Ctx) -> Reply | list[Reply] | None:
    """``志愿者 通过 王小明`` / ``志愿者 拒绝 王小明 原因`` (a phone tail tells namesakes apart)."""
    verb, _, rest = ctx.args.partition(" ")
    if verb not in ("通过", "拒绝"):
        return ctx.reply("请写「志愿者 通过 姓名」或「志愿者 拒绝 姓名 原因」；看名单发「志愿者名单」。")
    name, _, rest = rest.strip().partition(" ")
    tail, reason = "", rest.strip()
    if reason[:4].isdigit() and (len(reason) == 4 or reason[4:5] == " "):
        tail, reason = reason[:4], reason[4:].strip()
    if not name:
        return ctx.reply(f"请写上姓名，例如：志愿者 {verb} 王小明")
    teams = vol.overseen_teams(ctx.directory, ctx.platform, ctx.msg.sender_id)
    if not teams:
        return ctx.reply("只有小分队队长、志愿者群的群主和指挥部工作人员可以审核志愿者报名。")
    found = [v for v in await ctx.store.volunteers.named(name, [t.key for t in teams])
             if not tail or v.tail == tail]
    if not found:
        return ctx.reply(f"您负责的小分队里没有叫「{one_line(name, 20)}」的报名。发送「志愿者名单」查看。")
    pending = [v for v in found if v.status == "pending"]
    if not pending:
        return ctx.reply(f"{name} 的报名{found[0].status_label}，无需再审核。")
    if len(pending) > 1:
        options = "\n".join(f"· 志愿者 {verb} {v.name} {v.tail}（尾号 {v.tail}）" for v in pending)
        return ctx.reply(f"有 {len(pending)} 位「{name}」在等审核，请带上手机尾号：\n{options}")
    v = pending[0]
    approve = verb == "通过"
    reason = "" if approve else (reason or DEFAULT_REASON)
    v = await ctx.store.volunteers.decide(v, approve, reason, ctx.msg.sender_id, ctx.now)
    await ctx.store.audit.record(actor_of(ctx), f"volunteer_{'approve' if approve else 'reject'}",
                                 f"{v.name}（{v.team_key}）", reason, ctx.now)
    team = vol.find_team(ctx.config, v.team_key)
    team_name = team.name if team else v.team_key
    if approve:
        told = (f"您报名的「{team_name}」志愿者已通过审核，欢迎加入！新的代办会发到志愿者群，"
                f"点「我来」或回复「抢单 编号」接单。\n{vol.VOLUNTEER_HELP}")
        headline = f"已通过 {v.name}（{team_name}）的报名，已私信通知本人。"
    else:
        told = f"抱歉，您报名的「{team_name}」志愿者未通过：{reason}。如有疑问请联系小分队队长。"
        headline = f"已拒绝 {v.name}（{team_name}）的报名，原因已私信告知本人。"
    return [ctx.reply(headline, edit=ctx.msg.tapped_message_id is not None),
            Reply(ChatRef.private(v.platform, v.user_id), told)]


@router.command("志愿者名单", where="private", alone=True)
async def roster(ctx: Ctx) -> Reply:
    """The sign-ups of the teams this person oversees, pending first, with counts."""
    teams = vol.overseen_teams(ctx.directory, ctx.platform, ctx.msg.sender_id)
    if not teams:
        return ctx.reply("只有小分队队长、志愿者群的群主和指挥部工作人员可以查看志愿者名单。")
    keys = [t.key for t in teams]
    counts = await ctx.store.volunteers.counts(keys)
    people = await ctx.store.volunteers.roster(keys, ROSTER_LIMIT)
    lines = []
    for team in teams:
        n = {s: counts.get((team.key, s), 0) for s in STATUS_LABEL}
        lines.append(f"【{team.name}】" + "，".join(f"{label} {n[s]} 人" for s, label in STATUS_LABEL.items()))
        lines += [f"· {v.name} {v.phone}｜{v.status_label}" + (f"（{v.reason}）" if v.reason else "")
                  for v in people if v.team_key == team.key]
    total = sum(counts.values())
    if total > len(people):
        lines.append(f"……只列出前 {len(people)} 人（共 {total} 人）。")
    if any(v.status == "pending" for v in people):
        lines.append("审核：志愿者 通过 姓名 ／ 志愿者 拒绝 姓名 原因")
    return ctx.reply("\n".join(lines))
