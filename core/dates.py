"""Calendar arithmetic shared by the apps (the monthly dashboard, the follow-up's "no contact for months")."""

import calendar
from datetime import date


def months_earlier(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to that month's last day (31 May → 30 April).

    For the first of a month it is the first of the earlier month, as the monthly snapshots need.
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
