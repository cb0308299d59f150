"""bot/address.py: every way of writing one flat gives one key; junk gives None, quickly."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.address import Address, find_address, normalise_address

# Each class: all members must give the class key; no two classes share a key.
CLASSES: dict[str, list[str]] = {
    "3-2-501": [
        "3-2-501", "3栋2单元501", "3号楼2单元501室", "３－２－５０１", "３栋２单元５０１", "3棟2單元501室",
        "3號樓2單元501", "3幢2单元501", "3#2-501", "3栋2-501", "3-2-501室", " 3 - 2 - 501 ",
        "3 栋 2 单元 501", "三号楼二单元501", "三栋二单元501室", "3栋2门501", "3号楼2门501号",
        "阳光花园3栋2单元501", "阳光花园 3-2-501", "陽光花園3棟2單元501", "3号栋2单元501户",
        "3座2单元501", "3楼2单元501", "03栋2单元501", "3栋2单元501。", "3栋2单元3层501",
    ],
    "11-2-501": ["11-2-501", "十一号楼二单元501", "11栋2单元501室", "十一栋2-501"],
    "3-2-502": ["3-2-502", "3栋2单元502", "３－２－５０２"],
    "3-1-501": ["3-1-501", "3栋1单元501", "三号楼一单元501", "3栋一门501"],
    "20-3-1203": ["20-3-1203", "二十栋三单元1203", "20号楼3单元1203室", "20幢3-1203"],
    "5-301": ["5栋301", "5-301", "5号楼301室", "5栋3层301", "5 栋 301 室", "五号楼301", "5#301",
              "5棟301", "５－３０１", "幸福小区5栋301"],
    "5-302": ["5栋302", "5-302", "五栋302室"],
    "3组-12": ["李家村3组12号", "李家村三组12号", "李家村3组 12号", "3组12号", "李家村3組12號",
               "三组12号", "3组12户", "李家村3组12"],
    "3组-13": ["3组13号", "李家村三组13号"],
    "12组-3": ["十二组3号", "12组3号"],
    "A-1-302": ["A座1单元302", "a座1单元302室", "A栋1-302", "A 座 1 单元 302", "阳光花园A座1单元302",
                "A号楼1单元302", "Ａ座１单元３０２"],
    "B1-502": ["B1栋502", "b1座502室"],
    "12A-2-301": ["12A栋2单元301"],
}


@pytest.mark.parametrize(("key", "form"), [(k, f) for k, forms in CLASSES.items() for f in forms])
def test_every_form_of_a_flat_gives_its_class_key(key: str, form: str) -> None:
    address = normalise_address(form)
    assert address is not None, form
    assert address.key == key


def test_the_table_has_at_least_sixty_forms_and_distinct_keys() -> None:
    assert sum(len(forms) for forms in CLASSES.values()) >= 60
    keys = {normalise_address(forms[0]).key for forms in CLASSES.values()}  # type: ignore[union-attr]
    assert len(keys) == len(CLASSES)


def test_display_place_and_qualified_key() -> None:
    a = normalise_address("陽光花園3號樓2單元501室")
    assert a == Address("building", "3-2-501", "阳光花园3栋2单元501", "阳光花园", "3", "2", "501")
    assert a.qualified_key == "阳光花园-3-2-501"
    v = normalise_address("李家村三组 12号")
    assert v is not None and v.display == "李家村3组12号" and v.qualified_key == "李家村-3组-12"
    bare = normalise_address("5-301")
    assert bare is not None and bare.display == "5栋301" and bare.qualified_key == "5-301"
    assert normalise_address("我家住阳光花园3-2-501") == normalise_address("阳光花园3栋2单元501")


@pytest.mark.parametrize("junk", [
    "", "   ", "你好", "13800138000", "138-0013-8000", "E12", "C1", "3人", "12", "5-12", "2024-3-15",
    "2024-03-15", "3组12", "0-2-501", "3-0-501", "3-2-0501", "二二栋501", "十十栋301", "3栋", "3栋2单元",
    "代买 大米", "x" * 5000, "3-2-501-7", "A3-2-501", "3-2-501a", "3-二-501", "三-2-501",
    "A-1-302", "E12号302", "B座", "AB栋302", "A123栋302",
])
def test_what_is_not_an_address_gives_none(junk: str) -> None:
    assert normalise_address(junk) is None


@pytest.mark.parametrize(("message", "key", "span"), [
    ("3号楼2单元501 做了 3人", "3-2-501", "3号楼2单元501"),
    ("C1 3-2-501 已做", "3-2-501", "3-2-501"),
    ("E12 ３－２－５０１室 已送达", "3-2-501", "３－２－５０１室"),
    ("我住阳光花园3栋2单元501，谢谢", "3-2-501", "阳光花园3栋2单元501"),
    ("代买 大米 5栋301 电话13800138000", "5-301", "5栋301"),
    ("李家村三组 12号 张三 2人", "3组-12", "李家村三组 12号"),
    ("3棟2單元501 已核實", "3-2-501", "3棟2單元501"),
    ("代买 大米 A座1单元302 电话13800138000", "A-1-302", "A座1单元302"),
    ("住B栋502，谢谢", "B-502", "B栋502"),
])
def test_find_address_in_a_message(message: str, key: str, span: str) -> None:
    found = find_address(message)
    assert found is not None
    address, start, end = found
    assert address.key == key and message[start:end] == span


@pytest.mark.parametrize("message", [
    "C1 已做 3人", "电话13800138000", "E12 已完成", "R7号 已辟谣", "E12号楼下", "辟谣 R7 按 L12", "收到 12 份", "2024-03-15 10:30", "138-0013-8000 张",
    "你好", "",
])
def test_find_address_takes_no_codes_counts_or_phones(message: str) -> None:
    assert find_address(message) is None


def test_five_thousand_characters_of_junk_are_fast() -> None:
    junks = ["3" * 5000, "3-" * 2500, "3栋" * 2500, "阳光花园" * 1250, "一" * 5000, "3 " * 2500,
             "3栋2单元" * 1000, "1组" * 2500, "A座" * 2500, "A1" * 2500]
    began = time.perf_counter()
    for junk in junks:
        normalise_address(junk)
        find_address(junk)
    assert time.perf_counter() - began < 2.0  # backtracking would take minutes, not seconds


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    found = find_address(text)
    if found is not None:
        address, start, end = found
        assert 0 <= start < end <= len(text) and address.key
    normalise_address(text)
