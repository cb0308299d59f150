"""Households and members in SQLite (the protocols: :mod:`bot.store.households`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any, cast

from bot.store.households import (
    TAG_SEPARATOR,
    Household,
    HouseholdData,
    JoinRate,
    Member,
    MemberStatus,
)
from bot.store.sqlite.base import Database, from_db, to_db

_SAVE = """INSERT INTO households (group_key, address_key, address, head, phone, members, tags,
                                   grid_key, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (group_key, address_key) DO UPDATE SET
               address = excluded.address, head = excluded.head, phone = excluded.phone,
               members = excluded.members, tags = excluded.tags, grid_key = excluded.grid_key,
               updated_at = excluded.updated_at
           RETURNING id"""


def _params(d: HouseholdData, now: datetime) -> tuple[Any, ...]:
    at = to_db(now)
    return (d.group_key, d.address_key, d.address, d.head, d.phone, d.members,
            TAG_SEPARATOR.join(d.tags), d.grid_key, at, at)


def _household(r: Any) -> Household:
    tags = tuple(t for t in r["tags"].split(TAG_SEPARATOR) if t)
    return Household(r["id"], r["group_key"], r["address_key"], r["address"], r["head"], r["phone"],
                     r["members"], tags, r["grid_key"], from_db(r["created_at"]),
                     from_db(r["updated_at"]))


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _member(r: Any) -> Member:
    def at(key: str) -> datetime | None:
        return from_db(r[key]) if r[key] else None

    return Member(r["id"], r["platform"], r["user_id"], r["group_key"], r["name"], r["real_name"],
                  r["address_key"], r["address"], r["household_id"], cast(MemberStatus, r["status"]),
                  bool(r["via_request"]), r["reply_chat"], from_db(r["joined_at"]),
                  at("registered_at"), at("decided_at"), r["decided_by"], r["reason"],
                  at("reminded_at"))


class SqliteHouseholdRepo:
    """The ``households`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def save(self, data: HouseholdData, now: datetime) -> tuple[Household, bool]:
        """Add a household or update the one at the same (group, address); True if added."""
        async with self.db.tx():
            before = await self.find(data.group_key, data.address_key)
            row = await self.db.fetchone(_SAVE, _params(data, now))
        assert row is not None
        saved = await self.get(row["id"])
        assert saved is not None
        return saved, before is None

    async def save_many(self, rows: Sequence[HouseholdData], now: datetime) -> tuple[int, int]:
        """Save rows in one transaction (an import); returns (added, updated)."""
        async with self.db.tx():
            before = await self.db.fetchone("SELECT count(*) AS n FROM households")
            await self.db.executemany(_SAVE.removesuffix(" RETURNING id"),
                                      [_params(d, now) for d in rows])
            after = await self.db.fetchone("SELECT count(*) AS n FROM households")
        assert before is not None and after is not None
        added = after["n"] - before["n"]
        return added, len(rows) - added

    async def get(self, household_id: int) -> Household | None:
        """One household by id."""
        row = await self.db.fetchone("SELECT * FROM households WHERE id = ?", (household_id,))
        return _household(row) if row else None

    async def find(self, group_key: str, address_key: str) -> Household | None:
        """The household at a normalised address in a group."""
        row = await self.db.fetchone(
            "SELECT * FROM households WHERE group_key = ? AND address_key = ?", (group_key, address_key))
        return _household(row) if row else None

    async def of_sender(self, platform: str, user_id: str, group_key: str,
                        address_key: str | None) -> Household | None:
        """The sender's registered household, else the one at the address: one statement."""
        rows = await self.db.fetchall(
            """SELECT h.*, 0 AS pick FROM members m LEFT JOIN households h ON h.id = m.household_id
                WHERE m.platform = ? AND m.user_id = ? AND m.group_key = ? AND m.household_id IS NOT NULL
               UNION ALL
               SELECT h.*, 1 FROM households h WHERE ? IS NOT NULL AND h.group_key = ? AND h.address_key = ?
               ORDER BY pick LIMIT 1""",
            (platform, user_id, group_key, address_key, group_key, address_key))
        if not rows or rows[0]["id"] is None:  # none, or a registration whose household is gone
            return None
        return _household(rows[0])

    async def find_address(self, group_keys: Sequence[str], address_key: str) -> list[Household]:
        """The households at a normalised address in any of these groups, by group."""
        if not group_keys:
            return []
        rows = await self.db.fetchall(
            f"""SELECT * FROM households WHERE address_key = ? AND group_key IN ({_marks(len(group_keys))})
                ORDER BY group_key""", (address_key, *group_keys))
        return [_household(r) for r in rows]

    async def delete(self, household_id: int) -> bool:
        """Remove a household (its members stay, unlinked); False if there was none."""
        async with self.db.tx():
            await self.db.execute("UPDATE members SET household_id = NULL WHERE household_id = ?",
                                  (household_id,))
            cur = await self.db.execute("DELETE FROM households WHERE id = ?", (household_id,))
            return cur.rowcount == 1

    async def count(self, group_keys: Sequence[str] | None = None) -> int:
        """How many households in these groups (all groups when None)."""
        if group_keys is None:
            row = await self.db.fetchone("SELECT count(*) AS n FROM households")
        else:
            row = await self.db.fetchone(
                f"SELECT count(*) AS n FROM households WHERE group_key IN ({_marks(len(group_keys))})",
                tuple(group_keys))
        return int(row["n"]) if row else 0

    async def scan(self, group_keys: Sequence[str] | None = None, *, page: int = 1000,
                   ) -> AsyncIterator[Household]:
        """Every household in these groups (all when None), by group and address, page by page."""
        where = "" if group_keys is None else f"AND group_key IN ({_marks(len(group_keys))})"
        after: tuple[str, str] = ("", "")
        while True:
            rows = await self.db.fetchall(
                f"""SELECT * FROM households WHERE (group_key, address_key) > (?, ?) {where}
                    ORDER BY group_key, address_key LIMIT ?""",
                (*after, *(group_keys or ()), page))
            for row in rows:
                yield _household(row)
            if len(rows) < page:
                return
            after = (rows[-1]["group_key"], rows[-1]["address_key"])

    async def join_rates(self, group_keys: Sequence[str]) -> list[JoinRate]:
        """Households and households with a linked member, per group, in the order given."""
        if not group_keys:
            return []
        rows = await self.db.fetchall(
            f"""SELECT h.group_key, count(*) AS households,
                       sum(EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id
                                   AND m.status = 'approved')) AS joined
                FROM households h WHERE h.group_key IN ({_marks(len(group_keys))})
                GROUP BY h.group_key""", tuple(group_keys))
        found = {r["group_key"]: JoinRate(r["group_key"], r["households"], r["joined"]) for r in rows}
        return [found.get(key, JoinRate(key, 0, 0)) for key in group_keys]

    async def unjoined(self, group_keys: Sequence[str], limit: int | None = None,
                       offset: int = 0) -> list[Household]:
        """Households with nobody linked in the group, by group and address (``offset`` pages on)."""
        if not group_keys:
            return []
        rows = await self.db.fetchall(
            f"""SELECT * FROM households h WHERE h.group_key IN ({_marks(len(group_keys))})
                AND NOT EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id
                                AND m.status = 'approved')
                ORDER BY h.group_key, h.address_key LIMIT ? OFFSET ?""",
            (*group_keys, -1 if limit is None else limit, offset))
        return [_household(r) for r in rows]

    async def in_grid(self, grid_key: str) -> list[Household]:
        """The households of one grid."""
        rows = await self.db.fetchall(
            "SELECT * FROM households WHERE grid_key = ? ORDER BY group_key, address_key", (grid_key,))
        return [_household(r) for r in rows]


class SqliteMemberRepo:
    """The ``members`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def joined(self, platform: str, user_id: str, group_key: str, name: str, now: datetime,
                     *, via_request: bool = False, reply_chat: str = "") -> tuple[Member, bool]:
        """Someone joined (or asked to join) a group; True if new. A rejoin keeps its link."""
        async with self.db.tx():
            before = await self.find(platform, user_id, group_key)
            row = await self.db.fetchone(
                """INSERT INTO members (platform, user_id, group_key, name, status, via_request,
                                        reply_chat, joined_at)
                   VALUES (?, ?, ?, ?, 'joined', ?, ?, ?)
                   ON CONFLICT (platform, user_id, group_key) DO UPDATE SET
                       name = excluded.name,
                       via_request = excluded.via_request AND members.status != 'approved',
                       reply_chat = CASE WHEN excluded.reply_chat != '' THEN excluded.reply_chat
                                         ELSE members.reply_chat END
                   RETURNING id""",
                (platform, user_id, group_key, name, int(via_request), reply_chat, to_db(now)))
        assert row is not None
        return await self._reread(row["id"]), before is None

    async def register(self, member: Member, real_name: str, address_key: str, address: str,
                       household_id: int | None, now: datetime) -> Member:
        """The person asked to be registered by real name: pending the owner's decision."""
        async with self.db.tx():
            await self.db.execute(
                """UPDATE members SET real_name = ?, address_key = ?, address = ?, household_id = ?,
                       status = 'pending', registered_at = ?, decided_at = NULL, decided_by = '',
                       reason = '' WHERE id = ?""",
                (real_name, address_key, address, household_id, to_db(now), member.id))
        return await self._reread(member.id)

    async def decide(self, member: Member, *, approve: bool, household_id: int | None, who: str,
                     reason: str, now: datetime) -> Member:
        """An owner approved (linking ``household_id``) or rejected a registration."""
        async with self.db.tx():
            await self.db.execute(
                """UPDATE members SET status = ?, household_id = ?, decided_at = ?, decided_by = ?,
                       reason = ? WHERE id = ?""",
                ("approved" if approve else "rejected", household_id if approve else None,
                 to_db(now), who, reason, member.id))
        return await self._reread(member.id)

    async def _reread(self, member_id: int) -> Member:
        member = await self.get(member_id)
        assert member is not None
        return member

    async def get(self, member_id: int) -> Member | None:
        """One member by id (the number of its J code)."""
        row = await self.db.fetchone("SELECT * FROM members WHERE id = ?", (member_id,))
        return _member(row) if row else None

    async def find(self, platform: str, user_id: str, group_key: str) -> Member | None:
        """A person's membership of one group."""
        row = await self.db.fetchone(
            "SELECT * FROM members WHERE platform = ? AND user_id = ? AND group_key = ?",
            (platform, user_id, group_key))
        return _member(row) if row else None

    async def of_person(self, platform: str, user_id: str) -> list[Member]:
        """Every group a person is known in, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM members WHERE platform = ? AND user_id = ? ORDER BY joined_at DESC, id DESC",
            (platform, user_id))
        return [_member(r) for r in rows]

    async def linked(self, household_ids: Sequence[int]) -> list[Member]:
        """The approved members of these households."""
        if not household_ids:
            return []
        rows = await self.db.fetchall(
            f"""SELECT * FROM members WHERE household_id IN ({_marks(len(household_ids))})
                AND status = 'approved' ORDER BY household_id, id""", tuple(household_ids))
        return [_member(r) for r in rows]

    async def in_groups(self, group_keys: Sequence[str], statuses: Sequence[MemberStatus],
                        limit: int | None = None) -> list[Member]:
        """Members of these groups in these states, oldest first."""
        if not group_keys or not statuses:
            return []
        rows = await self.db.fetchall(
            f"""SELECT * FROM members WHERE group_key IN ({_marks(len(group_keys))})
                AND status IN ({_marks(len(statuses))}) ORDER BY joined_at, id LIMIT ?""",
            (*group_keys, *statuses, -1 if limit is None else limit))
        return [_member(r) for r in rows]

    async def to_remind(self, older_than: datetime, limit: int = 500) -> list[Member]:
        """Joined but never registered since before ``older_than`` and not yet reminded."""
        rows = await self.db.fetchall(
            """SELECT * FROM members WHERE status = 'joined' AND reminded_at IS NULL
               AND joined_at <= ? ORDER BY joined_at, id LIMIT ?""", (to_db(older_than), limit))
        return [_member(r) for r in rows]

    async def mark_reminded(self, member_ids: Sequence[int], now: datetime) -> None:
        """Record that these members were reminded once."""
        if not member_ids:
            return
        async with self.db.tx():
            await self.db.execute(
                f"UPDATE members SET reminded_at = ? WHERE id IN ({_marks(len(member_ids))})",
                (to_db(now), *member_ids))
