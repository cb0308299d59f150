-- A reply may carry a platform action, done before its text is sent: JSON such as
-- {"join": {"user_id": "42", "approve": true, "name": "王五"}} (approve or decline a join
-- request); NULL for a plain message. Kept in the row, so it survives a restart like the text.
ALTER TABLE outbox ADD COLUMN action TEXT;

-- Where the bot may write to the sender of an event privately when that is not their own
-- private chat: Telegram's user_chat_id of a join request. NULL for everything else.
ALTER TABLE messages ADD COLUMN reply_chat_id TEXT;
