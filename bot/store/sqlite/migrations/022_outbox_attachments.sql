-- A reply may carry a file (a chart, a spreadsheet): JSON such as
-- {"path": "data/reports/charts/x.png", "name": "工单走势.png", "mime": "image/png", "group_safe": true}.
-- The path, not the bytes: the file stays under data/ until it is sent, and a row stays small.
-- NULL for a reply without a file.
ALTER TABLE outbox ADD COLUMN attachment TEXT;
