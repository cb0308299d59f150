"""The table registry: a table listed in TABLES is known everywhere without further edits."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.config import KNOWN_KEYS, TABLE_HEADERS, TABLES, Config, ConfigError, Table, parse_config
from bot.config.groups import GROUPS
from bot.config.reader import Document


def _visits(doc: Document) -> tuple[str, int]:
    """A made-up ``[visits]`` table that needs the groups, as the next tables will."""
    r = doc.root.sub("visits")
    r.only("visits")
    return r.str("group"), len(doc[GROUPS])


VISITS = Table("visits", ("group", "visit_days"), _visits)
GROUPS_TOML = {"groups": [{"name": "幸福小区"}, {"name": "阳光小区"}]}


def read(raw: dict[str, Any], table: Table[Any]) -> Any:
    return Document(raw, Path("bot.toml"), (*TABLES, VISITS))[table]


def test_a_registered_table_is_read_with_the_tables_it_needs() -> None:
    assert read({**GROUPS_TOML, "visits": {"group": "幸福小区"}}, VISITS) == ("幸福小区", 2)


def test_a_typo_in_a_registered_table_is_caught_and_suggested() -> None:
    with pytest.raises(ConfigError) as info:
        read({"visits": {"group": "x", "visit_day": 3}}, VISITS)
    assert info.value.key == "visits.visit_day"
    assert info.value.why == "[visits] 里没有「visit_day」这一项 (unknown key)；您是不是想写 visit_days？"


def test_a_key_of_a_registered_table_written_elsewhere_says_where_it_belongs() -> None:
    with pytest.raises(ConfigError) as info:
        read({"bot": {"visit_days": 3}}, next(t for t in TABLES if t.name == "bot"))
    assert info.value.key == "bot.visit_days" and "visit_days 应写在 [visits] 下面" in info.value.why


def test_known_keys_headers_and_config_fields_follow_the_list() -> None:
    assert KNOWN_KEYS == {t.name: t.keys for t in TABLES}
    assert TABLE_HEADERS["groups"] == "[[groups]]" and TABLE_HEADERS["bot"] == "[bot]"
    assert [f.name for f in dataclasses.fields(Config)] == ["path", *(t.name for t in TABLES)]


def test_a_table_is_known_at_the_top_level_once_it_is_in_the_list() -> None:
    raw = {**GROUPS_TOML, "visits": {"group": "x"}}
    Document(raw, Path("bot.toml"), (*TABLES, VISITS)).check_tables()
    with pytest.raises(ConfigError) as info:
        parse_config(raw, Path("bot.toml"))
    assert info.value.key == "visits" and "(unknown table)" in info.value.why


def test_a_misspelt_registered_table_is_suggested() -> None:
    with pytest.raises(ConfigError) as info:
        Document({"cares": {}}, Path("bot.toml"), (*TABLES, VISITS)).check_tables()
    assert info.value.why == "没有 cares 这个表 (unknown table)；您是不是想写 [care]？"


def test_a_table_that_needs_itself_fails_loudly_instead_of_looping() -> None:
    loop: Table[int] = Table("loop", (), lambda doc: doc[loop])
    with pytest.raises(RuntimeError, match="loop depends on itself"):
        Document({}, Path("bot.toml"), (loop,))[loop]


def test_each_table_is_read_once() -> None:
    doc = Document(GROUPS_TOML, Path("bot.toml"), TABLES)
    assert doc[GROUPS] is doc[GROUPS]
