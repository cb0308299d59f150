"""SQLite's errors in the words ``gridbot`` prints: the only place that reads their messages."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.store.errors import StoreUnavailable, os_problem, place_problem


def unavailable(path: Path, exc: OSError | sqlite3.Error) -> StoreUnavailable:
    """The backend-neutral error for a database file that cannot serve."""
    return StoreUnavailable(path, exc, reason(path, exc))


def reason(path: Path, exc: OSError | sqlite3.Error) -> str:
    """Why the database cannot be used, in words an IT volunteer can act on."""
    found = place_problem(path) or os_problem(path, exc)
    if found:
        return found
    message = str(exc)
    if "not a database" in message:
        return "这个文件不是 SQLite 数据库（可能是别的文件，或已损坏）"
    if "readonly" in message or not os.access(path if path.exists() else path.parent, os.W_OK):
        return "没有写入权限（数据库文件和它所在的文件夹都要可写）"
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in message:
        return "无法打开或创建这个文件（请检查路径和权限）"
    return message or "未知错误"
