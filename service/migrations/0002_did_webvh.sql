-- Tenants whose DID is a did:webvh: the key that signs their DID log, and
-- the log. TEXT, BIGINT and plain constraints only (SQLite and PostgreSQL).

CREATE TABLE did_update_keys (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
    -- The key's name in the sealed secret's associated data (`update-1`).
    key_id TEXT NOT NULL,
    public_multikey TEXT NOT NULL,
    -- The secret Multikey sealed under the key-encryption key.
    sealed_secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE did_log_entries (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    -- The entry's version number (1, 2, …): of two changes made at once
    -- from the same log, only one can commit its entry.
    version BIGINT NOT NULL,
    -- The entry as signed: one line of JSON, without its newline.
    entry TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);
