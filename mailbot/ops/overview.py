"""The numbers of the call at a glance (the workspace's Pulpit and the digest share them).

Counts are over the live applications (a resubmission replaces the earlier one); per position
of the form's choice (a group, an area, a commission …) they are split into accepted /
incomplete / to review, by the corrected choice, whatever the choice field's key.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mailbot import form_roles
from mailbot.config import Config
from mailbot.names import LAST_POLL_KEY
from mailbot.pipeline.texts import STATUS_LABELS
from mailbot.storage import overview as counts_store
from mailbot.storage.store import Store, parse_iso, utcnow

ORDER = (
    "accepted",
    "incomplete",
    "needs_review",
    "late",
    "early",
    "no_form",
    "rejected",
    "not_application",
    "withdrawn",
)


@dataclass(frozen=True)
class GroupCount:
    number: int
    name: str
    accepted: int
    incomplete: int
    to_review: int


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class Overview:
    by_status: tuple[tuple[str, str, int], ...]  # (status, Polish label, count)
    total_live: int
    by_group: tuple[GroupCount, ...]
    per_day: tuple[DayCount, ...]
    days_left: int | None  # None: the call is closed
    opens_in_days: int | None  # the call has not opened yet
    last_poll: datetime | None
    outbox: dict[str, int]  # reply state -> count (queued, sending, sent, failed, bounced)
    total_messages: int
    choice_heading: str = "Wybór"  # the form's choice, e.g. "Grupy robocze", "Komisje tematyczne"
    choice_one: str = "Wybór"  # one position of it, e.g. "Grupa robocza"


def overview(config: Config, store: Store, now: datetime | None = None) -> Overview:
    now = now or utcnow()
    tz = config.call.timezone
    counts = Counter(counts_store.live_applications_by_status(store))
    statuses = [s for s in ORDER if s in counts or s in ("accepted", "incomplete", "needs_review")]
    statuses += sorted(s for s in counts if s not in ORDER)
    by_status = tuple((s, STATUS_LABELS.get(s, s), int(counts.get(s, 0))) for s in statuses)
    per_group = Counter(
        counts_store.live_applications_by_group(store, [g.number for g in config.call.groups])
    )
    by_group = tuple(
        GroupCount(
            g.number,
            g.name,
            per_group[(g.number, "accepted")],
            per_group[(g.number, "incomplete")],
            per_group[(g.number, "needs_review")],
        )
        for g in config.call.groups
    )
    days: Counter[date] = Counter()
    # counted per quarter of an hour in SQL (exact for every time zone offset), then each
    # quarter placed on its day in the call's time zone
    for hour, quarter, n in counts_store.applications_per_quarter_hour(store):
        moment = parse_iso(f"{hour}:00:00+00:00") + timedelta(minutes=15 * int(quarter))
        days[moment.astimezone(tz).date()] += int(n)
    first = config.call.opens_at.astimezone(tz).date()
    last = config.call.closes_at.astimezone(tz).date()
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    per_day = tuple(DayCount(d, days.get(d, 0)) for d in span)
    today = now.astimezone(tz).date()
    days_left = (last - today).days + 1 if now <= config.call.closes_at else None
    opens_in = (first - today).days if now < config.call.opens_at else None
    last_poll_text = store.get_state(LAST_POLL_KEY)
    outbox = counts_store.replies_by_state(store)
    total_messages = counts_store.message_count(store)
    return Overview(
        by_status=by_status,
        total_live=sum(c for _s, _l, c in by_status),
        by_group=by_group,
        per_day=per_day,
        days_left=days_left if opens_in is None else None,
        opens_in_days=opens_in,
        last_poll=parse_iso(last_poll_text) if last_poll_text else None,
        outbox=outbox,
        total_messages=total_messages,
        choice_heading=form_roles.choice_plural(config.call.form),
        choice_one=form_roles.choice_label(config.call.form),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # day and count, for the bar's tooltip
    count: int
    tick: str  # day of month under the bar (every few days), or ""


def day_bars(per_day: tuple[DayCount, ...], width: float = 600, height: float = 120) -> list[Bar]:
    """Bars of an SVG chart of applications per day (the template draws them)."""
    if not per_day:
        return []
    top = max(d.count for d in per_day) or 1
    slot = width / len(per_day)
    bars = []
    for i, d in enumerate(per_day):
        h = height * d.count / top
        bars.append(
            Bar(
                x=round(i * slot + 1, 1),
                y=round(height - h, 1),
                width=round(max(slot - 2, 1), 1),
                height=round(h, 1),
                label=f"{d.day:%d.%m}: {d.count}",
                count=d.count,
                tick=f"{d.day.day}" if i % 3 == 0 or i == len(per_day) - 1 else "",
            )
        )
    return bars
