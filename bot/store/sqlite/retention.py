"""Retention in SQL (the rules are in :mod:`bot.store.retention`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.retention import ANONYMOUS, scrub
from bot.store.sqlite.base import Database, to_db
from bot.tickets import FINAL

_CLOSED = "status IN (" + ", ".join(f"'{s}'" for s in sorted(FINAL)) + ")"
#: Rows whose raw text may go: handled, not yet purged, received before the cut-off.
_OLD_MESSAGES = "purged_at IS NULL AND received_at < ? AND handled_at IS NOT NULL"
#: Copies of what the bot sent (delivered or given up on), created before the cut-off.
_OLD_SENT = ("(text != '' OR action IS NOT NULL) AND created_at < ? "
             "AND status IN ('sent', 'failed')")
#: Tickets closed and untouched since before the cut-off, not yet anonymised.
_OLD_TICKETS = f"anonymised_at IS NULL AND {_CLOSED} AND updated_at < ?"
#: Answers to campaigns closed before the cut-off still naming their voter: a range of the
#: primary key (campaign_id, voter) per campaign, empty once a campaign is done.
_OLD_ANSWERS = ("FROM campaigns c JOIN campaign_answers a ON a.campaign_id = c.id "
                f"WHERE c.closed_at < ? AND a.voter < '{ANONYMOUS}'")
#: Answered (or turned down) residents' questions asked before the cut-off that still hold their
#: words (the partial index ``tickets_questions_to_purge``).
_OLD_QUESTIONS = ("FROM tickets WHERE kind = 'question' AND text != '' AND status IN ('done', 'rejected') "
                  "AND created_at < ?")
#: Duties of checkpoint shifts that ended before the cut-off and still hold a phone number
#: (index roster_shifts_start: a shift ends within a day of its start).
_OLD_DUTIES = ("FROM roster_duties WHERE phone != '' AND shift_id IN "
               "(SELECT id FROM roster_shifts WHERE start_at < ? AND end_at < ?)")
_BLANK_MESSAGE = ("text = '', sender_name = '', sender_id = '', chat_title = '', reply_chat_id = NULL, "
                  "purged_at = ?")


class SqliteRetentionRepo:
    """Counting and doing the ``[privacy]`` work over messages, tickets, campaign answers and check-ins."""

    def __init__(self, db: Database):
        self.db = db

    async def count_messages(self, before: datetime) -> int:
        """Handled messages received before ``before`` whose text is still kept."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM messages WHERE {_OLD_MESSAGES}",
                                     (to_db(before),))
        return int(row["n"]) if row else 0

    async def count_outbox(self, before: datetime) -> int:
        """Sent (or failed) replies created before ``before`` whose text is still kept."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM outbox WHERE {_OLD_SENT}",
                                     (to_db(before),))
        return int(row["n"]) if row else 0

    async def count_tickets(self, before: datetime) -> int:
        """Closed tickets last changed before ``before`` and not yet anonymised."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM tickets WHERE {_OLD_TICKETS}",
                                     (to_db(before),))
        return int(row["n"]) if row else 0

    async def purge_messages(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank the text, names and title of up to ``limit`` old messages; returns how many."""
        async with self.db.tx():
            cur = await self.db.execute(
                f"""UPDATE messages SET {_BLANK_MESSAGE} WHERE id IN
                      (SELECT id FROM messages WHERE {_OLD_MESSAGES} LIMIT ?)""",
                (to_db(now), to_db(before), limit),
            )
            return cur.rowcount

    async def purge_outbox(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank the text, mentions, action and file of up to ``limit`` old sent replies; pending ones stay."""
        async with self.db.tx():
            cur = await self.db.execute(
                f"""UPDATE outbox SET text = '', mentions = '[]', action = NULL, attachment = NULL WHERE id IN
                      (SELECT id FROM outbox WHERE {_OLD_SENT} LIMIT ?)""",
                (to_db(before), limit),
            )
            return cur.rowcount

    async def anonymise_tickets(self, before: datetime, now: datetime, limit: int) -> int:
        """Mask phone/ID numbers and drop the address of up to ``limit`` closed tickets."""
        async with self.db.tx():
            rows = await self.db.fetchall(
                f"""SELECT id, text, address, assignee, message_id FROM tickets
                    WHERE {_OLD_TICKETS} ORDER BY updated_at LIMIT ?""",
                (to_db(before), limit),
            )
            if not rows:
                return 0
            stamp = to_db(now)
            address = {r["id"]: r["address"] for r in rows}
            ids = ",".join(str(int(r["id"])) for r in rows)  # integers from the table itself
            events = await self.db.fetchall(
                f"SELECT id, ticket_id, note FROM ticket_events WHERE ticket_id IN ({ids}) AND note != ''")
            notes = [(note, ev["id"]) for ev in events
                     if (note := scrub(ev["note"], address[ev["ticket_id"]])) != ev["note"]]
            await self.db.executemany(
                "UPDATE tickets SET text = ?, assignee = ?, address = '', anonymised_at = ? WHERE id = ?",
                [(scrub(r["text"], r["address"]), scrub(r["assignee"], r["address"]), stamp, r["id"])
                 for r in rows],
            )
            await self.db.executemany("UPDATE ticket_events SET note = ? WHERE id = ?", notes)
            comments = [(c, r["ticket_id"]) for r in await self.db.fetchall(
                f"SELECT ticket_id, comment FROM ratings WHERE ticket_id IN ({ids}) AND comment != ''")
                if (c := scrub(r["comment"], address[r["ticket_id"]])) != r["comment"]]
            await self.db.executemany("UPDATE ratings SET comment = ? WHERE ticket_id = ?", comments)
            sources = ",".join(str(int(r["message_id"])) for r in rows if r["message_id"] is not None)
            if sources:  # the raw requests say the same things
                await self.db.execute(
                    f"UPDATE messages SET {_BLANK_MESSAGE} WHERE id IN ({sources}) "
                    "AND purged_at IS NULL AND handled_at IS NOT NULL", (stamp,))
            return len(rows)

    async def count_answers(self, before: datetime) -> int:
        """Answers to campaigns closed before ``before`` that still say who gave them."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n {_OLD_ANSWERS}", (to_db(before),))
        return int(row["n"]) if row else 0

    async def count_questions(self, before: datetime) -> int:
        """Residents' questions (政策问答 Q<n>) asked before ``before`` that still hold their text."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n {_OLD_QUESTIONS}", (to_db(before),))
        return int(row["n"]) if row else 0

    async def purge_questions(self, before: datetime, limit: int) -> int:
        """Blank the text and asker's name of up to ``limit`` such questions.

        The answer stays in the history (it is the community's, and may be an FAQ entry now);
        the code, the group and the times stay, so ledgers and reports still add up. An open
        question keeps its words until it is answered.
        """
        async with self.db.tx():
            cur = await self.db.execute(
                f"""UPDATE tickets SET text = '', requester_name = ''
                    WHERE id IN (SELECT id {_OLD_QUESTIONS} ORDER BY created_at LIMIT ?)""",
                (to_db(before), limit))
            return cur.rowcount

    async def count_roster_phones(self, before: datetime) -> int:
        """Phones on checkpoint duties of shifts that ended before ``before``."""
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n {_OLD_DUTIES}", (to_db(before), to_db(before)))
        return int(row["n"]) if row else 0

    async def purge_roster_phones(self, before: datetime, limit: int) -> int:
        """Blank the phone of up to ``limit`` such duties (who stood which shift stays)."""
        async with self.db.tx():
            cur = await self.db.execute(
                f"UPDATE roster_duties SET phone = '' WHERE id IN (SELECT id {_OLD_DUTIES} LIMIT ?)",
                (to_db(before), to_db(before), limit))
            return cur.rowcount

    async def count_checkins(self, before_day: str) -> int:
        """Care check-ins of local days before ``before_day`` (``YYYY-MM-DD``)."""
        row = await self.db.fetchone("SELECT COUNT(*) AS n FROM care_checkins WHERE day < ?",
                                     (before_day,))
        return int(row["n"]) if row else 0

    async def anonymise_answers(self, before: datetime, now: datetime, limit: int) -> int:
        """Blank name and address and replace the voter and user id of up to ``limit`` answers to
        campaigns closed before ``before`` by a placeholder unique in the campaign (counts stay)."""
        async with self.db.tx():
            rows = await self.db.fetchall(
                f"SELECT a.campaign_id, a.voter {_OLD_ANSWERS} ORDER BY c.id, a.voter LIMIT ?",
                (to_db(before), limit))
            taken: dict[int, int] = {}
            for cid in dict.fromkeys(r["campaign_id"] for r in rows):
                # Placeholders so far in this campaign (an earlier batch may have stopped inside it).
                done = await self.db.fetchone(
                    "SELECT COUNT(*) AS n FROM campaign_answers WHERE campaign_id = ? AND voter >= ?",
                    (cid, ANONYMOUS))
                taken[cid] = int(done["n"]) if done else 0
            changes = []
            for r in rows:
                taken[r["campaign_id"]] += 1
                placeholder = f"{ANONYMOUS}{taken[r['campaign_id']]}"
                changes.append((placeholder, placeholder, r["campaign_id"], r["voter"]))
            # The household link stays: it holds no name, and the report counts households by it.
            await self.db.executemany(
                """UPDATE campaign_answers SET voter = ?, user_id = ?, name = '', address = ''
                   WHERE campaign_id = ? AND voter = ?""", changes)
            return len(rows)

    async def delete_checkins(self, before_day: str, limit: int) -> int:
        """Delete up to ``limit`` care check-ins of local days before ``before_day``."""
        async with self.db.tx():
            cur = await self.db.execute(
                """DELETE FROM care_checkins WHERE id IN
                      (SELECT id FROM care_checkins WHERE day < ? LIMIT ?)""", (before_day, limit))
            return cur.rowcount
