"""The explorer's whole state as its URL's query string: a Question, a Drill when records are open, the language.

Reading and writing go through metrics.question (`question_from_args`, `drill_from_args`, `.to_args()`), so a
copied link, the back button, an export and the API name the same figure. Page-only parameters: `rekaman=1`
(the records are open) and `lang`.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import replace

from metrics.question import BadQuestion, Drill, Question, drill_from_args, question_from_args

OPEN = "rekaman"


def args_of(search: str | None) -> dict[str, str]:
    """A query string's parameters (the last of a repeated one)."""
    return dict(urllib.parse.parse_qsl((search or "").lstrip("?"), keep_blank_values=True))


def read(search: str | None, catalogue: dict, default: str, now: dt.datetime) -> tuple[Question, Drill | None]:
    """The question and open drill-down a query string describes; without an indicator, the default one's.

    Raises:
        BadQuestion: naming the parameter.
    """
    args = args_of(search)
    if not (args.get("indikator") or "").strip():
        args["indikator"] = default
    question = question_from_args(args, catalogue, now)
    drill = drill_from_args(args, question) if args.get(OPEN) == "1" else None
    return question, drill


def search_of(question: Question, drill: Drill | None, lang: str) -> str:
    """The query string for a view (starting with "?")."""
    args = question.to_args()
    if drill is not None:
        args[OPEN] = "1"
        args.update(drill.to_args())
    if lang != "id":
        args["lang"] = lang
    return "?" + urllib.parse.urlencode(args, safe=",:")


def export_args(question: Question, drill: Drill | None = None, **extra: str) -> str:
    """The query string of an export link for this view."""
    args = question.to_args()
    if drill is not None:
        args.update(drill.to_args())
    args.update(extra)
    return urllib.parse.urlencode(args, safe=",:")


# The records table's own sorting and filtering (dash_table's custom actions) as a Drill's sort and search.
_FILTER = re.compile(r'^\{(?P<col>[^}]+)\}\s+(?:contains|scontains|icontains|=|eq|s=|i=)\s+(?P<val>.+)$')


def sort_of(sort_by: list[dict] | None) -> tuple[tuple[str, bool], ...]:
    return tuple((s["column_id"], s.get("direction") != "desc") for s in sort_by or [] if s.get("column_id"))


def sort_by_of(drill: Drill | None) -> list[dict]:
    return [{"column_id": c, "direction": "asc" if asc else "desc"} for c, asc in (drill.sort if drill else ())]


def search_from_query(query: str | None) -> tuple[tuple[str, str], ...]:
    """(column, text) pairs from a filter_query such as '{kanal} contains "online" && {status} contains ditolak'."""
    found = []
    for part in (query or "").split(" && "):
        match = _FILTER.match(part.strip())
        if match:
            text = match.group("val").strip()
            if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
                text = text[1:-1]
            if text:
                found.append((match.group("col"), text[:100]))
    return tuple(sorted(dict(found).items()))


def query_of(drill: Drill | None) -> str:
    return " && ".join(f'{{{c}}} contains "{text}"' for c, text in (drill.search if drill else ()))


def drill_for(current: Drill | None, **changes) -> Drill:
    """A drill-down from the open one (or a new one) with `changes`; a new point or member starts at page 1."""
    base = current or Drill()
    if "periode" in changes or "member" in changes:
        base = Drill(size=base.size)
    return replace(base, **changes)


__all__ = ["BadQuestion", "args_of", "drill_for", "export_args", "query_of", "read", "search_from_query", "search_of", "sort_by_of", "sort_of"]
