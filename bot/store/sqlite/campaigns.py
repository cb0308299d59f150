"""Campaigns in SQLite (the protocol: :mod:`bot.store.campaigns`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from bot.store.campaigns import Answer, Campaign, CampaignKind, NewAnswer, NewCampaign, Saved, Tally
from bot.store.households import Household
from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.sqlite.households import _household as household_row  # one reading of a row
from bot.store.sqlite.households import _marks as marks

#: Closed campaigns stay in the in-memory list this long, so late answers are recognised.
KEEP_CLOSED = timedelta(days=2)

_COLUMNS = """INSERT INTO campaign_answers (campaign_id, group_key, voter, household_id, address,
                                           option, people, platform, user_id, name, first_at,
                                           answered_at)"""
_UPSERT = """ON CONFLICT (campaign_id, voter) DO UPDATE SET
                 group_key = excluded.group_key, household_id = excluded.household_id,
                 address = excluded.address, option = excluded.option, people = excluded.people,
                 platform = excluded.platform, user_id = excluded.user_id, name = excluded.name,
                 answered_at = excluded.answered_at, answers = campaign_answers.answers + 1,
                 previous = campaign_answers.option
             RETURNING answers, previous, household_id"""
_ANSWER = f"{_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) {_UPSERT}"
# The household looked up and the answer saved in one statement: one trip to the database.
_ANSWER_AT = f"""{_COLUMNS} SELECT ?, group_key, 'h:' || id, id, address, ?, ?, ?, ?, ?, ?, ?
                 FROM households WHERE group_key = ? AND address_key = ? {_UPSERT}"""
_ANSWER_AS_MEMBER = f"""{_COLUMNS} SELECT ?, m.group_key, 'h:' || h.id, h.id, h.address, ?, ?, ?, ?, ?, ?, ?
                        FROM members m JOIN households h ON h.id = m.household_id
                        WHERE m.platform = ? AND m.user_id = ? AND m.group_key = ?
                        AND m.status = 'approved' {_UPSERT}"""


def _at(value: str | None) -> datetime | None:
    return from_db(value) if value else None


def _campaign(r: Any, group_keys: tuple[str, ...]) -> Campaign:
    return Campaign(r["id"], cast(CampaignKind, r["kind"]), r["title"],
                    tuple(o for o in r["options"].split("\n") if o), r["capacity"],
                    bool(r["secret"]), r["origin_key"], group_keys, r["author_platform"],
                    r["author_id"], r["author_name"], from_db(r["created_at"]), _at(r["deadline"]),
                    _at(r["reminded_at"]), _at(r["closed_at"]))


def _answer(r: Any) -> Answer:
    return Answer(r["group_key"], r["voter"], r["household_id"], r["address"], r["option"],
                  r["people"], r["name"], from_db(r["answered_at"]))


class SqliteCampaignRepo:
    """The campaign tables, with the live campaigns of each group kept in memory."""

    def __init__(self, db: Database):
        self.db = db
        #: group key -> live campaigns, newest first; None until loaded or after a change.
        self._live: dict[str, list[Campaign]] | None = None
        self._progress: dict[tuple[int, str], datetime] = {}

    async def _with_groups(self, rows: Sequence[Any]) -> list[Campaign]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        keys: dict[int, list[str]] = {i: [] for i in ids}
        for g in await self.db.fetchall(
                f"""SELECT campaign_id, group_key FROM campaign_groups
                    WHERE campaign_id IN ({marks(len(ids))}) ORDER BY rowid""", ids):
            keys[g["campaign_id"]].append(g["group_key"])
        return [_campaign(r, tuple(keys[r["id"]])) for r in rows]

    async def create(self, new: NewCampaign, now: datetime) -> Campaign:
        """Save a campaign for its groups; its code is ``C<id>``."""
        author_platform, author_id, author_name = new.author
        async with self.db.tx():
            row = await self.db.fetchone(
                """INSERT INTO campaigns (kind, title, options, capacity, secret, origin_key,
                                          author_platform, author_id, author_name, created_at,
                                          deadline)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (new.kind, new.title, "\n".join(new.options), new.capacity, int(new.secret),
                 new.origin_key, author_platform, author_id, author_name, to_db(now),
                 to_db(new.deadline) if new.deadline else None))
            assert row is not None
            await self.db.executemany(
                "INSERT INTO campaign_groups (campaign_id, group_key, progress_at) VALUES (?, ?, ?)",
                [(row["id"], key, to_db(now)) for key in new.group_keys])
        self._live = None
        found = await self.get(row["id"])
        assert found is not None
        return found

    async def get(self, campaign_id: int) -> Campaign | None:
        """One campaign by the number of its code."""
        row = await self.db.fetchone("SELECT * FROM campaigns WHERE id = ?", (campaign_id,))
        return (await self._with_groups([row]))[0] if row else None

    async def live(self, group_key: str, since: datetime) -> list[Campaign]:
        """Campaigns of a group still open or closed after ``since``, newest first (from memory)."""
        if self._live is None:
            await self._load(since)
        assert self._live is not None
        return [c for c in self._live.get(group_key, ()) if c.closed_at is None or c.closed_at > since]

    async def _load(self, since: datetime) -> None:
        rows = await self.db.fetchall(
            "SELECT * FROM campaigns WHERE closed_at IS NULL OR closed_at > ? ORDER BY id DESC",
            (to_db(since - KEEP_CLOSED),))
        live: dict[str, list[Campaign]] = {}
        for c in await self._with_groups(rows):
            for key in c.group_keys:
                live.setdefault(key, []).append(c)
        progress = await self.db.fetchall(
            f"""SELECT campaign_id, group_key, progress_at FROM campaign_groups
                WHERE campaign_id IN ({marks(len(rows))})""", [r["id"] for r in rows])
        self._progress = {(p["campaign_id"], p["group_key"]): from_db(p["progress_at"]) for p in progress}
        self._live = live

    async def recent(self, limit: int, group_keys: Sequence[str] | None = None) -> list[Campaign]:
        """The newest campaigns (touching these groups when given)."""
        if group_keys is None:
            rows = await self.db.fetchall("SELECT * FROM campaigns ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = await self.db.fetchall(
                f"""SELECT * FROM campaigns WHERE id IN (
                        SELECT campaign_id FROM campaign_groups
                        WHERE group_key IN ({marks(len(group_keys))}))
                    ORDER BY id DESC LIMIT ?""", (*group_keys, limit))
        return await self._with_groups(rows)

    async def answer(self, new: NewAnswer, now: datetime) -> Saved:
        """Save an answer; the voter's earlier answer is replaced."""
        at = to_db(now)
        async with self.db.tx():
            [row] = await self.db.fetchall(_ANSWER, (
                new.campaign_id, new.group_key, new.voter, new.household_id, new.address,
                new.option, new.people, new.platform, new.user_id, new.name, at, at))
        return Saved(row["answers"], row["previous"])

    async def answer_at(self, new: NewAnswer, address_key: str, now: datetime) -> tuple[Saved, int] | None:
        """Save an answer for the household at an address in one statement; None without one."""
        return await self._one_step(_ANSWER_AT, new, (new.group_key, address_key), now)

    async def _one_step(self, sql: str, new: NewAnswer, where: tuple[str, ...], now: datetime,
                        ) -> tuple[Saved, int] | None:
        at = to_db(now)
        async with self.db.tx():
            # execute_fetchall: one hop to the database thread instead of three.
            rows = list(await self.db.fetchall(sql, (
                new.campaign_id, new.option, new.people, new.platform, new.user_id, new.name, at,
                at, *where)))
        if not rows:
            return None
        return Saved(rows[0]["answers"], rows[0]["previous"]), rows[0]["household_id"]

    async def answer_as_member(self, new: NewAnswer, now: datetime) -> tuple[Saved, int] | None:
        """Save an answer for the sender's linked household in one statement; None without one."""
        return await self._one_step(_ANSWER_AS_MEMBER, new, (new.platform, new.user_id, new.group_key), now)

    async def people(self, campaign_id: int, *, except_voter: str = "") -> int:
        """People signed up so far, leaving one voter out (to check a sign-up's capacity)."""
        row = await self.db.fetchone(
            "SELECT coalesce(sum(people), 0) AS n FROM campaign_answers WHERE campaign_id = ? AND voter != ?",
            (campaign_id, except_voter))
        return int(row["n"]) if row else 0

    async def tally(self, campaign_id: int, group_keys: Sequence[str],
                    grid_keys: Sequence[str] | None = None) -> Tally:
        """Counts per option and households answered, in these groups (and grids, when given)."""
        if not group_keys or grid_keys == []:
            return Tally({}, 0, 0)
        where = f"group_key IN ({marks(len(group_keys))})"
        homes, params = where, [*group_keys]
        answers = f"campaign_id = ? AND {where}"
        if grid_keys is not None:
            # A grid worker's view: only answers of households in their grids count.
            homes += f" AND grid_key IN ({marks(len(grid_keys))})"
            params += grid_keys
            answers += f" AND household_id IN (SELECT id FROM households WHERE {homes})"
        answer_params = (campaign_id, *group_keys, *(params if grid_keys is not None else ()))
        rows = await self.db.fetchall(
            f"""SELECT option, count(*) AS n, sum(people) AS people FROM campaign_answers
                WHERE {answers} GROUP BY option""", answer_params)
        # Distinct households: two members of one household may both vote.
        counts = await self.db.fetchone(
            f"""SELECT (SELECT count(*) FROM households WHERE {homes}) AS households,
                       (SELECT count(DISTINCT household_id) FROM campaign_answers
                        WHERE {answers}) AS answered""",
            (*params, *answer_params))
        assert counts is not None
        options = {r["option"]: (r["n"], r["people"]) for r in rows}
        return Tally(options, counts["households"], counts["answered"])

    async def answers(self, campaign_id: int, group_keys: Sequence[str],
                      limit: int | None = None) -> list[Answer]:
        """The answers in these groups, by group and time."""
        if not group_keys:
            return []
        rows = await self.db.fetchall(
            f"""SELECT * FROM campaign_answers
                WHERE campaign_id = ? AND group_key IN ({marks(len(group_keys))})
                ORDER BY group_key, answered_at, voter LIMIT ?""",
            (campaign_id, *group_keys, -1 if limit is None else limit))
        return [_answer(r) for r in rows]

    async def missing(self, campaign_id: int, group_keys: Sequence[str],
                      limit: int | None = None, grid_keys: Sequence[str] | None = None) -> list[Household]:
        """Households of these groups (and grids, when given) that have not answered, by group
        and address."""
        if not group_keys or grid_keys == []:
            return []
        grids = "" if grid_keys is None else f"AND h.grid_key IN ({marks(len(grid_keys))})"
        rows = await self.db.fetchall(
            f"""SELECT * FROM households h WHERE h.group_key IN ({marks(len(group_keys))}) {grids}
                AND NOT EXISTS (SELECT 1 FROM campaign_answers a
                                WHERE a.campaign_id = ? AND a.household_id = h.id)
                ORDER BY h.group_key, h.address_key LIMIT ?""",
            (*group_keys, *(grid_keys or ()), campaign_id, -1 if limit is None else limit))
        return [household_row(r) for r in rows]

    async def sheet(self, campaign_id: int, group_keys: Sequence[str], *, page: int = 1000,
                    ) -> AsyncIterator[tuple[Household, Answer | None]]:
        """Every household of these groups with its answer (or None), page by page."""
        if not group_keys:
            return
        # Group by group (each an index search), keyset on (address, voter) within it: a
        # household with two voters (a vote) is two rows, and a page may end between them.
        for key in sorted(group_keys):
            after: tuple[str, str] = ("", "")
            while True:
                rows = await self.db.fetchall(
                    """SELECT h.*, a.group_key AS a_group, coalesce(a.voter, '') AS voter,
                              a.household_id AS a_household, a.address AS a_address, a.option,
                              a.people, a.name AS a_name, a.answered_at
                       FROM households h LEFT JOIN campaign_answers a
                            ON a.campaign_id = ? AND a.household_id = h.id
                       WHERE h.group_key = ? AND (h.address_key, coalesce(a.voter, '')) > (?, ?)
                       ORDER BY h.address_key, voter LIMIT ?""",
                    (campaign_id, key, *after, page))
                for r in rows:
                    answer = None if not r["voter"] else Answer(
                        r["a_group"], r["voter"], r["a_household"], r["a_address"], r["option"],
                        r["people"], r["a_name"], from_db(r["answered_at"]))
                    yield household_row(r), answer
                if len(rows) < page:
                    break
                after = (rows[-1]["address_key"], rows[-1]["voter"])

    def progress_at(self, campaign_id: int, group_key: str) -> datetime | None:
        """When a group last saw this campaign's progress line (from memory)."""
        return self._progress.get((campaign_id, group_key))

    async def mark_progress(self, campaign_id: int, group_key: str, now: datetime) -> None:
        """Record a progress line posted to a group."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE campaign_groups SET progress_at = ? WHERE campaign_id = ? AND group_key = ?",
                (to_db(now), campaign_id, group_key))
        self._progress[(campaign_id, group_key)] = now

    async def to_remind(self, until: datetime) -> list[Campaign]:
        """Open campaigns due at or before ``until`` that have not been reminded."""
        rows = await self.db.fetchall(
            """SELECT * FROM campaigns WHERE closed_at IS NULL AND deadline IS NOT NULL
               AND deadline <= ? AND reminded_at IS NULL ORDER BY deadline, id""", (to_db(until),))
        return await self._with_groups(rows)

    async def mark_reminded(self, campaign_id: int, now: datetime) -> None:
        """Record the reminder."""
        async with self.db.tx():
            await self.db.execute("UPDATE campaigns SET reminded_at = ? WHERE id = ?",
                                  (to_db(now), campaign_id))

    async def due(self, now: datetime) -> list[Campaign]:
        """Open campaigns whose deadline has come."""
        rows = await self.db.fetchall(
            """SELECT * FROM campaigns WHERE closed_at IS NULL AND deadline IS NOT NULL
               AND deadline <= ? ORDER BY deadline, id""", (to_db(now),))
        return await self._with_groups(rows)

    async def close(self, campaign_id: int, now: datetime) -> bool:
        """Close a campaign; False if it was closed already."""
        async with self.db.tx():
            cur = await self.db.execute(
                "UPDATE campaigns SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (to_db(now), campaign_id))
        self._live = None
        return cur.rowcount == 1

    async def undigested(self) -> list[Campaign]:
        """Closed campaigns not yet in a digest, oldest first."""
        rows = await self.db.fetchall(
            """SELECT * FROM campaigns WHERE closed_at IS NOT NULL AND digested_at IS NULL
               ORDER BY closed_at, id""")
        return await self._with_groups(rows)

    async def mark_digested(self, campaign_ids: Sequence[int], now: datetime) -> None:
        """Record that these closings went into the digests."""
        if not campaign_ids:
            return
        async with self.db.tx():
            await self.db.execute(
                f"UPDATE campaigns SET digested_at = ? WHERE id IN ({marks(len(campaign_ids))})",
                (to_db(now), *campaign_ids))
