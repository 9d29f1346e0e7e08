"""The fewest one-level raises that bring the SPBE index to a target.

Raising indicator i by one level adds weight_i / 100 to the index, whatever its level, so taking the heaviest
indicators still below 5 first reaches any target in the fewest steps (ties: the lower level first, where a
raise is usually easier).
"""

from __future__ import annotations

from fractions import Fraction

from metrics.spbe.framework import Framework, exact


def plan(framework: Framework, levels: dict[int, int], target: float) -> dict:
    """Steps from the current levels to `target`: which indicator to raise, to what level, and the index after.

    Returns:
        {"framework", "target", "index", "reachable", "steps": [{"indicator", "name", "from", "to", "index"}, ...]}.
    """
    current = dict(levels)
    index = sum((exact(i.weight) * current[i.number] for i in framework.indicators), Fraction(0)) / 100
    goal = exact(target)
    steps = []
    while index < goal:
        candidates = [i for i in framework.indicators if current[i.number] < 5]
        if not candidates:
            break
        best = max(candidates, key=lambda i: (exact(i.weight), -current[i.number], -i.number))
        current[best.number] += 1
        index += exact(best.weight) / 100
        steps.append({"indicator": best.number, "name": best.name, "from": current[best.number] - 1, "to": current[best.number], "index": float(index)})
    return {
        "framework": framework.id,
        "target": target,
        "index": float(sum((exact(i.weight) * levels[i.number] for i in framework.indicators), Fraction(0)) / 100),
        "reachable": index >= goal,
        "steps": steps,
    }
