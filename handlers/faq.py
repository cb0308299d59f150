"""Policy Q&A (政策问答) in groups: a question an entry answers is answered at once; an explicit
question nothing answers becomes a ticket (``Q3``, kind ``question``) for the group's owners, whose ``答复 Q3 …`` reaches the
resident in the group and can be kept with ``存为问答 Q3``. ``下发问答 P3`` pushes an entry down
the tree as a notice."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import faq, render
from bot import keywords as kw
from bot.classify import classify
from bot.directory import Role
from bot.dispatcher import Ctx, Router
from bot.faq_file import ANSWER_LIMIT, QUESTION_LIMIT
from bot.floodgate import said_lately
from bot.kinds import kind_of
from bot.lookup import find_managed_ticket
from bot.message import Button, ChatRef, Mention, Reply
from bot.privacy import mask
from bot.store.faq import FaqData
from bot.text import one_line
from bot.tickets import DONE, NewTicket, Ticket
from handlers.notices import push_entry
from handlers.owner import move, todo

router = Router("faq")

#: A stored question keeps at most this much of what was written.
KEEP = 500
_MASKED = re.compile(r"\d*\*+\d*")
_LEAD = re.compile(r"^(?:请问一下|请问|咨询一下|咨询|想问一下|想问|问一下)[\s,，:：]*")
_BY_ENTRY = re.compile(r"^按\s*(?:问答库?\s*)?(\S+)$")
#: How the history line of an answer given by an entry starts ("按问答库 P3：…").
BY_ENTRY_NOTE = "按问答库 "
# Requests and emergencies written as questions ("谁能帮忙买药吗", "发烧39度了怎么办") belong to
# the ticket and help routes, not to the Q&A: they are left alone here.
_REQUEST = re.compile(r"帮我|谁能帮|帮忙买|帮忙去|帮忙送|派人|买不到|没有?[^，。？?！!\s]{1,6}了|吃完了|用完了|"
                      r"\d{2}(?:\.\d)?度")


#: Hearsay ("网传…是真的吗") is the rumour library's to answer (priority 0), not a policy question.
_HEARSAY = (*kw.HEARSAY_WORDS, "听说", "是真的吗", "真的假的", "是不是真的", "谣言")


def _not_for_us(text: str) -> bool:
    return kw.is_emergency(text) or _REQUEST.search(text) is not None or any(w in text for w in _HEARSAY)


# Below the ticket fallback (priority 0, which also gives the rumour library's auto-answers): a
# request, a report or a rumour is never taken for a question.
@router.fallback(where="group", priority=-5)
async def question(ctx: Ctx) -> list[Reply] | Reply | None:
    """Answer a resident's question from the Q&A, or file an explicit one as a ticket (Q3)
    for the group's owners."""
    if ctx.msg.kind != "text" or ctx.group is None or ctx.role >= Role.OWNER or not ctx.group.tickets:
        return None
    kind = faq.asking(ctx.text)
    if kind is None or _not_for_us(ctx.text) or not faq.question_key(ctx.text):
        return None
    found = await faq.find(ctx.store, ctx.services.faq, ctx.text, ctx.now, faq.chain(ctx.directory, ctx.group))
    if found.match.action == "answer" and found.entry is not None:
        if await said_lately(ctx, ctx.group, f"faq:{found.entry.id}"):
            return []
        return ctx.reply(faq.answer_text(found.entry), mention=True)
    if kind != "ask" and found.match.action != "suggest":
        return None  # precision first: "今天吃什么？" is chat
    if await said_lately(ctx, ctx.group, f"faq-ask:{faq.question_key(ctx.text)[:40]}"):
        return []
    asked = NewTicket("question", "policy", "normal", ctx.text[:KEEP], "")
    t = await ctx.store.tickets.create(asked, ctx.group, ctx.msg, await ctx.store.messages.row_of(ctx.msg), ctx.now)
    text, buttons = render.new_ticket_push(t), render.owner_buttons(t)
    if found.entry is not None:
        d = found.entry
        text += (f"\n问答库里可能是同一问题：{d.id}「{one_line(d.question, 40)}」（相似度 {found.match.score:.0f}）"
                 f"\n答复：{one_line(d.answer, 60)}\n是同一问题请点「按 {d.id} 答复」。")
        buttons = (Button(f"按 {d.id} 答复", f"答复 {t.code} 按 {d.id}"), *buttons)
    pushes = [Reply(chat, text, (), buttons) for chat in ctx.directory.new_ticket_chats(ctx.group, t.kind, "")]
    return [ctx.reply(render.ack(t), mention=True), *pushes]


