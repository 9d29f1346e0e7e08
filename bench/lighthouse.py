"""Lighthouse's accessibility score of the analysis page on a server on the embedded default, offline on 127.0.0.1.

Lighthouse is pinned in bench/lighthouse (package.json and package-lock.json; `npm ci` installs it into its
git-ignored node_modules) and drives Debian's Chromium. The page is /analisis where the server has it, else
/paparan, and the figures say which. `python -m bench lighthouse [PATH ...]` measures other pages too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from region.paths import PROJECT_ROOT
from support.serverproc import ServerProcess

HERE = Path(__file__).parent / "lighthouse"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ("/analisis", "/paparan")  # the first that the server answers is measured
PORT = 8231
TARGET = 0.95
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update"


def installed() -> Path:
    """The pinned Lighthouse, installed from its lock file when it is not there yet."""
    if not CLI.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    return CLI


def audit(url: str, out: Path) -> dict:
    """Lighthouse's accessibility category of one page: its score and every audit that did not pass."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Debian chromium is not installed; `make browser-deps` installs it")
    report_file = out / "lighthouse.json"
    done = subprocess.run(
        ["node", str(installed()), url, "--only-categories=accessibility", "--preset=desktop", "--output=json",
         f"--output-path={report_file}", f"--chrome-flags={CHROME_FLAGS}", "--quiet", "--max-wait-for-load=60000"],
        env={**os.environ, "CHROME_PATH": chromium, "HOME": str(out)}, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report_file.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-3000:]}")
    report = json.loads(report_file.read_text())
    category = report["categories"]["accessibility"]
    failing = []
    for ref in category["auditRefs"]:
        result = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and result.get("score") is not None and result["score"] < 1:
            items = result.get("details", {}).get("items", [])
            failing.append({"id": ref["id"], "title": result["title"], "weight": ref["weight"],
                            "nodes": [i.get("node", {}).get("snippet", "")[:200] for i in items[:5]]})
    return {"score": category["score"], "lighthouse": report["lighthouseVersion"], "failing": failing,
            "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl")}


def _served(base: str, path: str) -> bool:
    """Whether the server has the page: Dash answers any path with its shell, so a Dash page must be registered."""
    pages = PROJECT_ROOT / "dashboard" / "pages"
    declared = re.compile(rf"""path\s*=\s*["']{re.escape(path)}["']""")
    registered = any(declared.search(file.read_text(encoding="utf-8")) for file in pages.rglob("*.py"))
    return registered or (path == "/paparan" and httpx.get(base + path, timeout=60).status_code == 200)  # not a Dash page


def run(paths: tuple[str, ...] = ()) -> dict:
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-lighthouse-"))
    server = ServerProcess(work)
    figures: dict = {"target": TARGET}
    try:
        server.start(timeout=120, port=PORT)
        server.wait_for_values(timeout=300)
        chosen = paths or (next(p for p in PAGES if _served(server.url, p)),)
        for path in chosen:
            out = work / path.strip("/").replace("/", "_")
            out.mkdir(parents=True, exist_ok=True)
            figures[path] = audit(server.url + path, out)
        if not paths and chosen[0] != PAGES[0]:
            figures["note"] = f"{PAGES[0]} is not served yet; measured {chosen[0]} instead"
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(tuple(sys.argv[1:])), indent=2))
