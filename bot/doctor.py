"""``gridbot doctor``: is this installation fit to run, in plain words, one line per check.

Each line starts with ✓ (fine), ! (works, but look at it) or ✗ (broken); the exit code is 1
when any line is ✗. Doctor only looks: it never migrates or creates the database, never takes
the run lock for longer than an instant, and never prints a token (only the name of the
environment variable that holds it).
"""

from __future__ import annotations

import asyncio
import shutil
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot import runlock
from bot.config import Config, ConfigError
from bot.store import StoreUnavailable
from bot.store.maintenance import Inspection, db_files, inspect, shipped_schema_version

OK, WARN, FAIL = "✓", "!", "✗"
#: Free space under which the database folder gets a warning: bytes, and share of the disk.
LOW_DISK_BYTES = 1 << 30
LOW_DISK_SHARE = 0.05
RESTORE_HINT = "请停止机器人，用最近的备份恢复（见 README「运维」）"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report."""

    mark: str
    text: str

    def __str__(self) -> str:
        return f"{self.mark} {self.text}"


def config_failed(exc: ConfigError) -> list[Check]:
    """The report when the config file itself cannot be loaded."""
    return [Check(FAIL, f"配置文件 {exc.path} 有错误：{exc.key}：{exc.why}")]


def config_ok(config: Config) -> Check:
    """The config loaded: what it describes."""
    return Check(OK, f"配置文件 {config.path} 正常：{len(config.groups)} 个群，"
                     f"平台 {'、'.join(config.platforms)}，时区 {config.timezone}")


async def database_checks(config: Config) -> tuple[list[Check], Inspection | None]:
    """Opens, integrity, schema version; the inspection when the file could be read."""
    path = config.database
    if not path.exists():
        return [Check(WARN, f"数据库 {path} 还不存在：第一次运行 gridbot run（或 gridbot check）时会创建")], None
    try:
        found = await asyncio.to_thread(inspect, path)
    except StoreUnavailable as exc:
        return [Check(FAIL, f"数据库 {path} 无法打开：{exc.reason}。{RESTORE_HINT}")], None
    checks = []
    if found.ok:
        tickets = "" if found.tickets is None else f"，工单 {found.tickets} 张"
        checks.append(Check(OK, f"数据库 {path} 完整性检查通过{tickets}"))
    else:
        more = f"（另有 {len(found.problems) - 1} 处）" if len(found.problems) > 1 else ""
        checks.append(Check(FAIL, f"数据库 {path} 已损坏：{found.problems[0]}{more}。{RESTORE_HINT}"))
    shipped = shipped_schema_version()
    if found.schema_version == shipped:
        checks.append(Check(OK, f"数据库结构是最新的（第 {shipped} 版）"))
    elif found.schema_version < shipped:
        checks.append(Check(WARN, f"数据库结构是第 {found.schema_version} 版，本程序是第 {shipped} 版："
                                  "下次启动机器人时会自动升级"))
    else:
        checks.append(Check(FAIL, f"数据库结构（第 {found.schema_version} 版）比本程序（第 {shipped} 版）新："
                                  "请先升级 Gridbot，旧版本可能会弄乱新数据"))
    return checks, found


def mode_checks(database: Path) -> list[Check]:
    """The database, its -wal/-shm and lock file 0600; its folder 0700."""
    wide = []
    for file in [*db_files(database), runlock.lock_path(database)]:
        if file.is_file() and (mode := stat.S_IMODE(file.stat().st_mode)) & 0o077:
            wide.append(f"{file.name}（{mode:04o}）")
    checks = []
    if wide:
        checks.append(Check(WARN, f"其他用户能读取：{'、'.join(wide)}。运行 chmod 600 {database}*，"
                                  "或启动一次机器人，它会自动改为仅本人可读写"))
    elif database.exists():
        checks.append(Check(OK, "数据库文件仅本人可读写（0600）"))
    folder = database.parent
    if folder.is_dir():
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            checks.append(Check(WARN, f"文件夹 {folder} 的权限是 {mode:04o}，其他用户能看到里面有哪些文件"
                                      f"{'，还能删除或替换它们' if mode & 0o022 else ''}：建议 chmod 700 {folder}"))
        else:
            checks.append(Check(OK, f"文件夹 {folder} 仅本人可进入（{mode:04o}）"))
    return checks


def disk_check(database: Path) -> Check:
    """Free space where the database (and its WAL) grows."""
    folder = next((p for p in [database.parent, *database.parents] if p.is_dir()), Path("."))
    usage = shutil.disk_usage(folder)
    free = f"{usage.free / (1 << 30):.1f} GiB（{usage.free / usage.total:.0%}）"
    if usage.free < LOW_DISK_BYTES or usage.free < usage.total * LOW_DISK_SHARE:
        return Check(WARN, f"{folder} 所在的磁盘只剩 {free}：磁盘满了机器人就无法记录消息，请清理空间")
    return Check(OK, f"{folder} 所在的磁盘还剩 {free}")


def lock_check(config: Config) -> Check:
    """Which bot runs on this database now."""
    busy, holder = runlock.probe(config.database)
    if not busy:
        return Check(WARN, "现在没有机器人在使用这个数据库（用 gridbot run 启动）")
    who = holder.describe(config.tz) if holder else "一个未能识别的进程"
    return Check(OK, f"机器人正在运行：{who}")


def owner_check(config: Config, found: Inspection | None) -> Check:
    """Groups nobody manages: residents' tickets there would wait forever.

    Groups bound with 绑定 always have the owner who bound them, so only bot.toml's can lack one.
    """
    bound = found.bound_groups if found else 0
    if not config.groups and not bound:
        return Check(WARN, "没有任何群：在 bot.toml 里加上 [[groups]]，或让群主在群里发送「绑定 群名」")
    orphans = [g.name for g in config.groups if not g.owners]
    if orphans:
        return Check(WARN, f"这些群没有群主，工单没人处理：{'、'.join(orphans)}"
                           "（在 bot.toml 该群的 [[groups]] 里写 owners）")
    more = f"（另有 {bound} 个用「绑定」登记的群）" if bound else ""
    return Check(OK, f"{len(config.groups)} 个群都有群主{more}")


def tree_check(config: Config, found: Inspection | None) -> Check:
    """Groups outside the hierarchy: notices from above and escalations never reach them."""
    keys = {g.key for g in config.groups}
    loose = [g.name for g in config.groups
             if g.level != "district" and (g.parent is None or g.parent not in keys)]
    loose += list(found.unattached) if found else []
    if loose:
        return Check(WARN, f"{len(loose)} 个群没有上级群，区里的通知和超时督办到不了：{'、'.join(loose[:20])}"
                           "（用「绑定」登记的群在群里发送「绑定 上级 上级群名」；bot.toml 里的群写 parent）")
    return Check(OK, "每个群都挂在上级群下")


async def platform_checks(config: Config) -> list[Check]:
    """Reachability and credentials of each configured platform."""
    from bot.doctor_platforms import telegram_checks, wechat_checks

    probes: dict[str, Callable[[Config], Awaitable[list[Check]]]] = {
        "telegram": telegram_checks, "wechat": wechat_checks,
    }
    checks = []
    for name in config.platforms:
        if name in probes:
            checks.extend(await probes[name](config))
        else:
            checks.append(Check(OK, "控制台（console）：无需联网"))
    return checks


async def diagnose(config: Config) -> list[Check]:
    """Every check, in the order an IT volunteer would go through them."""
    checks = [config_ok(config)]
    db_checks, found = await database_checks(config)
    checks += db_checks
    checks += mode_checks(config.database)
    checks.append(disk_check(config.database))
    checks.append(lock_check(config))
    checks.append(owner_check(config, found))
    checks.append(tree_check(config, found))
    checks += await platform_checks(config)
    return checks


def report(checks: list[Check]) -> tuple[str, int]:
    """The printed report and the exit code (1 when anything is ✗)."""
    failed = sum(c.mark == FAIL for c in checks)
    warned = sum(c.mark == WARN for c in checks)
    if failed:
        last = f"有 {failed} 项问题（✗）需要处理" + (f"，另有 {warned} 项提醒（!）" if warned else "")
    else:
        last = "可以运行" + (f"，有 {warned} 项提醒（!）值得看一看" if warned else "，一切正常")
    return "\n".join([*map(str, checks), last]), 1 if failed else 0
