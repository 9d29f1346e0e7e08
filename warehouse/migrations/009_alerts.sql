-- Alerts about sources' states, per source and channel (webhook, email): the state last told, so that a restart
-- neither repeats a message nor tells again a state already told, and a delivery still owed after a failure.
CREATE TABLE alert_state (
    source VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    state VARCHAR,                      -- the state last told (or seen since, needing no message); NULL: none yet
    told_at TIMESTAMP,                  -- UTC; NULL when nothing was delivered yet
    attempts INTEGER NOT NULL DEFAULT 0, -- failed deliveries of the change now owed
    next_attempt_at TIMESTAMP,          -- UTC: not before this instant
    last_error VARCHAR,                 -- why the latest delivery failed (secrets masked)
    PRIMARY KEY (source, channel)
);
