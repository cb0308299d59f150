"""Load ``bot.toml`` once into typed, frozen objects; every error names the key and the file."""

from __future__ import annotations

import builtins
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.adapters import NAMES
from bot.schedule_spec import HOW_TO, SpecError, trigger

PLATFORMS = NAMES  # bot/adapters/__init__.py registers them
LEVELS = ("district", "township", "village")
LEVEL_NAMES = {"district": "区/县", "township": "街道/乡镇", "village": "村/社区"}

#: How to fix a file saved as GBK/ANSI (the default of older Chinese Windows editors).
SAVE_AS_UTF8 = "请把它另存为 UTF-8：记事本「另存为」→ 编码选 UTF-8"

#: Every key each table may hold, as written in the file; anything else is a typo.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "bot": ("name", "platforms", "platform", "database", "timezone"),
    "staff": PLATFORMS,
    "telegram": ("token_env", "base_url", "poll_timeout", "mode", "webhook_url", "listen", "port"),
    "wechat": ("endpoint_env", "token_env", "send_interval"),
    "privacy": ("keep_messages_days", "anonymise_closed_after_days"),
    "notices": ("remind_after_minutes", "grace_minutes"),
    "digest": ("times", "sla_hours_urgent", "sla_hours_normal"),
    "limits": ("tickets_per_window", "window_minutes"),
    "groups": ("key", "name", "platform", "chat_id", "level", "parent", "owners", "review", "tickets"),
    "schedules": ("key", "group", "when", "text", "subtree"),
}
#: How each table is written in TOML, for messages.
TABLE_HEADERS = {name: f"[[{name}]]" if name in ("groups", "schedules") else f"[{name}]"
                 for name in KNOWN_KEYS}


class ConfigError(Exception):
    """A bad value in the config file; the message names the file and the key."""

    def __init__(self, path: Path | str, key: str, why: str):
        super().__init__(f"{path}: {key}: {why}")
        self.path = str(path)
        self.key = key
        self.why = why


@dataclass(frozen=True, slots=True)
class GroupConfig:
    """One chat group the bot serves."""

    key: str
    name: str
    platform: str
    chat_id: str
    level: str = "village"
    parent: str | None = None
    owners: tuple[str, ...] = ()
    review: bool = False
    #: Whether residents' requests here become tickets; None (not given) means village groups only.
    tickets: bool | None = None

    def __post_init__(self) -> None:
        if self.tickets is None:
            # District and township groups are usually cadres' work groups, not residents'.
            object.__setattr__(self, "tickets", self.level == "village")


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Telegram settings; the token itself comes from the environment only."""

    token_env: str = "GRIDBOT_TELEGRAM_TOKEN"
    #: Bot API root; empty means https://api.telegram.org (a local Bot API server otherwise).
    base_url: str = ""
    poll_timeout: int = 30
    #: ``polling`` (getUpdates, works anywhere) or ``webhook`` (Telegram POSTs to webhook_url).
    mode: str = "polling"
    #: Public HTTPS address Telegram posts to; a proxy forwards it to listen:port.
    webhook_url: str = ""
    #: Only this machine by default: a reverse proxy terminates TLS and forwards here.
    listen: str = "127.0.0.1"
    port: int = 8443


@dataclass(frozen=True, slots=True)
class WechatConfig:
    """WeChat (Wechaty puppet service) settings; endpoint and token come from the environment."""

    endpoint_env: str = "WECHATY_PUPPET_SERVICE_ENDPOINT"
    token_env: str = "WECHATY_PUPPET_SERVICE_TOKEN"
    send_interval: float = 1.0


@dataclass(frozen=True, slots=True)
class PrivacyConfig:
    """Retention: how long raw messages and closed tickets' personal details are kept (0 = forever)."""

    #: Days an inbound message's text, sender name and chat title are kept once handled.
    keep_messages_days: int = 30
    #: Days after closing (done/rejected) a ticket's phone and ID numbers and address are blanked.
    anonymise_closed_after_days: int = 180


