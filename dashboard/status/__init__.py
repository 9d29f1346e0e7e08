"""/status, the operators' page: every source's state and runs, its rejects, recomputes, the system, the operators'
actions (load now, backfill, pause, resume), uploads previewed before they load, and the audit trail."""
