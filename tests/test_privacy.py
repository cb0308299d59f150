"""The masker: phones and ID numbers hidden, every other digit run left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.message import ChatRef, Mention, Reply
from bot.privacy import for_chat, leaks, mask

MASKED = [
    # mobiles
    ("13812345678", "138****5678"),
    ("电话13812345678", "电话138****5678"),
    ("电话：13912345678。", "电话：139****5678。"),
    ("+86 13812345678", "+86 138****5678"),
    ("+8613812345678", "+86138****5678"),
    ("8613812345678", "86138****5678"),
    ("0086-13812345678", "0086-138****5678"),
    ("138-1234-5678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("联系人王某 19900001111 或 17712345678", "联系人王某 199****1111 或 177****5678"),
    ("tel:15000000000,", "tel:150****0000,"),
    # landlines
    ("010-12345678", "010-****5678"),
    ("0755-1234567", "0755-***4567"),
    ("(010)12345678", "(010)****5678"),
    ("（0755）1234-5678", "（0755）****5678"),
    ("01012345678", "010****5678"),
    ("0571 8765 4321", "0571 ****4321"),
    ("座机020-88889999转3", "座机020-****9999转3"),
    # ID numbers
    ("110101199003071234", "110101********1234"),
    ("身份证110101199003071234", "身份证110101********1234"),
    ("11010119900307123X", "110101********123X"),
    ("11010119900307123x号", "110101********123x号"),
    ("110101 19900307 1234", "110101********1234"),
    ("110101900307123", "110101******123"),
    # the transcript
    ("代买 胰岛素两盒 5栋301 电话13812345678 身份证110101199003071234",
     "代买 胰岛素两盒 5栋301 电话138****5678 身份证110101********1234"),
]

UNCHANGED = [
    "E12", "进度 E1", "V3 R7 N12", "2026-11-25", "2026-11-25 14:30", "14:30", "09:00-18:00",
    "5栋301", "3-2-501", "5栋2单元1201", "李家村3组12号", "12345678元", "100000元", "0.5元",
    "518000", "邮编 100101", "订单号 202611251381234567890", "订单号202611251234567890",
    "13812345678901", "快递单号 7312345678901234", "编号 0123456789", "400-123-4567",
    "95588", "12345", "120", "110", "2026年11月25日", "20261125", "三盒 2-3包",
    "身份证后四位1234", "138****5678", "110101********1234",
    # 18 digits whose "birth date" is impossible: an order number, not an ID
    "998877665544332211",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_masks_phones_and_ids(text: str, expected: str) -> None:
    assert mask(text) == expected
    assert leaks(text)
    assert leaks(expected) == []


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_other_numbers_alone(text: str) -> None:
    assert mask(text) == text
    assert leaks(text) == []


def test_leaks_names_what_it_found() -> None:
    assert leaks("电话13812345678 身份证110101199003071234") == ["110101199003071234", "13812345678"]


def test_group_replies_are_masked_private_ones_are_not() -> None:
    text = "张阿姨 13812345678"
    mention = (Mention("13900001111", "13900001111"),)
    group = for_chat(Reply(ChatRef("console", "幸福小区居民群"), text, mention))
    private = for_chat(Reply(ChatRef.private("console", "李书记"), text))
    assert group.text == "张阿姨 138****5678"
    assert group.mentions == mention  # a name is whatever the person chose: not rewritten
    assert private.text == text


_DIGITISH = st.text(alphabet="0123456789１３８ -+()（）Xx*栋号电话", max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_DIGITISH, st.text(max_size=80)))
def test_mask_is_idempotent_and_leaves_no_leak(text: str) -> None:
    masked = mask(text)
    assert leaks(masked) == []
    assert mask(masked) == masked
