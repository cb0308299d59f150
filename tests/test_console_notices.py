"""Notices down the three-tier hierarchy with receipts, end to end through the ``gridbot`` command.

Uses the shipped ``bot.toml`` (the demo a README reader runs) with the database under tmp_path:
区指挥部 (district) -> 东城街道工作群 (township) -> 幸福小区 / 阳光花园 / 李家村 (villages).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "bot.toml"
DISTRICT, TOWNSHIP = "河西区疫情防控指挥部", "东城街道工作群"
VILLAGES = ["幸福小区居民群", "阳光花园居民群", "李家村村民群"]
ALL = [DISTRICT, TOWNSHIP, *VILLAGES]
STAFF = "区指挥部小王"


def gridbot(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``gridbot ARGS --config bot.toml --db tmp/gridbot.db`` in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(SHIPPED),
         "--db", str(tmp_path / "gridbot.db")],
        cwd=tmp_path, input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def transcript(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    """Run a transcript file; the printed ``chat|text`` lines, with text's newlines restored."""
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    result = gridbot(tmp_path, "console", "--transcript", str(path))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [(chat, body.replace("\\n", "\n"))
            for chat, body in (line.split("|", 1) for line in result.stdout.splitlines())]


def notice_lines(out: list[tuple[str, str]], code: str) -> list[str]:
    """The chats that received notice ``code``, in the order they were sent."""
    return [chat for chat, text in out if text.startswith(f"【通知 {code}】")]


def test_staff_notice_reaches_every_level_and_receipts_add_up(tmp_path: Path) -> None:
    out = transcript(tmp_path, f"""\
@|{STAFF}|通知 明天8点起各小区分楼栋错峰领菜
幸福小区居民群|李书记|收到 N1
阳光花园居民群|陈网格员|收到 N1
幸福小区居民群|张阿姨|收到 N1
@|刘主任|收到 N1
@|{STAFF}|回执 N1
""")
    # Every group of the three tiers gets it exactly once, top down, with a one-tap receipt.
    assert notice_lines(out, "N1") == ALL
    for _, text in out[:5]:
        assert f"【通知 N1】{DISTRICT}发布：\n明天8点起各小区分楼栋错峰领菜\n" in text
        assert text.endswith("（可回复：收到 N1）")
    sender, *rest = out[5:]
    assert sender[0] == f"@{STAFF}" and "已发布通知 N1" in sender[1] and "共 5 个群" in sender[1]

    # Owners confirm in their group; a resident's "收到 N1" gets no reply; 刘主任 confirms
    # his township group from private chat.
    assert rest[:3] == [
        ("幸福小区居民群", "@李书记 已确认「幸福小区居民群」收到通知 N1。"),
        ("阳光花园居民群", "@陈网格员 已确认「阳光花园居民群」收到通知 N1。"),
        ("@刘主任", f"已确认「{TOWNSHIP}」收到通知 N1。"),
    ]
    [(chat, report)] = rest[3:]
    assert chat == f"@{STAFF}"
    lines = report.splitlines()
    assert re.fullmatch(rf"通知 N1（{DISTRICT}·{STAFF}·\d\d-\d\d \d\d:\d\d）：明天8点起各小区分楼栋错峰领菜",
                        lines[0])
    assert lines[1] == "共 5 个群：已送达 5，已确认 3，发送中 0，失败 0，待审核 0"
    assert re.fullmatch(r"全部送达时间：\d\d-\d\d \d\d:\d\d:\d\d", lines[2])
    assert lines[3:] == [f"未确认：{DISTRICT}、李家村村民群"]

    # The command line reads the same receipts from the database, word for word.
    result = gridbot(tmp_path, "notice", "report", "N1")
    assert result.returncode == 0 and result.stdout.splitlines() == lines
    assert gridbot(tmp_path, "notice", "report", "1").stdout == result.stdout
    missing = gridbot(tmp_path, "notice", "report", "N9")
    assert missing.returncode == 1 and "没有找到通知 N9" in missing.stderr


def test_cli_notice_is_sent_by_the_next_console_run(tmp_path: Path) -> None:
    out = transcript(tmp_path, f"@|{STAFF}|通知 今晚停水\n")
    assert notice_lines(out, "N1") == ALL

    # Published from the command line while no bot runs: queued, numbered after N1.
    sent = gridbot(tmp_path, "notice", "send", "--from", TOWNSHIP, "下午3点各村社区书记开会")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == (f"已发布通知 N2 到「{TOWNSHIP}」等 4 个群；运行中的机器人会依次发出。"
                                   "查看回执：gridbot notice report N2")
    queued = gridbot(tmp_path, "notice", "report", "N2").stdout.splitlines()
    assert "命令行" in queued[0]
    assert queued[1] == "共 4 个群：已送达 0，已确认 0，发送中 4，失败 0，待审核 0"
    only = gridbot(tmp_path, "notice", "send", "--from", "lijia", "--only", "明早李家村核酸")
    assert only.returncode == 0 and "N3" in only.stdout and "等 1 个群" in only.stdout

    # The next run sends what was queued before reading its first line; N1 is not sent again.
    out = transcript(tmp_path, f"""\
李家村村民群|赵村长|收到 N2
@|刘主任|回执 N2
@|{STAFF}|回执
""")
    assert notice_lines(out, "N1") == []
    assert notice_lines(out, "N2") == [TOWNSHIP, *VILLAGES]  # not up to the district
    assert notice_lines(out, "N3") == ["李家村村民群"]
    assert all(f"【通知 N2】{TOWNSHIP}发布：\n下午3点各村社区书记开会" in text
               for chat, text in out if text.startswith("【通知 N2】"))
    confirm, (chat, report), (_, recent) = out[-3:]
    assert confirm == ("李家村村民群", "@赵村长 已确认「李家村村民群」收到通知 N2。")
    assert chat == "@刘主任"
    assert "共 4 个群：已送达 4，已确认 1，发送中 0，失败 0，待审核 0" in report
    assert f"未确认：{TOWNSHIP}、幸福小区居民群、阳光花园居民群" in report
    assert [line.split()[0] for line in recent.splitlines()[1:]] == ["N3", "N2", "N1"]

    result = gridbot(tmp_path, "notice", "report", "N2")
    assert result.returncode == 0 and result.stdout.splitlines() == report.splitlines()


def test_staff_receipt_in_private_confirms_only_groups_they_own(tmp_path: Path) -> None:
    out = transcript(tmp_path, f"@|{STAFF}|通知 今晚停水\n@|{STAFF}|收到 N1\n")
    assert out[-1] == (f"@{STAFF}", f"已确认「{DISTRICT}」收到通知 N1。")
    report = gridbot(tmp_path, "notice", "report", "N1").stdout.splitlines()
    assert "已确认 1，" in report[1]  # the villages' owners have not seen it yet
