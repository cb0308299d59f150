"""handlers/faq.py: questions in a group answered from the Q&A, or passed to the owners and
answered by them, saved with one tap, pushed down the tree; requests and chat left alone."""

from __future__ import annotations

from pathlib import Path

from bot.faq_file import parse
from bot.tickets import Ticket
from tests.harness import Bot, to

ROOT = Path(__file__).resolve().parent.parent
XINGFU, YANGGUANG = "幸福小区居民群", "阳光花园居民群"


async def open_questions(bot: Bot) -> list[Ticket]:
    return await bot.app.store.tickets.list(kind="question", open_only=True)


async def answer_note(bot: Bot, code: str) -> str:
    t = await bot.app.store.tickets.get(code)
    assert t is not None
    return next(e.note for e in await bot.app.store.tickets.history(t) if e.action == "answer")


async def load_sample(bot: Bot) -> None:
    parsed = parse((ROOT / "data" / "faq.jsonl").read_text(encoding="utf-8"), csv_file=False,
                   today=bot.clock().date())
    await bot.app.store.faq.add_many(parsed.rows, bot.clock())


async def test_a_question_an_entry_answers_gets_the_answer_source_and_date(bot: Bot) -> None:
    await load_sample(bot)
    [answer] = await bot.say(XINGFU, "张阿姨", "請問核酸檢測點在哪裡？")
    assert answer.chat.chat_id == XINGFU and [m.user_id for m in answer.mentions] == ["张阿姨"]
    assert "【政策问答】" in answer.text and "文化广场" in answer.text
    assert "来源：街道防控办，2022-04-15" in answer.text
    assert await open_questions(bot) == []
    # The same person asking again at once is not answered twice.
    assert await bot.say(XINGFU, "张阿姨", "请问核酸检测点在哪里") == []


async def test_expired_entries_are_never_used(bot: Bot) -> None:
    await load_sample(bot)
    # P16 (expired plates) held until 2022-12-31; the harness lives in 2026.
    replies = await bot.say(XINGFU, "张阿姨", "请问临时号牌过期了怎么办")
    assert all("延期至疫情结束后" not in r.text for r in replies)
    assert "已转给群主" in to(replies, XINGFU)[0].text


async def test_chat_and_requests_get_nothing_from_the_qa(bot: Bot) -> None:
    await load_sample(bot)
    for chat in ("大家早上好", "今天晚上吃什么？", "收到，谢谢", "核酸结果出来了，阴性", "黄码转绿了，谢谢大家",
                 "请问网传明天封城是真的吗"):
        assert await bot.say(XINGFU, "王大爷", chat) == [], chat
    # Requests and emergencies without a keyword belong to their own routing, never to the Q&A.
    for need in ("我妈发烧39度了，怎么办，能不能派人来", "谁能帮忙去药店买盒布洛芬，8号楼602？"):
        said = [r.text for r in await bot.say(XINGFU, "王大爷", need)]
        assert not any("政策问答" in t or "居民提问" in t or "转给群主（Q" in t for t in said), need
    replies = await bot.say(XINGFU, "王大爷", "代买 退烧药一盒 5栋302 可以吗？")
    assert "已登记代办工单 E" in to(replies, XINGFU)[0].text  # a request is still a ticket
    assert await open_questions(bot) == []
    # Owners announce; they are not answered back.
    assert await bot.say(XINGFU, "李书记", "请问核酸检测点在哪里") == []


