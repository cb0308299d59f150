-- A group registered with 绑定 names its parent (上级), so district notices and escalations reach it.
ALTER TABLE bound_groups ADD COLUMN parent TEXT NOT NULL DEFAULT ''
