-- A one-off schedule is finished once its notice is published (or its time passed beyond the
-- grace period while the bot was down): it is then never re-armed on a restart.
ALTER TABLE notice_schedules ADD COLUMN finished_at TEXT;
