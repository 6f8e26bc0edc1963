-- Bumped by every change of a tenant's row after its creation (its allowed
-- credential types): running instances compare its sum with the one they
-- loaded, so a change made by the command line reaches them all.
ALTER TABLE tenants ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
