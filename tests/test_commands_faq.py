"""``gridbot faq import|list|match`` through ``bot.cli.main``, as an operator types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.harness import make_config

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    config = make_config(tmp_path)
    code = main(["faq", *argv, "--config", str(config.path), "--db", str(tmp_path / "g.db")])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_the_sample_then_match_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_path, capsys, "import", str(ROOT / "data" / "faq.jsonl"))
    assert code == 0 and "已导入 32 条" in out
    code, out, _ = run(tmp_path, capsys, "match", "--json", "請問核酸檢測點在哪裡？")
    assert code == 0 and json.loads(out) == {"match": "P6", "score": 100.0, "action": "answer"}
    _, out, _ = run(tmp_path, capsys, "match", "--json", "今天晚上吃什么")
    assert json.loads(out) == {"match": None, "score": 0.0, "action": "none"}
    # P16 (expired plates) held until 2022-12-31: today it is never used.
    _, out, _ = run(tmp_path, capsys, "match", "--json", "临时号牌过期了怎么办")
    assert json.loads(out)["match"] != "P16"
    _, out, _ = run(tmp_path, capsys, "match", "--group", "xingfu", "黄码怎么转绿？")
    assert "P3" in out and "来源：市大数据局" in out
    code, _, err = run(tmp_path, capsys, "match", "--group", "nowhere", "黄码怎么转绿？")
    assert code == 2 and "没有群「nowhere」" in err
    _, out, _ = run(tmp_path, capsys, "list")
    assert out.startswith("P1（已过期）\t从外地返回要隔离几天") and "\nP2\t返乡人员怎么报备" in out
    code, out, err = run(tmp_path, capsys, "import", str(ROOT / "data" / "faq.jsonl"))
    assert code == 1 and "已导入 0 条" in out and "32 条的编号已在问答库中" in err


def test_bad_rows_are_named_by_line_and_the_rest_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = {"id": "A1", "question": "核酸检测点在哪里", "answer": "社区门口"}
    path = tmp_path / "faq.jsonl"
    path.write_text("\n".join([json.dumps(good, ensure_ascii=False), "{oops",
                               json.dumps({**good, "id": "A2", "answer": ""}, ensure_ascii=False),
                               json.dumps({**good, "id": "A3", "scope": "xingfu"}, ensure_ascii=False),
                               json.dumps({**good, "id": "A4", "scope": "xingfuu"}, ensure_ascii=False)]),
                    encoding="utf-8")
    code, out, err = run(tmp_path, capsys, "import", str(path))
    assert code == 0 and "已导入 2 条；有问题未导入 3 行" in out
    assert "第 2 行：不是一条完整的 JSON" in err and "第 3 行：缺少 answer" in err
    assert "第 5 行：scope（范围）'xingfuu' 不是已知的群 key" in err


def test_empty_and_unreadable_files_get_a_clear_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(tmp_path, capsys, "import", str(empty))
    assert code == 0 and "文件里没有记录" in err
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("id,question,answer\nP1,核酸在哪,门口\n".encode("gbk"))
    code, _, err = run(tmp_path, capsys, "import", str(gbk))
    assert code == 2 and "UTF-8" in err
    code, _, err = run(tmp_path, capsys, "list")
    assert code == 0
