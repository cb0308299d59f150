"""What every resident can ask: help, their own tickets, progress, and a rating."""

from __future__ import annotations

import re

from bot import render
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.kinds import REGISTRY
from bot.lookup import find_ticket
from bot.message import Reply
from bot.tickets import CATEGORY_LABEL, DONE
from handlers import filing
from handlers.audit import STAFF_HELP
from handlers.households import OWNER_HELP as HOUSEHOLD_HELP
from handlers.reports import OWNER_HELP as REPORT_HELP
from handlers.reports import STAFF_HELP as RANKING_HELP

router = Router("resident")

_KIND_LINES = "\n".join(line for k in REGISTRY for line in k.help_lines)
_KIND_FILTERS = "|".join(k.filter_words[0] for k in REGISTRY)
_KIND_VERBS = "".join(f"\n{line}" for k in REGISTRY for line in k.owner_help)
RESIDENT_HELP = f"""网格助手使用说明（在小区/村群里发，也可以私聊我发，私聊的内容不会公开到群里）：
{_KIND_LINES}
· 请问 + 政策问题，例：请问核酸检测点在哪里
· 我的工单　查看自己的工单
· 进度 E12　查看一张工单的进展
· 评价 E12 5　给已完成的工单打分（1-5 分）
· 实名 姓名 地址　入群实名登记（群主审核），例：实名 张三 3栋2单元501"""

OWNER_HELP = f"""群主/工作人员指令（私聊我使用）：
· 待办 [{_KIND_FILTERS}|群名]　列出未办结的工单
· 详情 E12　工单全部信息和记录
· 接单 E12 ／ 指派 E12 姓名
· 进展 E12 说明（会告知居民） ／ 备注 E12 内容（仅内部）
· 完成 E12 [说明] ／ 驳回 E12 原因{_KIND_VERBS}
· 下发问答 P3 [群名]　把问答库条目作为通知下发到下级各群
· 登记 M12 代办|核实 ／ 忽略 M12　处理「可能需要帮助」（没写关键词的求助）
通知（私聊我使用）：
· 通知 [群名] 内容　发到本群和下级各群（加「仅本群」只发一个群）
· 同意 N3　放行等待本级审核的通知
· 收到 [N3]　确认您负责的群收到通知（不写编号＝确认所有未确认的）
· 回执 [N3]　查看各群送达和确认情况
· 定时 每天 08:00 内容 ／ 定时列表 ／ 取消定时 S2
· 图表 [日报|周报|月报] [群名]　每日工单、处理时长、回执率三张图
入群实名（私聊我使用）：
· 批准 J3 [新建]　通过实名登记（地址不在住户册时加「新建」）
· 拒绝 J3 原因　原因只私下告诉本人 ／ 未登记　待审核和入群未登记的成员
接龙 / 报名 / 投票（私聊我使用）：
· 接龙 [群名：] 标题 选项 已做 未做 截止 18:00　发到本群（写群名则含下级群，加「仅本群」只发一个群）
· 报名 标题 名额 20 ／ 投票 标题 选项 同意 不同意 [记名|不记名]
· 接龙进度 C1　统计和未回复的住户（含电话） ／ 结束接龙 C1
网页看板：
· 登录　领取网页登录链接（10 分钟内有效） ／ 退出登录"""

#: Shown in private to everyone when bot.toml has volunteer teams or checkpoints.
VOLUNTEER_HELP = """志愿者（私聊我使用）：
· 志愿者报名 姓名 电话 小分队　报名（群主或队长审核）
· 我的任务 ／ 抢单 E12（或点「我来」） ／ 进展 E12 说明 ／ 完成 E12 [说明] ／ 退回 E12 原因
· 排班 [卡点] [日期]　值班安排 ／ 到岗 卡点　值班签到 ／ 换班 日期 班次 姓名"""

#: The owners' lines for volunteers, rosters and pick lists (with teams or checkpoints).
OWNER_VOLUNTEER_HELP = """志愿者、排班和配菜（私聊我使用）：
· 志愿者名单 ／ 志愿者 通过 姓名 ／ 志愿者 拒绝 姓名 原因
· 志愿者统计 [月份]　各队各人接单、完成、用时和评分 ／ 感谢名单 [发布] [月份]
· 排班 [卡点] [日期] ／ 配菜单 [日期]　当天代买按楼栋分好（含打印表格） ／ 配送完成 3栋"""

GRID_HELP = """网格员指令（私聊我使用，只能处理本网格住户的工单）：
· 待办　本网格未办结的工单 ／ 详情 E12
· 接单 E12 ／ 进展 E12 说明（会告知居民） ／ 备注 E12 内容（仅内部）
· 完成 E12 [说明] ／ 驳回 E12 原因
· 住户　本网格的住户和电话 ／ 住户 3-2-501　查看一户
· 接龙进度 C1　本网格还没回复的住户（含电话）
· 登录　网页看板的登录链接 ／ 退出登录"""

CONTACT_HELP = """意见建议联系人指令（私聊我使用，只能处理所负责群的建议和投诉）：
· 待办　未办结的意见建议 ／ 详情 F1
· 接单 F1 ／ 进展 F1 说明（会告知居民） ／ 备注 F1 内容（仅内部）
· 完成 F1 处理结果 ／ 驳回 F1 原因"""

_SCORE = re.compile(r"^([1-5一二三四五])(?![\d.])\s*(?:分|星)?\s*(.*)$", re.S)
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_HELP_WORDS = ("帮助", "怎么用", "菜单", "说明", "指令", "功能")


