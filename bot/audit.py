"""The audit log as people read it: action names in Chinese, one line per entry."""

from __future__ import annotations

import getpass
from zoneinfo import ZoneInfo

from bot.store.audit import Actor, AuditEntry

ACTION_LABEL = {
    "export": "导出台账",
    "purge": "清理过期数据",
    "approve": "审核同意通知",
    "bind": "绑定群（登记群主）",
    "household": "住户登记",
    "households_import": "导入住户",
    "roster_import": "导入排班",
    "member_approve": "批准实名登记",
    "member_reject": "拒绝实名登记",
    "maybe_ignore": "忽略「可能需要帮助」",
    "faq_import": "导入政策问答",
    "rumors_import": "导入谣言库",
    "rumors_retire": "停用谣言库条目",
    "volunteer_approve": "通过志愿者报名",
    "volunteer_reject": "拒绝志愿者报名",
    "rumors_add": "新增谣言库条目",
    "faq_add": "新增政策问答",
    "faq_retire": "停用政策问答",
    "web_link": "领取网页登录链接",
    "web_login": "网页登录",
    "web_logout": "退出网页登录",
    "web_action": "网页操作",
    "ranking_publish": "发布考核排名",
}


def cli_actor() -> Actor:
    """The operating-system user running a ``gridbot`` command."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        user = "unknown"
    return Actor("cli", user, "命令行")


def who(actor: Actor) -> str:
    """``李书记（telegram:123）``."""
    return f"{actor.name}（{actor.platform}:{actor.id}）"


def render_line(entry: AuditEntry, tz: ZoneInfo) -> str:
    """``11-25 20:01 李书记（console:李书记） 审核同意通知 N3：…``."""
    label = ACTION_LABEL.get(entry.action, entry.action)
    detail = entry.detail.replace("\n", "；")
    target = f" {entry.target}" if entry.target else ""
    return f"{entry.at.astimezone(tz):%Y-%m-%d %H:%M} {who(entry.actor)} {label}{target}：{detail}"
