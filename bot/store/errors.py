"""Storage errors the rest of the bot sees, whatever database is behind the store.

A backend turns its driver's errors into these, with the reason already in words an IT
volunteer can act on, so that nothing outside ``bot.store`` imports a database driver.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A storage failure (the base of every error a store raises)."""


class AlreadyStored(Exception):  # noqa: N818 - a verdict, not a failure of the store
    """The message (or other row) a transaction was to add is stored already: it was seen
    before, and the transaction is rolled back without acting on it again."""


class StoreUnavailable(StoreError):
    """The store cannot be opened, created or migrated at ``path``; ``reason`` says why in Chinese."""

    def __init__(self, path: Path, cause: BaseException, reason: str | None = None):
        super().__init__(f"{path}: {cause}")
        self.path, self.cause = path, cause
        self.reason = reason or place_problem(path) or os_problem(path, cause) or str(cause) or "未知错误"


def place_problem(path: Path) -> str | None:
    """Why a file cannot live at ``path`` at all (a folder there, a file where a folder should be)."""
    if path.is_dir():
        return "这是一个文件夹，不是数据库文件"
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        return f"无法创建所在的文件夹：{parent} 是一个文件"
    return None


def os_problem(path: Path, cause: BaseException) -> str | None:
    """The words for an operating-system error met while making the store's folder."""
    if isinstance(cause, OSError):
        return f"无法创建所在的文件夹 {path.parent}：{cause.strerror or cause}"
    return None
