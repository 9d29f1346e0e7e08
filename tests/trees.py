"""Compare Dash component trees as trees (after Vizro's assert_component_equal): type, props and children."""

from __future__ import annotations

from typing import Any


def tree(component: Any, keep: tuple[str, ...] | None = None) -> Any:
    """A component as nested plain data: {"type", props..., "children"}; `keep` limits the props compared."""
    if isinstance(component, (list, tuple)):
        return [tree(c, keep) for c in component]
    if not hasattr(component, "to_plotly_json"):
        return component
    data = component.to_plotly_json()
    props = {k: v for k, v in data["props"].items() if k != "children" and (keep is None or k in keep)}
    children = data["props"].get("children")
    return {"type": data["type"], **props, "children": tree(children, keep) if children is not None else None}


def assert_component_equal(left: Any, right: Any, keep: tuple[str, ...] | None = None) -> None:
    """The two trees are equal in structure, and in the props named in `keep` (all props when None)."""
    assert tree(left, keep) == tree(right, keep)
