"""Reading owners' requests and residents' answers (bot/campaigns.py), on their own."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.campaigns import RequestError, leftover, match_option, parse_request, read
from bot.text import normalize
from tests.harness import START, TZ


def test_a_request_reads_title_options_deadline_and_flags_in_any_order() -> None:
    r = parse_request("vote", "幸福小区：是否团购 截止 明天 18:00 选项 同意、不同意 记名", START, TZ)
    assert (r.group_word, r.title, r.options, r.secret, r.subtree) == (
        "幸福小区", "是否团购", ("同意", "不同意"), False, True)
    assert r.deadline == datetime(2026, 11, 23, 18, 0, tzinfo=TZ)
    r = parse_request("signup", "仅本群 核酸采样 名额 20人 截止 11-24 08:30", START, TZ)
    assert (r.title, r.options, r.capacity, r.subtree) == ("核酸采样", ("已报名",), 20, False)
    assert r.deadline == datetime(2026, 11, 24, 8, 30, tzinfo=TZ)
    assert parse_request("vote", "选楼长 选项 张三 李四", START, TZ).secret  # secret unless 记名


@pytest.mark.parametrize(("kind", "args", "says"), [
    ("rollcall", "", "请写上接龙的标题"),
    ("rollcall", "核酸 截止 11-20 08:00", "已经过去了"),
    ("rollcall", "核酸 选项 " + " ".join(str(i) for i in range(10)), "选项最多 9 个"),
    ("signup", "志愿者 名额 0", "应是正整数"),
    ("vote", "团购", "投票至少要有两个选项"),
])
def test_bad_requests_say_what_to_write(kind: str, args: str, says: str) -> None:
    with pytest.raises(RequestError, match=says):
        parse_request(kind, args, START, TZ)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "code", "key", "people", "option"), [
    ("3-2-501 已做", None, "3-2-501", None, "已做"),
    ("C12 3-2-501 已做", 12, "3-2-501", None, "已做"),
    ("3号楼2单元501 做了 3人", None, "3-2-501", 3, "已做"),
    ("3號樓2單元501 已做 兩人", None, "3-2-501", 2, "已做"),
    ("李家村3组12号 没做", None, "3组-12", None, "未做"),
    ("已做了", None, None, None, "已做"),
    ("3-2-501 2", None, "3-2-501", None, "未做"),
])
def test_answers_are_read_loosely(text: str, code: int | None, key: str | None, people: int | None,
                                  option: str) -> None:
    reading = read(normalize(text))
    assert reading.code == code and reading.people == people
    assert (reading.address.key if reading.address else None) == key
    found = match_option(reading.rest, ("已做", "未做"))
    assert found is not None and found[0] == option and leftover(found[1]) == ""


def test_chat_does_not_look_like_an_option() -> None:
    assert match_option("做饭", ("已做", "未做")) == ("已做", "饭", False)  # loose: only if alone
    assert match_option("今天天气不错", ("已做", "未做")) is None
    assert match_option("好", ("同意", "不同意")) is None
    assert match_option("不同意", ("同意", "不同意"))[0] == "不同意"  # type: ignore[index]
