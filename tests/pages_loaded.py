"""A page module as Dash imported it: Dash loads each page file under its own module name, so importing one again by
its package name would register its path a second time, and Dash's duplicate-path check then fails every page."""

from __future__ import annotations

import sys
from types import ModuleType


def page_module(path: str) -> ModuleType:
    """The module Dash loaded for the page at `path` (e.g. "/analisis"), the process's app made first if need be."""
    import dash

    from dashboard.registry import discover

    discover()
    return next(sys.modules[name] for name, page in dash.page_registry.items() if page["path"] == path)