async def test_an_unanswered_question_goes_to_the_owner_and_the_answer_comes_back(bot: Bot) -> None:
    await load_sample(bot)
    replies = await bot.say(XINGFU, "张阿姨", "请问小区东门几点开？我电话13812345678")
    [told] = to(replies, XINGFU)
    assert "Q1" in told.text and told.mentions[0].user_id == "张阿姨" and "13812345678" not in told.text
    [push] = to(replies, "@李书记")
    assert push.text.startswith("新工单 Q1\n幸福小区居民群·张阿姨\n居民提问：") and "答复 Q1" in push.text
    assert [b.command for b in push.buttons] == ["接单 Q1", "答复 Q1", "驳回 Q1", "详情 Q1"]
    assert to(replies, "@陈网格员") == []  # another group's owner hears nothing
    replies = await bot.say("@", "陈网格员", "答复 Q1 早上六点")
    assert "您不是该群的负责人" in replies[0].text
    replies = await bot.say("@", "李书记", "答复 Q1 东门每天早上六点开，晚上十点关")
    [public] = to(replies, XINGFU)
    assert public.mentions[0].user_id == "张阿姨" and "东门每天早上六点开" in public.text
    assert "13812345678" not in public.text
    [mine] = to(replies, "@李书记")
    assert mine.buttons[0].command == "存为问答 Q1"
    assert "已是「已答复」，不能再答复" in (await bot.say("@", "李书记", "答复 Q1 再说一次"))[0].text
    [saved] = await bot.say("@", "李书记", "存为问答 Q1")
    assert "已存为问答 FQ1" in saved.text and saved.buttons[0].command == "下发问答 FQ1"
    entry = await bot.app.store.faq.get("FQ1")
    assert entry is not None and entry.data.question == "小区东门几点开?" and entry.data.scope == "xingfu"
    assert "已在问答库中" in (await bot.say("@", "李书记", "存为问答 Q1"))[0].text
    # Now the same question is answered at once in this group, and not in another one.
    [again] = await bot.say(XINGFU, "王大爷", "请问小区东门几点开")
    assert "东门每天早上六点开" in again.text and again.mentions[0].user_id == "王大爷"
    elsewhere = await bot.say(YANGGUANG, "赵大姐", "请问小区东门几点开")
    assert all("东门每天早上六点开" not in r.text for r in elsewhere)


async def test_a_suggested_entry_is_one_tap_for_the_owner(bot: Bot) -> None:
    await load_sample(bot)
    replies = await bot.say(XINGFU, "张阿姨", "做核酸要不要钱")
    [push] = to(replies, "@李书记")
    assert push.buttons and push.buttons[0].command.startswith("答复 Q1 按 P")
    entry = push.buttons[0].command.rsplit(" ", 1)[1]
    replies = await bot.say("@", "李书记", push.buttons[0].command)
    [public] = to(replies, XINGFU)
    assert "【政策问答】" in public.text and public.mentions[0].user_id == "张阿姨"
    assert (await answer_note(bot, "Q1")).startswith(f"按问答库 {entry}：")
    assert f"按问答库 {entry} 答复的" in (await bot.say("@", "李书记", "存为问答 Q1"))[0].text


async def test_bad_owner_commands_get_a_clear_answer(bot: Bot) -> None:
    await load_sample(bot)
    assert "缺少工单编号。请这样写：答复 Q3" in (await bot.say("@", "李书记", "答复"))[0].text
    assert "没有找到工单 Q9" in (await bot.say("@", "李书记", "答复 Q9 好的"))[0].text
    await bot.say(XINGFU, "张阿姨", "请问物业电话是多少")
    assert "请写上答复内容" in (await bot.say("@", "李书记", "答复 Q1"))[0].text
    assert "没有可用的 P404" in (await bot.say("@", "李书记", "答复 Q1 按 P404"))[0].text
    assert "太长" in (await bot.say("@", "李书记", "答复 Q1 " + "很" * 2000))[0].text
    assert "还没有答复" in (await bot.say("@", "李书记", "存为问答 Q1"))[0].text
    assert "只有" in (await bot.say("@", "张阿姨", "答复 Q1 好的"))[0].text
    assert "请写上问答编号" in (await bot.say("@", "李书记", "下发问答"))[0].text
    assert "没有 P404" in (await bot.say("@", "李书记", "下发问答 P404"))[0].text
    assert "已于 2022-12-31 过期" in (await bot.say("@", "李书记", "下发问答 P16"))[0].text


async def test_staff_push_an_entry_down_the_tree_as_a_notice(bot: Bot) -> None:
    await load_sample(bot)
    replies = await bot.say("@", "刘主任", "下发问答 P6")
    [mine] = to(replies, "@刘主任")
    assert "已把问答 P6 作为通知 N1 从「东城街道群」下发到下级各群" in mine.text
    groups = {r.chat.chat_id for r in replies if "文化广场" in r.text}
    assert {XINGFU, YANGGUANG} <= groups


async def test_a_question_in_private_is_answered_and_a_request_still_filed(bot: Bot) -> None:
    await load_sample(bot)
    [answer] = await bot.say("@", "张阿姨", "核酸检测要钱吗？")
    assert "【政策问答】" in answer.text and "免费" in answer.text
    replies = await bot.say("@", "张阿姨", "代买 退烧药一盒 5栋302 可以吗")
    assert all("【政策问答】" not in r.text for r in replies)


