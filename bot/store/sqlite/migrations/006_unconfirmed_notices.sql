-- A plain 收到 from an owner looks up what their groups have not confirmed yet.
CREATE INDEX notice_deliveries_unconfirmed ON notice_deliveries (group_key, notice_id)
    WHERE confirmed_at IS NULL AND state = 'queued';
