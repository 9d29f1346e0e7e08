"""`python -m simulator.child SETTINGS_JSON`: the simulated OPD systems in a process of their own.

The embedded default runs them beside the server, as real OPD systems run beside Pantau: their history, their
HTTP server and their sync thread then cost the server neither memory nor the interpreter lock. The first line
on stdout is the connections as JSON (or {"error": ...} when the systems cannot start); the process ends when its stdin closes (the parent stopped or died).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path

from simulator.systems import SOURCES, SimulatedOPDs


def main() -> None:
    settings = json.loads(sys.argv[1])
    # Ctrl-C reaches the whole process group; the parent decides when the simulator stops (by closing stdin).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sim = SimulatedOPDs(Path(settings["data_dir"]), seed=settings["seed"], history_days=settings["history_days"],
                        port=settings["port"], sync_every_s=settings["sync_every_s"], absensi_export=settings.get("absensi_export", "harian"))
    try:
        sim.start()
    except Exception as exc:  # said on stdout, so the server can say why (a port taken, a folder not writable)
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
        sys.exit(1)
    try:
        connections = {name: {k: str(v) if isinstance(v, Path) else v for k, v in sim.connection(name).items()} for name in SOURCES}
        print(json.dumps(connections), flush=True)
        sys.stdin.read()  # until the parent closes the pipe
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
