"""The import's progress bar: drawn on a terminal only, for large jobs only."""

from __future__ import annotations

import io

from bot.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_bar_grow_and_end_its_line() -> None:
    out = Terminal()
    bar = Progress("导入", stream=out, interval=0)
    for done in (1000, 2000, 3000, 4000):
        bar.update(done, 4000)
    bar.close()
    drawn = out.getvalue()
    assert drawn.count("\r") == 5 and drawn.endswith("4000/4000 行\n")
    assert "导入 " + "█" * 7 + "░" * 23 + " 1000/4000 行" in drawn


def test_pipes_and_small_jobs_get_no_bar() -> None:
    piped = io.StringIO()
    bar = Progress("导入", stream=piped, interval=0)
    bar.update(5000, 5000)
    bar.close()
    small = Terminal()
    bar = Progress("导入", stream=small, interval=0)
    bar.update(10, None)
    bar.close()
    assert piped.getvalue() == "" and small.getvalue() == ""
