"""Daily check-ins in SQLite (the protocol: :mod:`bot.store.care`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from bot.store.care import Answer, CheckIn
from bot.store.households import TAG_SEPARATOR, Household
from bot.store.sqlite.base import Database, from_db, to_db
from bot.store.sqlite.households import _household, _marks

_SEP = TAG_SEPARATOR
_SLICE = 900


def _checkin(r: Any) -> CheckIn:
    return CheckIn(r["id"], r["day"], r["household_id"], r["platform"], r["user_id"],
                   from_db(r["asked_at"]), cast(Answer, r["answer"]),
                   from_db(r["answered_at"]) if r["answered_at"] else None, r["ticket_code"])


class SqliteCareRepo:
    """The ``care_checkins`` table."""

    def __init__(self, db: Database):
        self.db = db

    async def tagged(self, tags: Sequence[str]) -> list[Household]:
        """Households carrying any of these tags, by group and address."""
        if not tags:
            return []
        # Tags are one '、'-joined column: wrapping it in separators matches whole tags only.
        match = " OR ".join(["instr(? || tags || ?, ?) > 0"] * len(tags))
        params = [p for t in tags for p in (_SEP, _SEP, f"{_SEP}{t}{_SEP}")]
        rows = await self.db.fetchall(
            f"SELECT * FROM households WHERE tags != '' AND ({match}) ORDER BY group_key, address_key",
            params)
        return [_household(r) for r in rows]

    async def ask(self, day: str, household_id: int, platform: str, user_id: str,
                  now: datetime) -> bool:
        """Record that a member is asked about a household today; False if already asked."""
        async with self.db.tx():
            cur = await self.db.execute(
                """INSERT INTO care_checkins (day, household_id, platform, user_id, asked_at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (day, household_id, platform, user_id, to_db(now)))
        return cur.rowcount == 1

    async def of_person(self, platform: str, user_id: str, day: str) -> list[CheckIn]:
        """The check-ins a person was asked on ``day``, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM care_checkins WHERE platform = ? AND user_id = ? AND day = ? ORDER BY id",
            (platform, user_id, day))
        return [_checkin(r) for r in rows]

    async def answer(self, checkin: CheckIn, answer: Answer, now: datetime) -> CheckIn:
        """Record (or change) a member's answer."""
        async with self.db.tx():
            await self.db.execute("UPDATE care_checkins SET answer = ?, answered_at = ? WHERE id = ?",
                                  (answer, to_db(now), checkin.id))
            row = await self.db.fetchone("SELECT * FROM care_checkins WHERE id = ?", (checkin.id,))
        assert row is not None
        return _checkin(row)

    async def set_ticket(self, day: str, household_id: int, code: str) -> None:
        """Remember the urgent errand opened for a household today (on all its check-ins)."""
        async with self.db.tx():
            await self.db.execute(
                "UPDATE care_checkins SET ticket_code = ? WHERE day = ? AND household_id = ?",
                (code, day, household_id))

    async def ticket_of(self, day: str, household_id: int) -> str:
        """The urgent errand opened for a household today, or ``""``."""
        row = await self.db.fetchone(
            """SELECT ticket_code FROM care_checkins WHERE day = ? AND household_id = ?
               AND ticket_code != '' LIMIT 1""", (day, household_id))
        return str(row["ticket_code"]) if row else ""

    async def answered(self, day: str, household_ids: Sequence[int]) -> set[int]:
        """Which of these households someone answered for on ``day``."""
        return await self._households(day, household_ids, "AND answer != ''")

    async def asked(self, day: str, household_ids: Sequence[int]) -> set[int]:
        """Which of these households someone was asked about on ``day``."""
        return await self._households(day, household_ids, "")

    async def _households(self, day: str, household_ids: Sequence[int], where: str) -> set[int]:
        out: set[int] = set()
        # In slices: SQLite caps the number of parameters of one statement.
        for start in range(0, len(household_ids), _SLICE):
            ids = household_ids[start:start + _SLICE]
            rows = await self.db.fetchall(
                f"""SELECT DISTINCT household_id FROM care_checkins WHERE day = ?
                    AND household_id IN ({_marks(len(ids))}) {where}""", (day, *ids))
            out.update(r["household_id"] for r in rows)
        return out
