"""``gridbot rumors import|list|retire|match`` through ``bot.cli.main``, as an operator types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness import make_config

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    config = make_config(tmp_path)
    code = main(["rumors", *argv, "--config", str(config.path), "--db", str(tmp_path / "g.db")])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_the_sample_then_match_retire_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_path, capsys, "import", str(ROOT / "data" / "rumors.jsonl"))
    assert code == 0 and "已导入 34 条" in out
    code, out, _ = run(tmp_path, capsys, "match", "--json", "網傳明天全市封城，是真的嗎？")
    assert json.loads(out) == {"match": "L1", "score": 100.0, "action": "answer"}
    _, out, _ = run(tmp_path, capsys, "match", "--json", "明天全市不封城")
    assert json.loads(out) == {"match": None, "score": 0.0, "action": "none"}
    _, out, _ = run(tmp_path, capsys, "match", "喝板蓝根可以预防新冠吗")
    assert "L19" in out and "来源：市卫健委" in out
    code, out, _ = run(tmp_path, capsys, "retire", "L1")
    assert code == 0 and "已停用 L1" in out
    _, out, _ = run(tmp_path, capsys, "match", "--json", "网传明天全市封城")
    assert json.loads(out)["action"] == "none"
    _, out, _ = run(tmp_path, capsys, "list")
    assert out.startswith("L2\t谣言\t2022-04-03\t明天超市全部关门")
    _, out, _ = run(tmp_path, capsys, "list", "--all")
    assert out.startswith("L1（已停用）")
    code, _, err = run(tmp_path, capsys, "retire", "L404")
    assert code == 1 and "没有编号 L404" in err


def test_bad_rows_are_named_by_line_and_the_rest_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = {"id": "A1", "claim": "明天封城", "verdict": "false", "refutation": "不封城", "source": "指挥部",
            "published_at": "2022-04-02"}
    rows = [
        json.dumps(good, ensure_ascii=False),
        '{"id": "A2", "claim": ',
        json.dumps({**good, "id": "A3", "claim": ""}),
        json.dumps({**good, "id": "A4", "verdict": "maybe"}),
        json.dumps({**good, "id": "A5", "claim": "😀😀😀"}),
        json.dumps({**good, "id": "A1", "claim": "后天封城"}, ensure_ascii=False),
        json.dumps({**good, "id": "A6", "claim": "封" * 5000}, ensure_ascii=False),
        json.dumps({**good, "id": "A7", "published_at": "去年"}, ensure_ascii=False),
        "[1, 2]",
        "",
        json.dumps({**good, "id": "A8", "verdict": "谣言", "claim": "后天停水"}, ensure_ascii=False),
    ]
    path = tmp_path / "lib.jsonl"
    path.write_text("\n".join(rows), encoding="utf-8")
    code, out, err = run(tmp_path, capsys, "import", str(path))
    assert code == 0 and "已导入 2 条；有问题未导入 8 行" in out
    for line, reason in [(2, "不是一条完整的 JSON"), (3, "缺少 claim"), (4, "verdict"), (5, "只有表情"),
                         (6, "编号 A1 与第 1 行重复"), (7, "太长"), (8, "published_at"), (9, "{…}")]:
        assert f"第 {line} 行：" in err and reason in err.split(f"第 {line} 行：")[1].split("\n")[0]
    code, out, err = run(tmp_path, capsys, "import", str(path))
    assert code == 1 and "编号重复 2 条" in out and "A1、A8" in err


def test_csv_with_chinese_headers_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.csv"
    path.write_text("编号,说法,结论,官方说法,来源,日期\nC1,明天超市关门,谣言,超市正常营业,商务局,2022-04-03\n"
                    "C2,,谣言,x,y,2022-04-03\n", encoding="utf-8")
    code, out, err = run(tmp_path, capsys, "import", str(path))
    assert code == 0 and "已导入 1 条" in out and "第 3 行：缺少 claim" in err
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(tmp_path, capsys, "import", str(path))
    assert code == 1 and "第 1 行：第一行应是列名" in err
    path.write_bytes("id,claim\nC9,明天封城\n".encode("gbk"))
    code, _, err = run(tmp_path, capsys, "import", str(path))
    assert code == 2 and "不是 UTF-8" in err
    code, _, err = run(tmp_path, capsys, "import", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "无法读取" in err


@pytest.mark.parametrize("text", ["😀", "封城" * 50_000, "   "])
def test_match_odd_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, out, _ = run(tmp_path, capsys, "match", "--json", text)
    assert code == 0 and json.loads(out)["action"] in ("none", "suggest", "answer")
