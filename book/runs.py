"""Runs of consecutive note numbers, printed as ranges: "notes 30–34", not "30, 31, 32, 33, 34"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Only a label written as a plain number joins a run: "12a" or "iv" stands alone, and so does
# "012" (its neighbour "13" would make a range that no note's number begins).
NUMBER = re.compile(r"0|[1-9][0-9]*")
# As CSL collapses citation numbers: three or more make a range, two stay a pair ("3, 4").
SHORTEST_RANGE = 3


@dataclass(frozen=True)
class Run:
    """One label (`last` is None), or a range from `first` to `last` with every number
    between them."""

    first: str
    last: str | None = None

    def __str__(self) -> str:
        return self.first if self.last is None else f"{self.first}–{self.last}"


def runs(labels: Iterable[str]) -> tuple[Run, ...]:
    """`labels` in their order, each run of consecutive numbers as one range."""
    groups: list[list[str]] = []
    for label in map(str, labels):
        previous = groups[-1][-1] if groups else None
        if previous is not None and NUMBER.fullmatch(label) and NUMBER.fullmatch(previous) \
                and int(label) == int(previous) + 1:
            groups[-1].append(label)
        else:
            groups.append([label])
    result: list[Run] = []
    for group in groups:
        if len(group) >= SHORTEST_RANGE:
            result.append(Run(group[0], group[-1]))
        else:
            result.extend(Run(label) for label in group)
    return tuple(result)

