"""Health emergencies without a keyword are urgent medical tickets; the answer starts with 120."""

from __future__ import annotations

import pytest

from bot import keywords as kw
from bot.classify import classify, unworded_request
from bot.tickets import NewTicket
from tests.harness import Bot, to


@pytest.mark.parametrize("text", [
    "我妈发烧39度了，怎么办，能不能派人来", "体温39.5℃，浑身发抖，能不能来人看看", "孩子高烧40度不退 5栋301",
    "39度高烧，怎么办", "我爸在卫生间摔倒了，快来人", "孕妇见红了，怎么办", "宝宝奶粉没了，谁能帮忙 8栋",
    "胰岛素用完了，能不能派人送", "家里没有降压药了，怎么办", "手割破了一直出血，怎么办", "我媽發燒39度了，怎麼辦",
])
def test_health_emergencies_are_urgent_medical_tickets(text: str) -> None:
    found = classify(text)
    assert isinstance(found, NewTicket), text
    assert (found.kind, found.category, found.priority) == ("errand", "medicine", "urgent")


@pytest.mark.parametrize("text", [
    "发烧37.5度，还好", "今天体温36.5", "孩子昨天发烧39度，已经退烧了", "去年摔倒过一次", "我爸刚才摔倒了",
    "5栋1201的快递到了", "电话13912039123",
])
def test_no_fever_no_plea_or_over_is_no_ticket(text: str) -> None:
    assert classify(text) is None


def test_a_high_fever_needs_a_high_number() -> None:
    assert kw.HIGH_FEVER.search("发烧38.5度") and kw.HIGH_FEVER.search("烧到40")
    assert not kw.HIGH_FEVER.search("发烧38度") and not kw.HIGH_FEVER.search("发烧39天")
    assert not kw.HIGH_FEVER.search("5栋390发烧")


def test_yuyue_is_an_errand_keyword() -> None:
    found = classify("预约 核酸上门 3栋501")
    assert isinstance(found, NewTicket) and found.kind == "errand" and found.address == "3栋501"
    assert classify("预约的时间到了吗") is None


def test_a_registered_message_reads_as_if_it_had_the_keyword() -> None:
    found = unworded_request("谁能帮忙去药店买盒布洛芬，8号楼602", "errand")
    assert (found.kind, found.category, found.address) == ("errand", "medicine", "8号楼602")
    assert unworded_request("3栋半夜回来好几个人", "verification").category == "check"


async def test_the_answer_starts_with_120_in_the_group_and_in_private(bot: Bot) -> None:
    [ack] = to(await bot.say("幸福小区居民群", "张阿姨", "我妈发烧39度了，怎么办，能不能派人来"), "幸福小区居民群")
    assert ack.text.startswith("情况危急请立即拨打 120 急救电话！已登记紧急求助 E1（买药/就医）")
    [calm] = to(await bot.say("幸福小区居民群", "王大爷", "代买 胰岛素两盒 5栋301"), "幸福小区居民群")
    assert "120" not in calm.text
