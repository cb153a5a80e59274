"""Old Style and New Style: Russia's Julian calendar until 31 January 1918, then the Gregorian.

convertdate's calendars are proleptic; where Russia switched is decided here. Days are handled
as Julian Day Numbers, so that arithmetic never depends on a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

from convertdate import gregorian, julian

JULIAN = "julian"
GREGORIAN = "gregorian"
UNKNOWN = "unknown"
CALENDARS = (JULIAN, GREGORIAN, UNKNOWN)

# The decree of 24 January 1918 (O.S.): 31 January 1918 O.S. was followed by 14 February N.S.
LAST_JULIAN_DAY = (1918, 1, 31)
FIRST_GREGORIAN_DAY = (1918, 2, 14)


class CalendarError(ValueError):
    """A date that does not exist in its calendar, or not in Russia's use of it."""


@dataclass(frozen=True, order=True)
class Day:
    """A calendar day as a Julian Day Number (an integer: noon-based JD rounded down)."""

    jdn: int

    @classmethod
    def from_julian(cls, year: int, month: int, day: int) -> Day:
        _check_legal(julian, "Julian", year, month, day)
        if (year, month, day) > LAST_JULIAN_DAY:
            raise CalendarError(
                f"{year}-{month:02}-{day:02} O.S. is after 31 January 1918, the last day Russia "
                "counted in the Julian calendar (the next was 14 February 1918 N.S.)"
            )
        return cls(int(julian.to_jd(year, month, day) + 0.5))

    @classmethod
    def from_gregorian(cls, year: int, month: int, day: int) -> Day:
        _check_legal(gregorian, "Gregorian", year, month, day)
        return cls(int(gregorian.to_jd(year, month, day) + 0.5))

    @classmethod
    def from_calendar(cls, calendar: str, year: int, month: int, day: int) -> Day:
        if calendar == JULIAN:
            return cls.from_julian(year, month, day)
        # A date whose calendar the text does not state is taken at face value, as Gregorian.
        return cls.from_gregorian(year, month, day)

    def julian(self) -> tuple[int, int, int]:
        return julian.from_jd(self.jdn - 0.5)

    def gregorian(self) -> tuple[int, int, int]:
        return gregorian.from_jd(self.jdn - 0.5)

    def in_calendar(self, calendar: str) -> tuple[int, int, int]:
        return self.julian() if calendar == JULIAN else self.gregorian()

    @property
    def old_style(self) -> tuple[int, int, int] | None:
        """The day in Old Style, or None from 14 February 1918, when Russia no longer used it."""
        return self.julian() if self.gregorian() < FIRST_GREGORIAN_DAY else None

    def __add__(self, days: int) -> Day:
        return Day(self.jdn + days)

    def __sub__(self, other: Day) -> int:
        return self.jdn - other.jdn


def _check_legal(module, name: str, year: int, month: int, day: int) -> None:
    try:
        legal = 1 <= month <= 12 and module.legal_date(year, month, day)
    except ValueError:  # convertdate raises for some illegal dates and returns False for others
        legal = False
    if not legal:
        raise CalendarError(f"{year}-{month:02}-{day:02} is not a day of the {name} calendar")


def julian_to_gregorian(year: int, month: int, day: int) -> tuple[int, int, int]:
    """An Old Style date in New Style: 25 October 1917 O.S. -> 7 November 1917."""
    return Day.from_julian(year, month, day).gregorian()


def gregorian_to_julian(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    """A New Style date in Old Style, or None once Russia had left the Julian calendar."""
    return Day.from_gregorian(year, month, day).old_style
