"""Which headless Chromium printers this test process left running: its own descendants only, since another test
worker or another Pantau on the machine may be printing at the same moment."""

from __future__ import annotations

import glob
import os
from pathlib import Path


def our_printers() -> list[str]:
    """Command lines of this process's descendants that use one of the printer's temporary folders."""
    parents, lines = {}, {}
    for proc in glob.glob("/proc/[0-9]*"):
        try:
            stat = Path(proc, "stat").read_text()
            lines[int(proc[6:])] = Path(proc, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        parents[int(proc[6:])] = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the command's name

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    return [text for pid, text in lines.items() if "pantau-pdf-" in text and ours(pid)]
