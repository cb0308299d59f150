"""Reading bot.toml: one table's spec, the document being read, and typed access to its values."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from bot.config.spelling import unknown_key, unknown_table

T = TypeVar("T")


class ConfigError(Exception):
    """A bad value in the config file; the message names the file and the key."""

    def __init__(self, path: Path | str, key: str, why: str):
        super().__init__(f"{path}: {key}: {why}")
        self.path = str(path)
        self.key = key
        self.why = why


@dataclass(frozen=True, slots=True)
class Table(Generic[T]):
    """One table of bot.toml: its name, every key it may hold, and how to read it."""

    name: str
    keys: tuple[str, ...]
    #: Reads the table from the document; may ask the document for tables it depends on.
    read: Callable[[Document], T]
    #: Written ``[[name]]`` once per item (groups, schedules) rather than ``[name]`` once.
    array: bool = False

    @property
    def header(self) -> str:
        """How the table is written in TOML, for messages."""
        return f"[[{self.name}]]" if self.array else f"[{self.name}]"


#: A table being read, so a table that (indirectly) needs itself fails loudly instead of looping.
_READING = object()


class Document:
    """One bot.toml being read: its tables, each read once, on first demand, in any order."""

    def __init__(self, raw: Mapping[str, Any], path: Path, tables: Sequence[Table[Any]],
                 database: Path | str | None = None):
        self.path = path
        #: The ``--db`` override, if any; [bot] uses it instead of its own ``database``.
        self.database = database
        self.keys = {t.name: t.keys for t in tables}
        self.headers = {t.name: t.header for t in tables}
        self.root = Reader(self, raw, "")
        self._read: dict[str, object] = {}

    def check_tables(self) -> None:
        """Reject top-level names that are no table: a misspelt header, or a key above every header."""
        for name in self.root.table:
            if name not in self.keys:
                raise self.root.fail(name, unknown_table(name, self.keys, self.headers))

    def __getitem__(self, table: Table[T]) -> T:
        """The table's value, reading it now if no other table has needed it yet."""
        value = self._read.get(table.name)
        if value is _READING:
            raise RuntimeError(f"bot.toml table {table.name} depends on itself")
        if table.name not in self._read:
            self._read[table.name] = _READING
            value = self._read[table.name] = table.read(self)
        return cast(T, value)


class Reader:
    """Typed access to one TOML table, reporting errors with the dotted key."""

    def __init__(self, doc: Document, table: Mapping[str, Any], prefix: str):
        self.doc, self.table, self.prefix = doc, table, prefix

    def key(self, name: str) -> str:
        """The dotted key as the error message shows it."""
        return f"{self.prefix}{name}"

    def fail(self, name: str, why: str) -> ConfigError:
        """The error for a bad value under ``name``."""
        return ConfigError(self.doc.path, self.key(name), why)

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        """A string; required when there is no default."""
        value = self.table.get(name, default)
        if value is None:
            raise self.fail(name, "必须填写 (is required)")
        if not isinstance(value, str):
            raise self.fail(name, f"应是加引号的文字，不是 {value!r} (must be a string)")
        return value

    def num(self, name: builtins.str, default: float) -> float:
        """A non-negative number."""
        value = self.table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(name, f"应是不小于 0 的数字（如 30 或 1.5），不是 {value!r} (must be a non-negative number)")
        return float(value)

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        """true or false."""
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, f"应写 true 或 false，不是 {value!r} (must be true or false)")
        return value

    def strs(self, name: builtins.str) -> tuple[builtins.str, ...]:
        """A list of strings (or numbers, kept as strings); one bare value is a list of one."""
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

    def sub(self, name: builtins.str) -> Reader:
        """The table ``[name]`` (empty when not written)."""
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, f"应是一个表，写成 [{self.key(name)}] (must be a table)")
        return Reader(self.doc, value, f"{self.key(name)}.")

    def items(self, name: builtins.str, what: builtins.str) -> Iterator[Reader]:
        """Each ``[[name]]`` in turn; ``what`` names one of them for people (群)."""
        raw = self.table.get(name, [])
        if not isinstance(raw, list):
            raise self.fail(name, f"每个{what}写成一段 [[{name}]] (must be an array of tables ([[{name}]]))")
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{i}]", f"应是 [[{name}]] 下的一段 (must be a table)")
            yield Reader(self.doc, item, f"{name}[{i}].")

    def only(self, table: builtins.str) -> None:
        """Reject keys this table does not have: a typo (``owner``) would silently lose a setting."""
        for name in self.table:
            if name not in self.doc.keys[table]:
                raise self.fail(name, unknown_key(name, table, self.doc.keys, self.doc.headers))
