"""Load ``bot.toml`` once into typed, frozen objects; every error names the key and the file.

One module per table (or small family of tables); :mod:`bot.config.registry` lists them and puts
them together. Everything the rest of the bot uses is importable from ``bot.config`` itself.
"""

from bot.config.campaigns import CampaignConfig
from bot.config.care import CareConfig
from bot.config.feedback import FeedbackConfig
from bot.config.groups import (
    FIND_TELEGRAM_ID,
    LEVEL_NAMES,
    LEVELS,
    TELEGRAM_CHAT_ID,
    TELEGRAM_USER_ID,
    GroupConfig,
    validate_hierarchy,
)
from bot.config.people import GridConfig, JoinConfig
from bot.config.platforms import PLATFORMS, BotConfig, TelegramConfig, WechatConfig, env_secret
from bot.config.reader import ConfigError, Table
from bot.config.registry import (
    KNOWN_KEYS,
    SAVE_AS_UTF8,
    TABLE_HEADERS,
    TABLES,
    Config,
    load_config,
    parse_config,
)
from bot.config.rumors import RumorConfig
from bot.config.schedules import ScheduledNoticeConfig
from bot.config.sla import Limits, SlaConfig
from bot.config.small import MAX_DAYS, DigestConfig, LimitsConfig, NoticeConfig, PrivacyConfig
from bot.config.teams import TeamConfig

__all__ = [
    "FIND_TELEGRAM_ID", "KNOWN_KEYS", "LEVELS", "LEVEL_NAMES", "MAX_DAYS", "PLATFORMS", "SAVE_AS_UTF8",
    "TABLES", "TABLE_HEADERS", "TELEGRAM_CHAT_ID", "TELEGRAM_USER_ID",
    "BotConfig", "CampaignConfig", "CareConfig", "Config", "ConfigError", "DigestConfig", "FeedbackConfig", "GridConfig", "GroupConfig", "JoinConfig", "Limits", "LimitsConfig", "NoticeConfig",
    "PrivacyConfig", "RumorConfig", "ScheduledNoticeConfig", "SlaConfig", "Table", "TeamConfig", "TelegramConfig", "WechatConfig",
    "env_secret", "load_config", "parse_config", "validate_hierarchy",
]
