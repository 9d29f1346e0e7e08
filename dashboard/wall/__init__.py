"""The command-room wall: its pages, charts and alert strip."""
