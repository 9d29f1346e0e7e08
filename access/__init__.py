"""Who may sign in, what each role may see, and the append-only audit trail of what was done.

Uses the warehouse (accounts, sessions and the trail are tables of it), never the dashboard.
"""
