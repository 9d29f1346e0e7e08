-- Local accounts, their sign-in sessions, and the append-only audit trail (see access/). Times are UTC.
CREATE TABLE access_users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,            -- access.roles.ROLES
    password_hash VARCHAR NOT NULL,   -- Argon2id
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,  -- since the last good sign-in or unlock
    locked_until TIMESTAMP                        -- NULL: not locked
);
CREATE TABLE access_sessions (
    id_hash VARCHAR PRIMARY KEY,      -- SHA-256 of the session id; the id itself is only in the cookie
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,    -- absolute end
    client_address VARCHAR,
    revoked_at TIMESTAMP
);
-- Written by access.audit.append only; each row's hash chains over the previous row's, so an edit shows.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL,             -- a user name, "token", "cli:<os user>" or "-"
    role VARCHAR,
    action VARCHAR NOT NULL,
    target VARCHAR,
    detail VARCHAR,                   -- JSON
    client_address VARCHAR,
    user_agent VARCHAR,
    prev_hash VARCHAR NOT NULL,
    row_hash VARCHAR NOT NULL
);