@dataclass(frozen=True, slots=True)
class NoticeConfig:
    """Notice cascade settings."""

    remind_after_minutes: int = 30
    grace_minutes: int = 60


@dataclass(frozen=True, slots=True)
class DigestConfig:
    """Scheduled digest settings."""

    times: tuple[str, ...] = ("08:00", "18:00")
    sla_hours_urgent: float = 2.0
    sla_hours_normal: float = 24.0


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Per-person flood limit: new tickets one person may file in one group per window."""

    tickets_per_window: int = 5
    window_minutes: int = 10

    @property
    def window(self) -> timedelta:
        """The window as a duration."""
        return timedelta(minutes=self.window_minutes)


@dataclass(frozen=True, slots=True)
class ScheduledNoticeConfig:
    """A recurring notice written in the config file."""

    key: str
    group: str
    when: str
    text: str
    subtree: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    """The whole bot configuration."""

    path: Path
    name: str
    platforms: tuple[str, ...]
    database: Path
    timezone: str
    groups: tuple[GroupConfig, ...]
    staff: Mapping[str, tuple[str, ...]]
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    wechat: WechatConfig = field(default_factory=WechatConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    notices: NoticeConfig = field(default_factory=NoticeConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    schedules: tuple[ScheduledNoticeConfig, ...] = ()
    limits: LimitsConfig = field(default_factory=LimitsConfig)

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def group(self, key: str) -> GroupConfig | None:
        """The group with this key, or None."""
        return next((g for g in self.groups if g.key == key), None)


class _Reader:
    """Typed access to one TOML table, reporting errors with the dotted key."""

    def __init__(self, path: Path, table: Mapping[str, Any], prefix: str):
        self.path, self.table, self.prefix = path, table, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, why: str) -> ConfigError:
        return ConfigError(self.path, self.key(name), why)

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        value = self.table.get(name, default)
        if value is None:
            raise self.fail(name, "必须填写 (is required)")
        if not isinstance(value, str):
            raise self.fail(name, f"应是加引号的文字，不是 {value!r} (must be a string)")
        return value

    def num(self, name: builtins.str, default: float) -> float:
        value = self.table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(name, f"应是不小于 0 的数字（如 30 或 1.5），不是 {value!r} (must be a non-negative number)")
        return float(value)

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, f"应写 true 或 false，不是 {value!r} (must be true or false)")
        return value

    def strs(self, name: builtins.str) -> tuple[builtins.str, ...]:
        value = self.table.get(name, [])
        if isinstance(value, (str, int)):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(name, f"应是列表，例如 [\"甲\", \"乙\"]，不是 {value!r} (must be a list of strings)")
        out = []
        for item in value:
            # Telegram ids are numbers; accept them and keep ids as strings throughout.
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise self.fail(name, f"列表里应是文字或数字，不是 {item!r} (must be a list of strings)")
            out.append(str(item))
        return tuple(out)

    def sub(self, name: builtins.str) -> _Reader:
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, f"应是一个表，写成 [{self.key(name)}] (must be a table)")
        return _Reader(self.path, value, f"{self.key(name)}.")

    def only(self, table: builtins.str) -> None:
        """Reject keys this table does not have: a typo (``owner``) would silently lose a setting."""
        for name in self.table:
            if name not in KNOWN_KEYS[table]:
                raise self.fail(name, _unknown_key(name, table))


def _unknown_key(name: str, table: str) -> str:
    """Why a key is unknown, with the nearest real key or the table it belongs in."""
    header = TABLE_HEADERS[table]
    why = f"{header} 里没有「{name}」这一项 (unknown key)"
    close = difflib.get_close_matches(name, KNOWN_KEYS[table], n=1, cutoff=0.6)
    if close:
        return f"{why}；您是不是想写 {close[0]}？"
    elsewhere = [TABLE_HEADERS[t] for t, keys in KNOWN_KEYS.items() if t != table and name in keys]
    if elsewhere:
        return (f"{why}；{name} 应写在 {'、'.join(elsewhere)} 下面"
                f"（TOML 里表头之后直到下一个表头的每一行都属于这个表）")
    return f"{why}；可用的有：{', '.join(KNOWN_KEYS[table])}"


def _unknown_table(name: str) -> str:
    """Why a top-level key is unknown: a misspelt table, or a key written above every table."""
    close = difflib.get_close_matches(name, KNOWN_KEYS, n=1, cutoff=0.6)
    if close:
        return f"没有 {name} 这个表 (unknown table)；您是不是想写 {TABLE_HEADERS[close[0]]}？"
    homes = [TABLE_HEADERS[t] for t, keys in KNOWN_KEYS.items() if name in keys]
    if homes:
        return f"「{name}」不能写在所有表头之前 (unknown key)；请写在 {'、'.join(homes)} 下面"
    return f"没有 {name} 这个表 (unknown table)；可用的有：{', '.join(TABLE_HEADERS.values())}"


def load_config(path: Path | str, *, database: Path | str | None = None) -> Config:
    """Read and validate a config file; ``database`` overrides the configured path."""
    path = Path(path)
    try:
        data = path.read_bytes()
        # utf-8-sig: Windows Notepad may save UTF-8 with a byte-order mark.
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(path, "(file)", "找不到配置文件 (file not found)") from None
    except IsADirectoryError:
        raise ConfigError(path, "(file)", "这是一个文件夹，不是配置文件 (is a directory)") from None
    except OSError as exc:
        raise ConfigError(path, "(file)", f"无法读取 (cannot read): {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            path, f"(第 {line} 行)",
            f"文件不是 UTF-8 编码（可能是 GBK/ANSI；not UTF-8）。{SAVE_AS_UTF8}",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", f"不是有效的 TOML 格式，请检查括号和引号 (not valid TOML): {exc}") from None
    return parse_config(raw, path, database=database)


def parse_config(
    raw: Mapping[str, Any], path: Path, *, database: Path | str | None = None
) -> Config:
    """Validate an already-parsed TOML document."""
    root = _Reader(path, raw, "")
    for name in root.table:
        if name not in KNOWN_KEYS:
            raise root.fail(name, _unknown_table(name))
    bot = root.sub("bot")
    bot.only("bot")
    platforms = _platforms(bot)
    tz = bot.str("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise bot.fail("timezone", f"不认识的时区 {tz!r}，中国大陆写 \"Asia/Shanghai\" (unknown time zone)") from None
    if database is None:
        db = Path(bot.str("database", "data/gridbot.db"))
        database = db if db.is_absolute() else path.parent / db
    groups = _groups(root, path, platforms)
    staff_r = root.sub("staff")
    staff = {p: staff_r.strs(p) for p in PLATFORMS}
    for extra in set(staff_r.table) - set(PLATFORMS):
        raise staff_r.fail(extra, f"不认识的平台，可写 {'、'.join(PLATFORMS)} (unknown platform)")
    _telegram_ids(staff_r, "telegram", staff["telegram"])
    tg = root.sub("telegram")
    if "token" in tg.table:
        raise tg.fail("token", f"never put the token in the file; set the environment variable "
                               f"{tg.str('token_env', 'GRIDBOT_TELEGRAM_TOKEN')} instead")
    tg.only("telegram")
    telegram = TelegramConfig(
        token_env=tg.str("token_env", "GRIDBOT_TELEGRAM_TOKEN"),
        base_url=tg.str("base_url", "").rstrip("/"),
        poll_timeout=int(tg.num("poll_timeout", 30)),
        **_webhook(tg),
    )
    wc = root.sub("wechat")
    wc.only("wechat")
    wechat = WechatConfig(
        endpoint_env=wc.str("endpoint_env", "WECHATY_PUPPET_SERVICE_ENDPOINT"),
        token_env=wc.str("token_env", "WECHATY_PUPPET_SERVICE_TOKEN"),
        send_interval=wc.num("send_interval", 1.0),
    )
    nt = root.sub("notices")
    nt.only("notices")
    notices = NoticeConfig(
        remind_after_minutes=int(nt.num("remind_after_minutes", 30)),
        grace_minutes=int(nt.num("grace_minutes", 60)),
    )
    dg = root.sub("digest")
    dg.only("digest")
    digest = DigestConfig(
        times=tuple(_hhmm(dg, "times", t) for t in dg.strs("times") or ("08:00", "18:00")),
        sla_hours_urgent=dg.num("sla_hours_urgent", 2.0),
        sla_hours_normal=dg.num("sla_hours_normal", 24.0),
    )
    return Config(
        path=path,
        name=bot.str("name", "网格助手"),
        platforms=platforms,
        database=Path(database),
        timezone=tz,
        groups=groups,
        staff=staff,
        telegram=telegram,
        wechat=wechat,
        privacy=_privacy(root),
        notices=notices,
        digest=digest,
        schedules=_schedules(root, path, groups, ZoneInfo(tz)),
        limits=_limits(root),
    )


#: A hundred years: beyond this a [privacy] cut-off date falls before year 1; 0 keeps forever.
MAX_DAYS = 36500


def _whole_numbers(root: _Reader, table: str, keys: dict[str, tuple[int, str]], minimum: int,
                   unit: str = "", note: str = "", maximum: int | None = None) -> dict[str, int]:
    """A table of whole numbers (key: (default, what it means)), each at least ``minimum``."""
    r = root.sub(table)
    r.only(table)
    values = {}
    span = f"不小于 {minimum} " if maximum is None else f" {minimum} 到 {maximum} 之间"
    for key, (default, what) in keys.items():
        value = r.table.get(key, default)
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            raise r.fail(key, f"应是{span}的整数{unit}（{what}{note}），不是 {value!r}；例如 {key} = {default}")
        values[key] = value
    return values


def _privacy(root: _Reader) -> PrivacyConfig:
    """``[privacy]``: whole days, 0 meaning keep forever."""
    return PrivacyConfig(**_whole_numbers(root, "privacy", {
        "keep_messages_days": (30, "收到的消息原文保留多少天"),
        "anonymise_closed_after_days": (180, "工单办结多少天后隐去电话、身份证号和地址"),
    }, 0, "天数", "；0 表示永久保留", maximum=MAX_DAYS))


def _limits(root: _Reader) -> LimitsConfig:
    """``[limits]``: how many new tickets one person may file in one group per window."""
    return LimitsConfig(**_whole_numbers(root, "limits", {
        "tickets_per_window": (5, "每人每个时间窗内在一个群最多登记几张工单"),
        "window_minutes": (10, "时间窗有多少分钟"),
    }, 1))


def _webhook(tg: _Reader) -> dict[str, Any]:
    mode = tg.str("mode", "polling")
    if mode not in ("polling", "webhook"):
        raise tg.fail("mode", f"写 \"polling\"（默认，主动拉取消息）或 \"webhook\"（Telegram 推送到 webhook_url），"
                              f"不是 {mode!r}")
    url = tg.str("webhook_url", "")
    # A self-hosted Bot API server (base_url, its --local mode) also posts to plain http.
    schemes = ("https://", "http://") if tg.str("base_url", "") else ("https://",)
    if mode == "webhook" and not url.startswith(schemes):
        raise tg.fail("webhook_url", "webhook 模式需要一个公网 https 地址，例如 "
                                     "\"https://bot.example.org/telegram\"（Telegram 只向 https 推送）")
    port = tg.num("port", 8443)
    if port != int(port) or not 0 < port < 65536:
        raise tg.fail("port", f"端口应是 1-65535 之间的整数，不是 {port!r}")
    return {"mode": mode, "webhook_url": url, "listen": tg.str("listen", "127.0.0.1"), "port": int(port)}


def _platforms(bot: _Reader) -> tuple[str, ...]:
    if "platforms" in bot.table:
        names, key = bot.strs("platforms"), "platforms"
    else:
        names, key = (bot.str("platform", "console"),), "platform"
    if not names:
        raise bot.fail(key, "至少要写一个平台，例如 [\"console\"] (must name at least one platform)")
    for name in names:
        if name not in PLATFORMS:
            raise bot.fail(key, f"不认识的平台 {name!r}，可写 {'、'.join(PLATFORMS)} (unknown platform)")
    return names


def _hhmm(reader: _Reader, key: str, value: str) -> str:
    parts = value.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise reader.fail(key, f"时间要写成 HH:MM，例如 \"08:00\"，不是 {value!r} (times are written HH:MM)")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise reader.fail(key, f"没有这个时间：{value!r}，小时 0-23、分钟 0-59 (no such time of day)")
    return f"{hour:02d}:{minute:02d}"


def _groups(root: _Reader, path: Path, platforms: tuple[str, ...]) -> tuple[GroupConfig, ...]:
    raw = root.table.get("groups", [])
    if not isinstance(raw, list):
        raise root.fail("groups", "每个群写成一段 [[groups]] (must be an array of tables ([[groups]]))")
    groups: list[GroupConfig] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise root.fail(f"groups[{i}]", "应是 [[groups]] 下的一段 (must be a table)")
        r = _Reader(path, item, f"groups[{i}].")
        if isinstance(item.get("name"), str):
            r.prefix = f"groups[{i}] ({item['name']})."
        r.only("groups")
        name = r.str("name")
        platform = r.str("platform", platforms[0])
        if platform not in PLATFORMS:
            raise r.fail("platform", f"不认识的平台 {platform!r}，可写 {'、'.join(PLATFORMS)} (unknown platform)")
        level = r.str("level", "village")
        if level not in LEVELS:
            raise r.fail("level", f"应是 {'、'.join(LEVELS)} 之一（区县、街道乡镇、村社区），不是 {level!r} (must be one of {', '.join(LEVELS)})")
        chat_id = r.str("chat_id", name if platform == "console" else None)
        if platform == "telegram":
            if not TELEGRAM_CHAT_ID.fullmatch(chat_id):
                raise r.fail("chat_id", f"Telegram 群的 chat_id 要写数字（如 -1001234567890），不是「{chat_id}」。"
                                        f"{FIND_TELEGRAM_ID}")
            _telegram_ids(r, "owners", r.strs("owners"))
        if chat_id.startswith("@"):
            raise r.fail("chat_id", "群的 chat_id 不能以 @ 开头（@ 表示私聊）"
                                    "(a group's chat id cannot start with @)")
        groups.append(
            GroupConfig(
                key=r.str("key", name),
                name=name,
                platform=platform,
                chat_id=str(chat_id),
                level=level,
                parent=r.str("parent", "") or None,
                owners=r.strs("owners"),
                review=r.bool("review", False),
                tickets=r.bool("tickets", level == "village"),
            )
        )
    validate_hierarchy(groups, path)
    return tuple(groups)


def validate_hierarchy(groups: list[GroupConfig], path: Path | str) -> None:
    """Reject duplicate keys and chats, unknown parents, cycles and levels out of order."""
    by_key: dict[str, GroupConfig] = {}
    chats: dict[tuple[str, str], str] = {}
    for i, g in enumerate(groups):
        if g.key in by_key:
            raise ConfigError(path, f"groups[{i}] ({g.name}).key", f"群的 key {g.key!r} 重复了，每个群的 key 要不同 (duplicate group key)")
        by_key[g.key] = g
        where = (g.platform, g.chat_id)
        if where in chats:
            raise ConfigError(
                path,
                f"groups[{i}] ({g.name}).chat_id",
                f"这个 {g.platform} 群 {g.chat_id!r} 已经登记为「{chats[where]}」，同一个群只能写一次 (the same chat is already a group)",
            )
        chats[where] = g.key
    for i, g in enumerate(groups):
        key = f"groups[{i}] ({g.name}).parent"
        if g.parent is None:
            continue
        parent = by_key.get(g.parent)
        if parent is None:
            raise ConfigError(path, key, f"上级群 {g.parent!r} 不存在：parent 要写某个群的 key (unknown parent group)")
        seen = {g.key}
        node: GroupConfig | None = parent
        while node is not None:
            if node.key in seen:
                raise ConfigError(path, key, f"上下级绕成了圈，经过 {node.key!r}：请检查各群的 parent (cycle in the hierarchy)")
            seen.add(node.key)
            node = by_key.get(node.parent) if node.parent else None
        if LEVELS.index(parent.level) >= LEVELS.index(g.level):
            raise ConfigError(
                path,
                key,
                f"{LEVEL_NAMES[g.level]}群不能放在{LEVEL_NAMES[parent.level]}群「{parent.name}」下面：上级的级别要更高 "
                f"(a {g.level} group cannot sit under the {parent.level} group {parent.name!r})",
            )


def _schedules(
    root: _Reader, path: Path, groups: tuple[GroupConfig, ...], tz: ZoneInfo
) -> tuple[ScheduledNoticeConfig, ...]:
    raw = root.table.get("schedules", [])
    if not isinstance(raw, list):
        raise root.fail("schedules", "每个定时通知写成一段 [[schedules]] (must be an array of tables ([[schedules]]))")
    keys = {g.key for g in groups}
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise root.fail(f"schedules[{i}]", "应是 [[schedules]] 下的一段 (must be a table)")
        r = _Reader(path, item, f"schedules[{i}].")
        r.only("schedules")
        group = r.str("group")
        if group not in keys:
            raise r.fail("group", f"没有这个群 {group!r}：写某个群的 key 或群名 (unknown group)")
        out.append(
            ScheduledNoticeConfig(
                key=r.str("key", f"config-{i}"),
                group=group,
                when=_when(r, tz),
                text=r.str("text"),
                subtree=r.bool("subtree", True),
            )
        )
    return tuple(out)


def _when(r: _Reader, tz: ZoneInfo) -> str:
    """The schedule's time, checked now rather than when the scheduler first reads it."""
    when = r.str("when")
    try:
        trigger(when, tz)
    except SpecError as exc:
        why = str(exc)
        raise r.fail("when", why if HOW_TO in why else f"{why}{HOW_TO}") from None
    return when


#: Telegram user ids are positive integers; group ids are negative (-100… for supergroups).
TELEGRAM_USER_ID = re.compile(r"\d{1,20}")
TELEGRAM_CHAT_ID = re.compile(r"-?\d{1,20}")
FIND_TELEGRAM_ID = ("查数字 ID：让本人私聊机器人发送「我的ID」（或 /id），在群里发送则同时给出群的 ID；"
                    "也可以先用 gridbot run 启动，看日志里的 chat id。")


def _telegram_ids(r: _Reader, key: str, ids: tuple[str, ...]) -> None:
    """Telegram owners and staff are numeric ids: a @username can change and cannot be messaged."""
    for value in ids:
        if not TELEGRAM_USER_ID.fullmatch(value):
            kind = "@用户名" if value.startswith("@") else "不是数字 ID"
            raise r.fail(key, f"Telegram 的群主和工作人员要写数字用户 ID，「{value}」是{kind}："
                              f"用户名可以随时改，也收不到机器人的私聊，这样写他不会得到任何权限。"
                              f"{FIND_TELEGRAM_ID}")


def env_secret(name: str) -> str | None:
    """A secret from the environment, stripped; None when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None