async def test_the_owner_may_word_the_saved_question(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "想问一下，我们楼下的垃圾几点收啊")
    await bot.say("@", "李书记", "答复 Q1 每天早上七点和晚上七点")
    assert "规范说法" in (await bot.say("@", "李书记", "存为问答 Q1 😀😀"))[0].text
    [saved] = await bot.say("@", "李书记", "存为问答 Q1 垃圾几点收")
    assert "已存为问答 FQ1" in saved.text
    [answer] = await bot.say(XINGFU, "王大爷", "请问垃圾几点收？")
    assert "每天早上七点和晚上七点" in answer.text and "来源：幸福小区居民群 李书记" in answer.text


async def test_huge_emoji_and_bare_questions_get_no_crash_and_no_noise(bot: Bot) -> None:
    await load_sample(bot)
    for text in ("😀😀😀？", "请问", "？？？", "吗"):
        assert await bot.say(XINGFU, "王大爷", text) == [], text
    replies = await bot.say(XINGFU, "王大爷", "请问" + "小区门口的菜车" * 3000 + "几点到？")
    [push] = to(replies, "@李书记")
    assert len(push.text) < 700  # the owner gets the start of it, not 20,000 characters
    [q] = await open_questions(bot)
    assert len(q.text) <= 500


async def test_an_owner_answer_never_shows_a_phone_number_in_the_group(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "请问楼下的菜站电话多少")
    replies = await bot.say("@", "李书记", "答复 Q1 菜站王师傅 13912345678")
    [public] = to(replies, XINGFU)
    assert "13912345678" not in public.text and "王师傅" in public.text


async def test_an_owner_answering_in_the_group_is_pointed_to_private_chat(bot: Bot) -> None:
    await bot.say(XINGFU, "张阿姨", "请问物业电话是多少")
    [hint] = await bot.say(XINGFU, "李书记", "答复 Q1 物业电话在公告栏")
    assert "请私聊我发送" in hint.text and "答复 Q1 …" in hint.text
    assert [q.code for q in await open_questions(bot)] == ["Q1"]


async def test_owners_list_the_questions_waiting_for_them(bot: Bot) -> None:
    assert "未办结的居民提问工单：没有了" in (await bot.say("@", "李书记", "待答"))[0].text
    await bot.say(XINGFU, "张阿姨", "请问物业电话是多少")
    await bot.say(YANGGUANG, "赵大姐", "请问垃圾几点收")
    [mine] = await bot.say("@", "李书记", "待答")
    assert "Q1 政策咨询｜幸福小区居民群｜张阿姨" in mine.text and "Q2" not in mine.text
    [above] = await bot.say("@", "刘主任", "待答")  # the township sees both villages
    assert "Q1" in above.text and "Q2 政策咨询｜阳光花园居民群｜赵大姐" in above.text
    await bot.say("@", "李书记", "答复 Q1 物业电话在公告栏")
    assert "未办结的居民提问工单：没有了" in (await bot.say("@", "李书记", "待答"))[0].text


async def test_an_unanswered_question_is_held_to_its_time_limit_like_any_ticket(tmp_path: Path) -> None:
    from datetime import timedelta

    from schedules import sla
    from tests.harness import BASE_TOML, START

    bot = await Bot.start(tmp_path, BASE_TOML + "\n[sla.question]\naccept_minutes = 30\n")
    try:
        await bot.say(XINGFU, "张阿姨", "请问小区东门几点开？")
        async def scan(minutes: int) -> list[tuple[str, str]]:
            bot.clock.now = START + timedelta(minutes=minutes)
            said = await sla.job(bot.app.services, bot.clock.now)
            return [(r.chat.chat_id, r.text.splitlines()[0]) for r in said]

        assert await scan(25) == [("@李书记", "【接单提醒】Q1 须在 09:30 前接单（时限 30 分钟），请尽快接单或指派。")]
        assert await scan(30) == [("@刘主任", "【超时提醒】Q1 已 30 分钟未接单（时限 30 分钟），请督办：")]
        await bot.say("@", "李书记", "答复 Q1 东门六点开")
        assert await scan(60 * 48) == []  # answered: nothing more
    finally:
        await bot.close()
