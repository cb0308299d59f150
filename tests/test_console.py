"""The console adapter through the real ``gridbot`` command: transcripts, export, bad input."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from bot.adapters.console import HELP, ConsoleAdapter
from bot.message import Attachment, ChatRef, JoinDecision, Reply
from handlers import ROUTERS
from tests.harness import BASE_TOML, make_config, open_app
from tests.join_recorder import JoinRecorder

TRANSCRIPT = """\
# 一段完整的工单流程
幸福小区居民群|张阿姨|代買胰島素兩盒，急！5棟301
幸福小区居民群|王大爷|谢谢大家

幸福小区居民群|王大爷|代买
@|张阿姨|接单 E1
@|李书记|接单 E1
@|李书记|完成 E1 已送到
幸福小区居民群|张阿姨|评价 E1 5
这一行格式不对
不存在的群|某人|代买 米
"""

EXPECTED = [
    "幸福小区居民群|@张阿姨 已登记代办工单 E1（紧急·买药/就医）：胰岛素两盒，急！5栋301，地址 5栋301。"
    "工作人员会尽快联系您，发送「进度 E1」可查看进展。",
    "@李书记|新工单 E1【紧急】\\n幸福小区居民群·张阿姨\\n代办：胰岛素两盒，急！5栋301\\n地址：5栋301\\n"
    "派给志愿者：指派 E1 姓名\\n（可回复：接单 E1 ／ 完成 E1 ／ 驳回 E1 ／ 详情 E1）",
    "幸福小区居民群|@王大爷 「代买」后面请写上要办的事和地址，例如：代买 大米一袋 3栋2单元501",
    "@张阿姨|「接单」只有群主（社区工作人员）和网格员可以使用，您是居民。发送「帮助」查看您可用的指令。",
    "@李书记|已接单 E1。\\nE1【急】 买药/就医｜幸福小区居民群｜张阿姨：胰岛素两盒，急！5栋301（5栋301）｜已接单"
    "\\n（可回复：完成 E1 ／ 驳回 E1 ／ 详情 E1）",
    "幸福小区居民群|@张阿姨 您的工单 E1 已由李书记接单，正在处理。",
    "@李书记|E1 已完成。\\nE1【急】 买药/就医｜幸福小区居民群｜张阿姨：胰岛素两盒，急！5栋301（5栋301）｜已完成"
    "\\n（可回复：详情 E1）",
    "幸福小区居民群|@张阿姨 您的工单 E1 已完成。说明：已送到。满意的话请发送「评价 E1 5」（1-5 分）。",
    "幸福小区居民群|@张阿姨 感谢您的评价：E1 5 分。",
]


def gridbot(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True,
        text=True, encoding="utf-8", timeout=60,
    )


def setup(tmp_path: Path) -> Path:
    (tmp_path / "bot.toml").write_text(BASE_TOML, encoding="utf-8")
    return tmp_path


def test_transcript_prints_every_reply_in_order(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    result = gridbot("console", "--transcript", "t.txt", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == EXPECTED
    assert "第 10 行无法处理：格式应为" in result.stderr
    assert "第 11 行无法处理：没有名为「不存在的群」的群" in result.stderr
    assert (cwd / "data" / "gridbot.db").exists()  # default database from the config


def test_transcript_from_stdin_with_db_and_config_paths(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    (cwd / "elsewhere.toml").write_text(BASE_TOML, encoding="utf-8")
    args = ("--config", "elsewhere.toml", "--db", str(tmp_path / "other.db"))
    result = gridbot("console", "--transcript", "-", *args, cwd=cwd,
                     stdin="幸福小区居民群|张阿姨|代买 米 1栋\n")
    assert result.returncode == 0 and "E1" in result.stdout
    # The same database carries on in the next run: numbering continues, nothing is lost.
    result = gridbot("console", "--transcript", "-", *args, cwd=cwd,
                     stdin="幸福小区居民群|张阿姨|代买 面 1栋\n@|张阿姨|我的工单\n")
    lines = result.stdout.splitlines()
    assert "E2" in lines[0] and "E1" in lines[-1] and "E2" in lines[-1]


def test_export_json_csv_xlsx(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    gridbot("console", "--transcript", "-", cwd=cwd,
            stdin="幸福小区居民群|张阿姨|代买 米 3-2-501\n阳光花园居民群|孙姐|求证 明天停水\n"
                  "@|李书记|指派 E1 王小明\n")
    result = gridbot("tickets", "export", "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["E1", "R1"]
    need = {"id", "kind", "category", "priority", "status", "group", "requester", "text",
            "address", "created_at", "updated_at", "assignee"}
    assert need <= set(rows[0])
    assert rows[0]["kind"] == "errand" and rows[0]["address"] == "3-2-501"
    assert rows[0]["assignee"] == "王小明" and rows[1]["kind"] == "rumor"

    result = gridbot("tickets", "export", "--format", "csv", "--out", "out/t.csv", cwd=cwd)
    assert result.returncode == 0
    raw = (cwd / "out" / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0]["group"] == "幸福小区居民群" and table[1]["text"] == "明天停水"

    result = gridbot("tickets", "export", "--format", "xlsx", "--out", "t.xlsx", cwd=cwd)
    assert result.returncode == 0
    sheet = load_workbook(cwd / "t.xlsx").active
    assert sheet["A1"].value == "编号" and sheet["A2"].value == "E1" and sheet["B2"].value == "代办"


def test_broken_config_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text("[bot]\nplatforms = ['console', 'qq']\n", encoding="utf-8")
    result = gridbot("console", "--transcript", "-", cwd=tmp_path, stdin="")
    assert result.returncode == 2
    assert "bot.platforms" in result.stderr and "不认识的平台 'qq'" in result.stderr and "unknown platform" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_transcript_file(tmp_path: Path) -> None:
    result = gridbot("console", "--transcript", "nope.txt", cwd=setup(tmp_path))
    assert result.returncode == 2 and "无法读取对话脚本 nope.txt" in result.stderr


def test_interactive_console_switches_user_and_chat(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    session = (":user 张阿姨\n:chat 幸福小区居民群\n代买 米 1栋\n:chat 火星群\n"
               ":chat @\n:user 李书记\n待办\n阳光花园居民群|孙姐|求证 明天停水\n孙姐|代买 米\n:quit\n")
    result = gridbot("run", cwd=cwd, stdin=session)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[幸福小区居民群 · 张阿姨] >" in out and "[@ · 李书记] >" in out
    assert "→ [幸福小区居民群] @张阿姨 已登记代办工单 E1" in out
    assert "→ [@李书记] 新工单 E1" in out
    assert "! 没有名为「火星群」的群" in out
    assert "→ [@李书记] 未办结工单（1 张）：" in out
    assert "→ [阳光花园居民群] @孙姐 已收到求证 R1" in out
    assert "! 一行里写明聊天和用户要用两个「|」：群名|用户|内容" in out  # one bar: not sent anywhere


def test_join_in_a_transcript_is_stored_handled_and_greeted(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    result = gridbot("console", "--transcript", "-", cwd=cwd,
                     stdin="幸福小区居民群|王五|:join\n@|王五|:join\n幸福小区居民群|王五|代买 米 1栋\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("幸福小区居民群|@王五 欢迎")  # handlers/join.py greets the newcomer
    assert [line.split("|")[0] for line in lines] == ["幸福小区居民群", "幸福小区居民群", "@李书记"]
    assert "第 2 行无法处理：「:join」只能用在群里" in result.stderr
    with sqlite3.connect(cwd / "data" / "gridbot.db") as db:
        rows = db.execute("SELECT chat_id, sender_id, kind, text, is_group, handled_at IS NOT NULL "
                          "FROM messages ORDER BY id").fetchall()
    assert rows == [("幸福小区居民群", "王五", "join", "", 1, 1), ("幸福小区居民群", "王五", "text", "代买 米 1栋", 1, 1)]


async def test_join_at_the_prompt_reaches_the_routers_as_a_join(tmp_path: Path) -> None:
    recorder = JoinRecorder(answer=lambda m: [Reply(m.chat, "", action=JoinDecision(m.sender_id, True, m.sender_name)),
                                              Reply(m.chat, f"欢迎{m.sender_name}")])
    app = await open_app(make_config(tmp_path), routers=[*ROUTERS, recorder.router])
    out = io.StringIO()
    console = ConsoleAdapter(app.directory, app.now, out=out, drain=lambda: app.outbox.drain("console"))
    app.attach(console)
    try:
        for line in (":join", ":join 王五", ":chat @", ":join 赵六", ":chat 阳光", ":j 赵六"):
            assert await console._interactive(line, app.handle)
    finally:
        await app.close()
    assert [(m.chat.chat_id, m.sender_id, m.kind, m.is_group) for m in recorder.seen] == [
        ("幸福小区居民群", "王五", "join", True), ("阳光花园居民群", "赵六", "join", True)]
    printed = out.getvalue().splitlines()
    assert printed == [
        "  ! 用法：:join 名字（此人加入当前群）",
        "  （王五 加入了「幸福小区居民群」）",
        "  → [幸福小区居民群] [已批准 王五 入群]",
        "  → [幸福小区居民群] 欢迎王五",
        "  ! 现在是私聊，入群要在群里：先 :chat 群名 切换到群",
        "  （赵六 加入了「阳光花园居民群」）",
        "  → [阳光花园居民群] [已批准 赵六 入群]",
        "  → [阳光花园居民群] 欢迎赵六",
    ]
    assert ":join 名字" in HELP


async def test_a_file_is_saved_under_reports_and_its_place_printed(tmp_path: Path) -> None:
    app = await open_app(make_config(tmp_path))
    out = io.StringIO()
    console = ConsoleAdapter(app.directory, app.now, out=out, transcript=True)
    elsewhere = tmp_path / "work" / "名单.xlsx"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"PK\x03\x04")
    chart = tmp_path / "reports" / "charts" / "走势.png"
    chart.parent.mkdir(parents=True)
    chart.write_bytes(b"\x89PNG")
    owner = ChatRef.private("console", "李书记")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    try:
        await console.send(Reply(owner, "名单", attachment=Attachment(str(elsewhere), "名单.xlsx", xlsx)))
        await console.send(Reply(owner, "", attachment=Attachment(str(chart), "走势.png", "image/png")))
    finally:
        await app.close()
    reports = (tmp_path / "reports").resolve()
    assert out.getvalue().splitlines() == [
        "@李书记|名单", f"@李书记|[文件 名单.xlsx：{reports / '名单.xlsx'}]",
        f"@李书记|[图片 走势.png：{reports / 'charts' / '走势.png'}]"]  # already there: not copied
    assert (reports / "名单.xlsx").read_bytes() == b"PK\x03\x04"
