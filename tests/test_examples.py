"""Every transcript shipped under examples/ runs through the real ``gridbot console --transcript``.

The README points newcomers at these files, so each must run on the shipped bot.toml without a
word on stderr and show what its comment promises. Lines are checked by their stable parts
(codes, 「已登记代办工单 E1」, 「新工单 E1」, 「【辟谣】」), not whole texts, so rewording a reply
does not break an example that still works.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_console import gridbot

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

VILLAGE = "幸福小区居民群"
GROUPS = ("河西区疫情防控指挥部", "东城街道工作群", VILLAGE, "阳光花园居民群", "李家村村民群")

#: For each example, (start of the printed line, a part of it), in the order they must appear.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "demo.txt": [
        (f"{VILLAGE}|@张阿姨 ", "已登记代办工单 E1"),
        ("@李书记|", "新工单 E1【紧急】"),
        (f"{VILLAGE}|@王大爷 ", "「代买」后面请写上"),
        (f"{VILLAGE}|@王大爷 ", "已登记代办工单 E2"),
        ("@李书记|", "新工单 E2"),
        ("@张阿姨|", "「接单」只有群主"),
        ("@李书记|", "未办结工单（2 张）"),
        ("@李书记|", "工单 E1（代办·买药/就医·紧急）"),
        ("@李书记|", "已接单 E1"),
        (f"{VILLAGE}|@张阿姨 ", "E1 已由李书记接单"),
        (f"{VILLAGE}|@张阿姨 ", "E1 进展：药店有货"),
        ("@李书记|", "已给 E1 添加备注"),
        (f"{VILLAGE}|@张阿姨 ", "E1 已完成"),
        (f"{VILLAGE}|@王大爷 ", "E2 已安排志愿者 小刘"),
        (f"{VILLAGE}|@王大爷 ", "E2 已完成"),
        (f"{VILLAGE}|@张阿姨 ", "E1"),
        (f"{VILLAGE}|@张阿姨 ", "感谢您的评价：E1 5 分"),
        (f"{VILLAGE}|@张阿姨 ", "您的工单（共 1 张）"),
    ],
    "rumour.txt": [
        ("阳光花园居民群|@小陈 ", "R1"),
        ("@陈网格员|", "新工单 R1"),
        ("@陈网格员|", "已辟谣 R1"),
        ("阳光花园居民群|@小陈 ", "【辟谣】R1"),
        ("阳光花园居民群|@老周 ", "【辟谣】R2"),
        ("@陈网格员|", "R2 与已辟谣的 R1 相同"),
        (f"{VILLAGE}|@张阿姨 ", "【辟谣】R3"),
        ("@李书记|", "R3 与已辟谣的 R1 相同"),
        ("@李书记|", "新工单 R4"),
        (f"{VILLAGE}|@王大爷 ", "【核实】R4"),
        ("@李书记|", "新工单 R5"),
        (f"{VILLAGE}|@刘阿姨 ", "【辟谣】R5"),
    ],
    "faq.txt": [
        (f"{VILLAGE}|@张阿姨 ", "已转给群主（Q1）"),
        ("@李书记|", "新工单 Q1"),
        (f"{VILLAGE}|@张阿姨 ", "【答复】"),
        ("@李书记|", "已答复 Q1"),
        ("@李书记|", "已存为问答 FQ1"),
        (f"{VILLAGE}|@王大爷 ", "【政策问答】"),
        (f"{VILLAGE}|@刘阿姨 ", "已登记代办工单 E1"),
    ],
    "feedback.txt": [
        (f"{VILLAGE}|", "已收到您的投诉 F1"),
        ("@李书记|", "新工单 F1"),
        ("@李书记|", "未办结的意见建议工单（1 张）"),
        ("@李书记|", "F1 已完成"),
        (f"{VILLAGE}|@张阿姨 ", "F1 已办结。内容不在群里公开"),
        ("@张阿姨|", "完成：已约物业整改"),
        ("阳光花园居民群|", "已收到您的意见建议 F2"),
        ("@物业老周|", "新工单 F2"),
        ("@物业老周|", "F2 已完成"),
        ("阳光花园居民群|@小陈 ", "F2 已办结"),
    ],
    "join.txt": [
        (f"{VILLAGE}|@王五 ", "本群实行实名制"),
        (f"{VILLAGE}|@王五 ", "已收到您的实名登记（J1）"),
        ("@李书记|", "【实名登记 J1】幸福小区居民群：王五 登记为 5栋301"),
        ("@李书记|", "确认这一户存在就发送「批准 J1 新建」"),
        ("@李书记|", "已批准 J1"),
        (f"{VILLAGE}|@王五 ", "实名登记已通过"),
        ("@赵六|", "已收到您的实名登记（J2）"),
        ("@李书记|", "【实名登记 J2】"),
        (f"{VILLAGE}|@孙七 ", "本群实行实名制"),
        ("@李书记|", "【待审核】"),
    ],
    "maybe_help.txt": [
        ("@李书记|", "「可能需要帮助」M1"),
        ("@李书记|", "已为 张阿姨 登记 E1（M1）"),
        (f"{VILLAGE}|@张阿姨 ", "已登记代办工单 E1"),
        ("@李书记|", "新工单 E1"),
        ("@李书记|", "M1 已登记为 E1，不会重复登记"),
        ("@李书记|", "「可能需要帮助」M4"),
        ("@李书记|", "已忽略 M4"),
        (f"{VILLAGE}|@刘阿姨 ", "情况危急请立即拨打 120 急救电话！已登记紧急求助 E2"),
        ("@李书记|", "新工单 E2【紧急】"),
    ],
    "notice.txt": [
        *((f"{group}|", "【通知 N1】") for group in GROUPS),
        ("@区指挥部小王|", "已发布通知 N1"),
        (f"{VILLAGE}|", "已确认「幸福小区居民群」收到通知 N1"),
        ("@赵村长|", "已确认「李家村村民群」收到通知 N1"),
        ("@区指挥部小王|", "已确认 2"),
        ("阳光花园居民群|", "【通知 N2】"),
        ("@刘主任|", "已发布通知 N2"),
        ("@陈网格员|", "已确认「阳光花园居民群」收到通知 N2"),
        ("@刘主任|", "已确认 1"),
    ],
    "rollcall.txt": [
        ("@李书记|", "已发起接龙 C1「核酸检测」"),
        (f"{VILLAGE}|", "【接龙 C1】核酸检测"),
        (f"{VILLAGE}|@刘阿姨 ", "请写上选项（已做／未做）"),
        (f"{VILLAGE}|@张阿姨 ", "3栋2单元501 已改为「未做」"),
        (f"{VILLAGE}|@王大爷 ", "已登记代办工单 E1"),
        ("@李书记|", "已接龙 3 户"),
        ("@李书记|", "已做 1 户（3 人）；未做 2 户"),
        (f"{VILLAGE}|", "【接龙 C1】核酸检测 已截止：已接龙 3 户。"),
        (f"{VILLAGE}|@李大妈 ", "已于"),
    ],
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """What each example prints, run once per test session the way its comment says."""
    return {name: run_example(name, tmp_path_factory.mktemp(name.split(".")[0])) for name in EXPECTED}


def run_example(name: str, cwd: Path) -> list[str]:
    """Run one example on a copy of the shipped bot.toml in a fresh folder."""
    shutil.copy(REPO / "bot.toml", cwd / "bot.toml")
    result = gridbot("console", "--transcript", str(EXAMPLES / name), cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no bad line, no warning, no log line
    return result.stdout.splitlines()


def assert_in_order(lines: list[str], expected: list[tuple[str, str]]) -> None:
    """Each expected line appears, in this order (other lines may come between them)."""
    at = 0
    for start, part in expected:
        found = next((i for i in range(at, len(lines)) if lines[i].startswith(start) and part in lines[i]),
                     None)
        assert found is not None, f"no line {start}…{part}… after line {at}:\n" + "\n".join(lines)
        at = found + 1


def test_every_example_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_says_what_it_shows_and_how_to_run_it(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    head = text.splitlines()[0]
    assert head.startswith("# 示例：")
    assert f"gridbot console --transcript examples/{name}" in text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_through_the_real_console(name: str, printed: dict[str, list[str]]) -> None:
    assert_in_order(printed[name], EXPECTED[name])


def test_demo_keeps_internal_notes_out_of_the_group(printed: dict[str, list[str]]) -> None:
    lines = printed["demo.txt"]
    assert not [line for line in lines if "保温袋" in line and not line.startswith("@")]
    # Thanks in the group get no reply: 王大爷 hears only about his prompt and his ticket E2.
    assert all("E2" in line or "「代买」后面" in line for line in lines if line.startswith(f"{VILLAGE}|@王大爷"))


def test_maybe_help_says_nothing_in_the_group_until_registered(printed: dict[str, list[str]]) -> None:
    group = [line for line in printed["maybe_help.txt"] if line.startswith(f"{VILLAGE}|")]
    assert len(group) == 2 and "E1" in group[0] and "E2" in group[1]  # nothing about M1 or M4


def test_join_keeps_addresses_out_of_the_group_and_lists_who_waits(printed: dict[str, list[str]]) -> None:
    lines = printed["join.txt"]
    group = [line for line in lines if line.startswith(f"{VILLAGE}|")]
    assert group and not [line for line in group if "5栋301" in line or "602" in line]
    listing = next(line for line in lines if line.startswith("@李书记|【待审核】"))
    assert "J2" in listing and "赵六" in listing and "入群未登记" in listing and "孙七" in listing
    assert "王五" not in listing  # approved: no longer waiting


def test_rumour_repeats_do_not_reach_the_owner_as_new_work(printed: dict[str, list[str]]) -> None:
    lines = printed["rumour.txt"]
    assert not [line for line in lines if "新工单 R2" in line or "新工单 R3" in line]


def test_notice_only_owners_confirm_and_one_group_notice_stays_there(printed: dict[str, list[str]]) -> None:
    lines = printed["notice.txt"]
    assert not [line for line in lines if "张阿姨" in line]  # a resident's 收到 gets no reply
    assert [line.split("|")[0] for line in lines if "【通知 N2】" in line] == ["阳光花园居民群"]
    report = next(line for line in lines if line.startswith("@区指挥部小王|通知 N1"))
    unconfirmed = report.split("未确认：")[1]
    assert VILLAGE not in unconfirmed and "李家村村民群" not in unconfirmed and "阳光花园居民群" in unconfirmed


def test_rollcall_answers_are_not_acknowledged_one_by_one(printed: dict[str, list[str]]) -> None:
    lines = printed["rollcall.txt"]
    # 王大爷's answer gets nothing; only his request does (E1).
    assert all("E1" in line for line in lines if line.startswith(f"{VILLAGE}|@王大爷"))
