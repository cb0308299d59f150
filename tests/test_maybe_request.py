"""Which keyword-less messages read like a request, and as which kind."""

from __future__ import annotations

import pytest

from bot.classify import EmptyRequest
from bot.maybe_request import request_kind, route
from bot.tickets import NewTicket


@pytest.mark.parametrize("text", [
    "谁能帮忙去药店买盒布洛芬，8号楼602", "家里没米了", "能不能派人来帮我取个快递", "小区超市买不到鸡蛋",
    "谁家有多余的体温计能借我用一下", "我家老人一个人在家，没有吃的了，麻烦谁去看看",
    "家裡沒有米了，能不能派人送點過來",
])
def test_requests_are_offered_as_errands(text: str) -> None:
    assert route(text) == "errand"


def test_a_household_to_check_is_offered_as_a_check() -> None:
    assert route("3栋有户人家从外地回来了，半夜回来好几个人") == "verification"


@pytest.mark.parametrize("text", [
    "大家早上好", "谁能告诉我今天几点发物资", "有需要买菜的可以私信我", "我家米吃完了，明天自己去超市买",
    "超市买不到的东西可以在群里接龙", "今天降温了，老人注意别摔倒", "谢谢网格员帮忙送的药",
    "网传明天封城，谁能帮忙问问", "没有口罩的不要出门了", "小孩发烧了两天，吃了药已经好多了",
    "谁能帮我把通知转发一下", "",
])
def test_chat_is_left_alone(text: str) -> None:
    assert route(text) is None


def test_keyword_messages_stay_with_classify() -> None:
    assert isinstance(route("代买 大米 5栋301"), NewTicket)
    assert isinstance(route("代买"), EmptyRequest)


def test_an_emergency_without_plea_or_address_still_reaches_the_owner() -> None:
    assert route("我爸刚才摔倒了") == "errand"  # not filed (no plea, no address), but forwarded
    assert request_kind("昨天摔倒了，现在好多了") is None