async def _question_ticket(ctx: Ctx, usage: str) -> tuple[Ticket, str] | Reply:
    """The question named at the start of the arguments, if the sender manages its group."""
    found = await find_managed_ticket(ctx, usage)
    if isinstance(found, Reply):
        return found
    t, words = found
    if t.kind != "question":
        verbs = "」或「".join(f"{v} {t.code}" for v in kind_of(t.kind).close_verbs)
        return ctx.reply(f"{t.code} 不是居民提问，请用「{verbs}」。")
    return t, words


@router.command("答复", "/answer", where="private", role=Role.OWNER)
async def answer(ctx: Ctx) -> list[Reply] | Reply:
    """``答复 Q3 内容`` or ``答复 Q3 按 P12``: the resident hears the answer in the group."""
    found = await _question_ticket(ctx, "答复 Q3 核酸点在社区服务中心门口")
    if isinstance(found, Reply):
        return found
    t, words = found
    if t.is_final:
        return ctx.reply(f"{t.code} 已是「{t.status_label}」，不能再答复。发送「详情 {t.code}」查看。")
    if not words:
        return ctx.reply(f"请写上答复内容（会发到群里），例如：答复 {t.code} 核酸点在社区服务中心门口")
    entry: FaqData | None = None
    if (by := _BY_ENTRY.match(words)) is not None:
        stored = await ctx.store.faq.get(by.group(1)) or await ctx.store.faq.get(by.group(1).upper())
        if stored is None or not stored.data.valid_on(ctx.now.date()):
            return ctx.reply(f"问答库里没有可用的 {one_line(by.group(1), 20)}（没有或已过期）。"
                             f"请直接写答复，例如：答复 {t.code} 核酸点在社区服务中心门口")
        entry, words = stored.data, stored.data.answer
    if len(words) > ANSWER_LIMIT:
        return ctx.reply(f"答复太长（{len(words)} 字，最多 {ANSWER_LIMIT} 字），请精简后再发。")
    # The note keeps the answer for 存为问答 and the ledger; by an entry it says which one.
    note = f"{BY_ENTRY_NOTE}{entry.id}：{words}" if entry is not None else words
    headline = (f"已按问答库 {entry.id} 答复 {t.code}，群里已告知。" if entry is not None else
                f"已答复 {t.code}，群里已告知。点「存为问答」存入问答库，以后同样的问题会自动答复。")
    replies = await move(ctx, t, action="answer", to_status=DONE, note=note, notify=False, headline=headline)
    updated = await ctx.store.tickets.get(t.code)
    if updated is None or updated.status != DONE:  # refused: answered a moment ago
        return replies
    if entry is None:
        replies[0] = replace(replies[0], buttons=(Button("存为问答", f"存为问答 {t.code}"), *replies[0].buttons))
        about = one_line(mask(t.text), 40)
        public = f"【答复】关于「{about}」：{words.rstrip('。')}。（{t.group_name} {ctx.msg.sender_name}，{ctx.now:%Y-%m-%d}）"
    else:
        public = faq.answer_text(entry, about=t.text)
    chat = ChatRef(t.platform, t.chat_id)
    mention = () if chat.is_private else (Mention(t.requester_id, t.requester_name),)
    return [Reply(chat, public, mention), *replies]


def _question_part(text: str) -> str:
    """What of a resident's message is the question: up to its question mark, numbers masked
    away ("请问东门几点开？我电话138…" -> "请问东门几点开？")."""
    head = re.split(r"(?<=[?？])", one_line(text, QUESTION_LIMIT), maxsplit=1)[0]
    return _LEAD.sub("", _MASKED.sub("", mask(head)).strip())


