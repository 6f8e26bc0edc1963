-- One schema for SQLite and PostgreSQL: TEXT, BIGINT and plain constraints only.

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    did TEXT NOT NULL UNIQUE,
    -- JSON array of the credential types the tenant may issue.
    allowed_types TEXT NOT NULL,
    -- 1: the audit log keeps the subject's claims; 0: it does not.
    audit_claims BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tenant_keys (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    key_id TEXT NOT NULL,
    public_multikey TEXT NOT NULL,
    -- The secret Multikey sealed under the key-encryption key (local keys),
    -- or NULL when the key lives in an HSM (then hsm_label names it).
    sealed_secret TEXT,
    hsm_label TEXT,
    -- 1 for the key that signs; retired keys stay in the DID document.
    active BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key_id)
);

CREATE TABLE api_keys (
    -- SHA-256 (hex) of the key: the key itself is shown once and never stored.
    digest TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    -- Space-separated: issue, status, admin.
    scopes TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE status_lists (
    url TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    seq BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    entries BIGINT NOT NULL,
    -- Bumped by every status change: the published list is re-signed then.
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, purpose, seq)
);

CREATE TABLE status_entries (
    list_url TEXT NOT NULL REFERENCES status_lists (url),
    idx BIGINT NOT NULL,
    status BIGINT NOT NULL,
    credential_id TEXT NOT NULL,
    PRIMARY KEY (list_url, idx)
);

CREATE INDEX status_entries_by_credential ON status_entries (credential_id);

CREATE TABLE credentials (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id TEXT NOT NULL,
    types TEXT NOT NULL,
    -- SHA-256 (hex) of the issued credential as returned.
    digest TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    idempotency_key TEXT,
    -- SHA-256 (hex) of the request an idempotency key was first used with.
    request_digest TEXT,
    -- The issued credential, kept only for idempotent replay and GET.
    body TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    -- Nanoseconds since 1970 when written: the log's order.
    recorded BIGINT NOT NULL,
    tenant_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    credential_id TEXT,
    credential_type TEXT,
    list_url TEXT,
    idx BIGINT,
    digest TEXT,
    claims TEXT
);

CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, recorded);