@router.command("帮助", "使用说明", "怎么用", "菜单", "/help", "/start", "help", alone=True)
async def help_card(ctx: Ctx) -> Reply:
    """The usage card; owners and staff also get theirs in private chat."""
    text = RESIDENT_HELP
    helpers = bool(ctx.config.teams or ctx.config.checkpoints)
    if not ctx.msg.is_group and helpers:
        text += "\n\n" + VOLUNTEER_HELP
    if not ctx.msg.is_group and ctx.role >= Role.OWNER:
        text += "\n\n" + OWNER_HELP + "\n" + REPORT_HELP + "\n" + HOUSEHOLD_HELP
        if helpers:
            text += "\n" + OWNER_VOLUNTEER_HELP
    elif not ctx.msg.is_group and ctx.role == Role.GRID:
        if ctx.directory.grids_of(ctx.platform, ctx.msg.sender_id):
            text += "\n\n" + GRID_HELP
        if ctx.directory.contact_groups(ctx.platform, ctx.msg.sender_id):
            text += "\n\n" + CONTACT_HELP
    if not ctx.msg.is_group and ctx.role >= Role.STAFF:
        text += "\n" + STAFF_HELP + "\n" + RANKING_HELP
    return ctx.reply(text)


@router.command("我的工单", "我的单子", "/my", alone=True)
async def my_tickets(ctx: Ctx) -> Reply:
    """The sender's own tickets, newest first."""
    mine = await ctx.store.tickets.list(requester=(ctx.platform, ctx.msg.sender_id))
    if not mine:
        return ctx.reply("您还没有工单。在群里或私聊我发送「代买 要买的东西 地址」等即可登记。",
                         mention=ctx.msg.is_group)
    recent = mine[::-1][:10]
    lines = [f"您的工单（共 {len(mine)} 张{'，显示最近 10 张' if len(mine) > 10 else ''}）："]
    # In the group everyone reads along: no addresses, no report contents there.
    lines += [render.summary(t, public=ctx.msg.is_group) for t in recent]
    return ctx.reply("\n".join(lines), mention=ctx.msg.is_group)


@router.command("进度", "查询", "/status")
async def progress(ctx: Ctx) -> Reply:
    """One ticket's status and history, for its requester or whoever manages it."""
    if not ctx.args:
        return await my_tickets(ctx)
    found = await find_ticket(ctx, "进度 E12")
    if isinstance(found, Reply):
        return found
    t, _ = found
    manager = ctx.directory.may_manage(ctx.platform, ctx.msg.sender_id, t.group_key)
    if not manager and (t.platform, t.requester_id) != (ctx.platform, ctx.msg.sender_id):
        return ctx.reply(f"{t.code} 不是您登记的工单，只能查看自己的工单。发送「我的工单」查看。",
                         mention=ctx.msg.is_group)
    history = await ctx.store.tickets.history(t)
    if ctx.msg.is_group:  # a group reads the public card, whoever asks
        return ctx.reply(render.card(t, ctx.config.tz, history, public=True), mention=True)
    if not manager:  # residents see what happened, not internal notes
        history = [ev for ev in history if ev.action not in ("note", "escalate")]
    return ctx.reply(render.card(t, ctx.config.tz, history))


@router.command("评价", "/rate")
async def rate(ctx: Ctx) -> Reply:
    """A resident scores a finished ticket once, 1 to 5."""
    found = await find_ticket(ctx, "评价 E12 5")
    if isinstance(found, Reply):
        return found
    t, rest = found
    if (t.platform, t.requester_id) != (ctx.platform, ctx.msg.sender_id):
        return ctx.reply(f"只有登记 {t.code} 的居民本人可以评价。", mention=ctx.msg.is_group)
    if not render.rateable(t):
        return ctx.reply(f"{t.code} 是{t.kind_label}（{CATEGORY_LABEL[t.category]}），不需要评价。",
                         mention=ctx.msg.is_group)
    if t.status != DONE:
        return ctx.reply(f"{t.code} 当前是「{t.status_label}」，完成后才能评价。", mention=ctx.msg.is_group)
    m = _SCORE.match(rest)
    if not m:
        given = f"「{rest[:10]}」不是 1 到 5 之间的整数分。" if rest else ""
        return ctx.reply(f"{given}请给 1 到 5 分，例如：评价 {t.code} 5（5 分最满意）。",
                         mention=ctx.msg.is_group)
    score = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGIT[m.group(1)]
    if not await ctx.store.tickets.rate(t, score, ctx.msg.sender_id, m.group(2).strip(), ctx.now):
        return ctx.reply(f"{t.code} 已经评价过了，每张工单只能评价一次。", mention=ctx.msg.is_group)
    return ctx.reply(f"感谢您的评价：{t.code} {score} 分。", mention=ctx.msg.is_group)


@router.command(filing.SUBMIT, where="private")
async def submit(ctx: Ctx) -> Reply | list[Reply]:
    """``提交 群名``: the group chosen for a request sent in private."""
    return await filing.submit(ctx)


@router.fallback(where="private", priority=-10)
async def private_fallback(ctx: Ctx) -> Reply | list[Reply]:
    """Private chat never goes unanswered: file a request, or explain what the bot understands."""
    if ctx.msg.kind != "text":
        return ctx.reply("我暂时只能看懂文字。请用文字描述，例如：代买 大米一袋 3栋2单元501。发送「帮助」查看说明。")
    if not ctx.text.strip("?？!！。. ") or ctx.text.startswith(_HELP_WORDS):
        return await help_card(ctx)
    # A request first: "求证 听说明天停水" holds 说明 but is no call for the usage card.
    filed = await filing.file_in_private(ctx)
    if filed is not None:
        return filed
    if any(w in ctx.text for w in _HELP_WORDS):
        return await help_card(ctx)
    return ctx.reply(f"没看懂「{ctx.text[:20]}」。发送「帮助」查看可用的指令。")
