"""Every table of bot.toml in one list, the :class:`Config` they add up to, and reading a file.

Adding a table is one module (its dataclass, keys and read function in a :class:`Table`), one
entry in :data:`TABLES` and one field of :class:`Config` with the table's name: the known keys,
the headers in messages, misspelling hints and the assembly of ``Config`` all follow from
:data:`TABLES`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.campaigns import CAMPAIGNS, CampaignConfig
from bot.config.care import CARE, CareConfig
from bot.config.checkpoints import CHECKPOINTS, CheckpointConfig
from bot.config.feedback import FEEDBACK, FeedbackConfig
from bot.config.groups import GROUPS, STAFF, GroupConfig
from bot.config.people import GRIDS, JOIN, GridConfig, JoinConfig
from bot.config.platforms import BOT, TELEGRAM, WECHAT, BotConfig, TelegramConfig, WechatConfig
from bot.config.ranking import RANKING, REPORTS, RankingConfig, ReportsConfig
from bot.config.reader import ConfigError, Document, Table
from bot.config.rumors import RUMORS, RumorConfig
from bot.config.schedules import SCHEDULES, ScheduledNoticeConfig
from bot.config.sla import SLA, SlaConfig
from bot.config.small import (
    DIGEST,
    LIMITS,
    NOTICES,
    PRIVACY,
    DigestConfig,
    LimitsConfig,
    NoticeConfig,
    PrivacyConfig,
)
from bot.config.teams import TEAMS, TeamConfig
from bot.config.web import WEB, WebConfig

#: In the order messages list them; a table that needs another reads it first (``doc[GROUPS]``).
TABLES: tuple[Table[Any], ...] = (BOT, STAFF, TELEGRAM, WECHAT, PRIVACY, NOTICES, DIGEST, LIMITS, SLA, GROUPS,
                                  SCHEDULES, GRIDS, JOIN, CARE, RUMORS, CAMPAIGNS, FEEDBACK,
                                  CHECKPOINTS, TEAMS, WEB, REPORTS, RANKING)
#: Every key each table may hold, as written in the file; anything else is a typo.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {t.name: t.keys for t in TABLES}
#: How each table is written in TOML, for messages.
TABLE_HEADERS = {t.name: t.header for t in TABLES}

#: How to fix a file saved as GBK/ANSI (the default of older Chinese Windows editors).
SAVE_AS_UTF8 = "请把它另存为 UTF-8：记事本「另存为」→ 编码选 UTF-8"


@dataclass(frozen=True, slots=True)
class Config:
    """The whole bot configuration: one field per table of :data:`TABLES`, named like it."""

    path: Path
    bot: BotConfig
    staff: Mapping[str, tuple[str, ...]]
    telegram: TelegramConfig
    wechat: WechatConfig
    privacy: PrivacyConfig
    notices: NoticeConfig
    digest: DigestConfig
    limits: LimitsConfig
    sla: SlaConfig
    groups: tuple[GroupConfig, ...]
    schedules: tuple[ScheduledNoticeConfig, ...]
    grids: tuple[GridConfig, ...]
    join: JoinConfig
    care: CareConfig
    rumors: RumorConfig
    campaigns: CampaignConfig
    feedback: FeedbackConfig
    checkpoints: tuple[CheckpointConfig, ...]
    teams: tuple[TeamConfig, ...]
    web: WebConfig
    reports: ReportsConfig
    ranking: RankingConfig

    @property
    def name(self) -> str:
        """What the bot calls itself."""
        return self.bot.name

    @property
    def platforms(self) -> tuple[str, ...]:
        """The platforms it runs on."""
        return self.bot.platforms

    @property
    def database(self) -> Path:
        """The SQLite file."""
        return self.bot.database

    @property
    def timezone(self) -> str:
        """The configured time zone's name."""
        return self.bot.timezone

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def group(self, key: str) -> GroupConfig | None:
        """The group with this key, or None."""
        return next((g for g in self.groups if g.key == key), None)


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
    doc = Document(raw, path, TABLES, database)
    doc.check_tables()
    return Config(path=path, **{t.name: doc[t] for t in TABLES})
