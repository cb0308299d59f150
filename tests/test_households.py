"""Field values and reports of ``bot/households.py``, alone."""

from __future__ import annotations

import pytest

from bot.config import GroupConfig
from bot.households import (
    BadValue,
    changed,
    clean_members,
    clean_phone,
    join_rate_report,
    split_tags,
)
from bot.store.households import HouseholdData, JoinRate


@pytest.mark.parametrize(("text", "phone"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("+8613812345678", "13812345678"),
    ("010-62345678", "01062345678"), ("0755-8123456", "07558123456"), ("02162345678", "02162345678"),
])
def test_phones_in_the_forms_people_write(text: str, phone: str) -> None:
    assert clean_phone(text) == phone


@pytest.mark.parametrize("text", ["12345", "1381234567", "23812345678", "电话", "", "010-623"])
def test_what_is_not_a_phone_says_how_to_write_one(text: str) -> None:
    with pytest.raises(BadValue, match="11 位"):
        clean_phone(text)


def test_members_tags_and_one_changed_field() -> None:
    assert [clean_members(t) for t in ("3", "3人", "３口", "12 位")] == [3, 3, 3, 12]
    for bad in ("0", "100", "三", "很多"):
        with pytest.raises(BadValue):
            clean_members(bad)
    assert split_tags("独居老人、慢病,慢病;孕产妇 婴幼儿") == ("独居老人", "慢病", "孕产妇", "婴幼儿")
    assert split_tags("无") == ()
    data = HouseholdData("xingfu", "3-2-501", "3-2-501", "张三", "13812345678", 2, ("慢病",), "g1")
    assert changed(data, "grid_key", "清空").grid_key == ""
    assert changed(data, "members", "4人") == HouseholdData(
        "xingfu", "3-2-501", "3-2-501", "张三", "13812345678", 4, ("慢病",), "g1")
    with pytest.raises(BadValue):
        changed(data, "grid_key", "g 1")


def test_join_rate_report_by_parent_lowest_first() -> None:
    def group(key: str, parent: str | None) -> GroupConfig:
        return GroupConfig(key=key, name=f"{key}群", platform="console", chat_id=key, parent=parent)

    rates = [(group("a", "t1"), JoinRate("a", 10, 9)), (group("b", "t1"), JoinRate("b", 10, 1)),
             (group("c", "t2"), JoinRate("c", 4, 4)), (group("d", "t2"), JoinRate("d", 0, 0))]
    text = join_rate_report(rates, {"t1": "一街道", "t2": "二街道"})
    assert text.splitlines()[0] == "【入群率】合计 14/24 户（58%）（至少一人入群的户 / 登记户数）"
    assert "一街道：10/20 户（50%）" in text and "二街道：4/4 户（100%）" in text
    assert text.index("b群 1/10") < text.index("a群 9/10") < text.index("二街道")
    assert "未登记住户的群：d群" in text


def test_a_district_of_many_villages_fits_one_message() -> None:
    def group(key: str, parent: str) -> GroupConfig:
        return GroupConfig(key=key, name=f"{key}村民群", platform="console", chat_id=key, parent=parent)

    parents = {f"t{t}": f"第{t}街道" for t in range(20)}
    rates = [(group(f"v{t}-{v}", f"t{t}"), JoinRate(f"v{t}-{v}", 100, v)) for t in range(20) for v in range(20)]
    text = join_rate_report(rates, parents)
    assert len(text) < 4096 and text.count("街道：") == 20
    assert "· v0-0村民群 0/100 户（0%）" in text and "v0-19村民群" not in text  # lowest first
    assert "…另有 18 个群入群率更高，全部：入群率 第0街道" in text
    one = join_rate_report(rates[:20], parents)
    assert one.count("\n· ") == 20 and "另有" not in one
