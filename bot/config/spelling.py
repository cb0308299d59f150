"""Why a key or table in bot.toml is unknown, with the nearest real one or where it belongs."""

from __future__ import annotations

import difflib
from collections.abc import Mapping


def unknown_key(name: str, table: str, keys: Mapping[str, tuple[str, ...]], headers: Mapping[str, str]) -> str:
    """Why a key is unknown, with the nearest real key or the table it belongs in."""
    header = headers[table]
    why = f"{header} 里没有「{name}」这一项 (unknown key)"
    close = difflib.get_close_matches(name, keys[table], n=1, cutoff=0.6)
    if close:
        return f"{why}；您是不是想写 {close[0]}？"
    elsewhere = [headers[t] for t, known in keys.items() if t != table and name in known]
    if elsewhere:
        return (f"{why}；{name} 应写在 {'、'.join(elsewhere)} 下面"
                f"（TOML 里表头之后直到下一个表头的每一行都属于这个表）")
    return f"{why}；可用的有：{', '.join(keys[table])}"


def unknown_table(name: str, keys: Mapping[str, tuple[str, ...]], headers: Mapping[str, str]) -> str:
    """Why a top-level key is unknown: a misspelt table, or a key written above every table."""
    close = difflib.get_close_matches(name, keys, n=1, cutoff=0.6)
    if close:
        return f"没有 {name} 这个表 (unknown table)；您是不是想写 {headers[close[0]]}？"
    homes = [headers[t] for t, known in keys.items() if name in known]
    if homes:
        return f"「{name}」不能写在所有表头之前 (unknown key)；请写在 {'、'.join(homes)} 下面"
    return f"没有 {name} 这个表 (unknown table)；可用的有：{', '.join(headers.values())}"
