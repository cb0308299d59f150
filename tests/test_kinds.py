"""Every kind's declaration reaches the parser, codes, commands, help, filters, texts and ledgers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import keywords as kw
from bot.adapters.telegram import COMMANDS
from bot.classify import classify
from bot.export import ledger_rows, to_csv
from bot.kinds import CODE_RE, OTHER_CODE_LETTERS, REGISTRY, SLASH_KINDS, TicketKind, by_filter_word, kind_of
from bot.lookup import split_code
from bot.tickets import CATEGORY_LABEL, NewTicket, normalize_code
from handlers.resident import OWNER_HELP, RESIDENT_HELP
from schedules.digest import digests
from tests.harness import Bot

VILLAGE = "幸福小区居民群"
KIND_IDS = [k.key for k in REGISTRY]
#: Kinds a resident's keyword files; the rest have a route of their own (questions: the Q&A).
KEYWORDED = [k for k in REGISTRY if k.keywords]


def test_prefixes_and_slash_commands_are_unique_and_clash_with_no_other_code() -> None:
    prefixes = [k.prefix for k in REGISTRY]
    assert len(set(prefixes)) == len(prefixes)
    assert not set(prefixes) & set(OTHER_CODE_LETTERS)
    assert len(SLASH_KINDS) == len([k for k in REGISTRY if k.slash])
    assert all(k.slash for k in KEYWORDED)  # what a keyword files, a slash command files too
    words = [w for k in REGISTRY for w in k.keywords]
    assert len(set(words)) == len(words)


def test_an_undeclared_kind_is_refused_before_the_store() -> None:
    with pytest.raises(ValueError, match="没有这种工单类别"):
        NewTicket("parcel", "other", "normal", "代收快递", "")


@pytest.mark.parametrize("k", REGISTRY, ids=KIND_IDS)
def test_codes_of_every_kind_parse(k: TicketKind) -> None:
    assert normalize_code(f"{k.prefix.lower()} 12") == f"{k.prefix}12"
    assert split_code(f"{k.prefix}7 说明") == (f"{k.prefix}7", "说明")
    assert CODE_RE.search(f"看看{k.prefix}3")


@pytest.mark.parametrize("k", REGISTRY, ids=KIND_IDS)
def test_every_kind_is_in_the_command_list_help_card_and_filters(k: TicketKind) -> None:
    assert (k.slash in {c.command for c in COMMANDS}) == bool(k.slash)
    assert all(line in RESIDENT_HELP for line in k.help_lines)
    assert k.filter_words[0] in OWNER_HELP
    assert all(by_filter_word(w) is k for w in k.filter_words)
    assert set(k.rated) <= set(k.categories)
    assert all(CATEGORY_LABEL[c] == label for c, label in k.categories.items())


@pytest.mark.parametrize("k", KEYWORDED, ids=[k.key for k in KEYWORDED])
def test_every_kind_files_from_its_example_and_its_slash_command(k: TicketKind) -> None:
    found = classify(k.example)
    assert isinstance(found, NewTicket) and found.kind == k.key
    assert found.category in k.categories
    body = k.example.split(maxsplit=1)[1]
    slashed = classify(f"/{k.slash} {body}")
    assert isinstance(slashed, NewTicket) and slashed.kind == k.key


def test_every_keyword_classifies_to_its_kind_when_it_leads() -> None:
    for k in REGISTRY:
        for word in k.keywords:
            found = classify(f"{word} {k.example.split(maxsplit=1)[1]}")
            assert isinstance(found, NewTicket), word
            assert found.kind == k.key, word


def test_a_kind_without_keywords_is_not_filed_by_the_parser() -> None:
    for k in REGISTRY:
        if not k.keywords:
            found = classify(k.example)
            assert not isinstance(found, NewTicket) or found.kind != k.key


def test_errand_categories_are_the_keyword_tables() -> None:
    assert set(kind_of("errand").categories) == {c for c, _ in kw.CATEGORY_WORDS} | {"other"}


async def test_every_kind_reaches_the_ledger_and_the_digest(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    try:
        for k in REGISTRY:
            await bot.say(VILLAGE, "张阿姨", k.example)
        tickets = await bot.app.store.tickets.list()
        assert sorted(t.kind for t in tickets) == sorted(k.key for k in REGISTRY)
        assert {t.code[0] for t in tickets} == {k.prefix for k in REGISTRY}
        rows = ledger_rows(await bot.app.store.tickets.export_rows(), bot.app.config.tz)
        assert {r.labelled()["kind"] for r in rows} == {k.label for k in REGISTRY}
        ledger = to_csv(rows).decode("utf-8-sig")
        assert all(f",{k.key}," in ledger and k.label in ledger for k in REGISTRY)
        bot.clock.advance(hours=4)  # an afternoon report: today so far
        texts = [r.text for r in await digests(bot.app.services, bot.clock())]
        owner = next(t for t in texts if "幸福小区" in t and "工作日报" in t)
        assert all(f"{k.label} 1" in owner for k in REGISTRY)
    finally:
        await bot.close()