@router.command("待答", "居民提问", "/questions", where="private", role=Role.OWNER, alone=True)
async def open_questions(ctx: Ctx) -> Reply:
    """``待答``: the open questions of the groups the sender manages (``待办 提问``)."""
    ctx.args = kind_of("question").filter_words[0]
    return await todo(ctx)


@router.command("存为问答", "/savefaq", where="private", role=Role.OWNER)
async def save(ctx: Ctx) -> Reply:
    """``存为问答 Q3 [问题的说法]``: an answered question becomes an entry for its group and
    those below (worded as the resident asked, unless the owner words it)."""
    found = await _question_ticket(ctx, "存为问答 Q3")
    if isinstance(found, Reply):
        return found
    t, wording = found
    d_id = f"FQ{t.code[1:]}"
    if await ctx.store.faq.get(d_id) is not None:
        return ctx.reply(f"{t.code} 已在问答库中：{d_id}。")
    said = [e for e in await ctx.store.tickets.history(t) if e.action == "answer"]
    if said and said[-1].note.startswith(BY_ENTRY_NOTE):
        entry_id = said[-1].note[len(BY_ENTRY_NOTE):].split("：", 1)[0]
        return ctx.reply(f"{t.code} 是按问答库 {entry_id} 答复的，问答库里已有。")
    if not said:
        return ctx.reply(f"{t.code} 还没有答复，请先发送「答复 {t.code} 您的答复」。")
    question = wording or _question_part(t.text)
    if not faq.question_key(question) or len(question) > QUESTION_LIMIT:
        return ctx.reply(f"请在后面写上问题的规范说法（最多 {QUESTION_LIMIT} 字），例如：存为问答 {t.code} 小区东门几点开")
    d = FaqData(d_id, question, (), said[-1].note, f"{t.group_name} {t.handler_name}".strip(),
                ctx.now.date(), None, t.group_key)
    if not await faq.learn(ctx.store, ctx.services.faq, d, ctx.now):
        return ctx.reply(f"问答库里已有编号 {d.id}，未保存。")
    return ctx.reply(f"已存为问答 {d.id}（适用于「{t.group_name}」及下级群），以后同样的问题会自动答复。"
                     f"发送「下发问答 {d.id}」可作为通知下发到下级各群。",
                     buttons=(Button("下发到下级群", f"下发问答 {d.id}"),))


@router.command("下发问答", "/pushfaq", where="private", role=Role.OWNER)
async def push(ctx: Ctx) -> Reply:
    """``下发问答 P3 [群名]``: an entry as a notice to a group and every group below it."""
    entry_id, _, rest = ctx.args.strip().partition(" ")
    if not entry_id:
        return ctx.reply("请写上问答编号，例如：下发问答 P3（可在后面写从哪个群发：下发问答 P3 东城街道群）")
    stored = await ctx.store.faq.get(entry_id) or await ctx.store.faq.get(entry_id.upper())
    if stored is None:
        return ctx.reply(f"问答库里没有 {one_line(entry_id, 20)}。用「gridbot faq list」查看编号。")
    if not stored.data.valid_on(ctx.now.date()):
        return ctx.reply(f"{stored.id} 已于 {stored.data.valid_until} 过期，不能下发。")
    return await push_entry(ctx, "下发问答", "问答", stored.id, rest, faq.answer_text(stored.data))


# Above the private filing fallback (-10) and below care's answers (10): a question asked in
# private is answered when an entry for every group answers it; anything else goes on as before.
@router.fallback(where="private", priority=-5)
async def private_question(ctx: Ctx) -> Reply | None:
    """A question in private chat answered from the entries that apply everywhere."""
    if ctx.msg.kind != "text" or faq.asking(ctx.text) is None or _not_for_us(ctx.text):
        return None
    if classify(ctx.msg.text) is not None:
        return None  # "代买 退烧药 可以吗" is a request
    found = await faq.find(ctx.store, ctx.services.faq, ctx.text, ctx.now, ())
    if found.match.action != "answer" or found.entry is None:
        return None
    return ctx.reply(faq.answer_text(found.entry))
