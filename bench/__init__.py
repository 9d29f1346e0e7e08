"""`make bench`: speed and size figures of Pantau on the embedded default, measured on this machine."""
