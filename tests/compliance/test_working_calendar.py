"""The working calendar as data: national days, declarations, and deadlines they move."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compliance.enforcement.services import working_calendar
from compliance.models import CalendarDay, CalendarDayKind, ViolationEvent
from portal import outbox
from portal.audit import history_of
from portal.models import AuditEntry
from tests.enforcement.data_order_builders import make_order
from tests.factories import make_violation

pytestmark = pytest.mark.django_db

TYPHOON_DAY = datetime.date(2026, 12, 16)  # a Wednesday
LUNAR_NEW_YEAR = datetime.date(2026, 2, 17)


def declare(actor, day=TYPHOON_DAY, kind=CalendarDayKind.REST_DAY, **fields):
    values = {
        "name_zh": "颱風停止上班",
        "name_en": "Typhoon day off",
        "reason": "臺北市政府 115年12月15日 公告停止上班",
        **fields,
    }
    return working_calendar.declare_day(actor, day=day, kind=kind, **values)


def test_the_national_calendar_has_the_holidays_their_names_and_make_up_workdays():
    days = {named.day: named for named in working_calendar.national_days(2026)}
    assert days[LUNAR_NEW_YEAR].name_zh == "春節"
    assert days[LUNAR_NEW_YEAR].name_en == "Chinese New Year"
    assert days[datetime.date(2026, 10, 9)].kind == CalendarDayKind.REST_DAY  # observed
    worked = {named.day: named for named in working_calendar.national_days(2023)}
    assert worked[datetime.date(2023, 1, 7)].kind == CalendarDayKind.WORKDAY  # a Saturday
    assert worked[datetime.date(2023, 1, 20)].kind == CalendarDayKind.REST_DAY  # its bridge


def test_periods_follow_the_national_calendar():
    # 2026-12-11 + 14 days is Christmas (Constitution Day), then a weekend.
    assert working_calendar.deadline_after(datetime.date(2026, 12, 11), 14) == datetime.date(
        2026, 12, 28
    )
    # 2023-01-07 was a make-up workday: a period may end on that Saturday.
    assert working_calendar.deadline_after(datetime.date(2022, 12, 24), 14) == datetime.date(
        2023, 1, 7
    )


def test_a_declared_day_off_moves_running_deadlines_ending_on_it(administrator, premises):
    on_the_day = make_violation(premises, "5-5", deadline=TYPHOON_DAY)
    other_day = make_violation(premises, "5-5", deadline=TYPHOON_DAY + datetime.timedelta(days=1))
    closed = make_violation(premises, "5-5", deadline=TYPHOON_DAY, status="closed")

    row, moved = declare(administrator)

    assert moved == 1
    on_the_day.refresh_from_db()
    other_day.refresh_from_db()
    closed.refresh_from_db()
    assert on_the_day.deadline == datetime.date(2026, 12, 17)
    assert other_day.deadline == datetime.date(2026, 12, 17)  # was the 17th already
    assert closed.deadline == TYPHOON_DAY
    event = ViolationEvent.objects.filter(violation=on_the_day).latest("id")
    assert "2026-12-17" in event.reason and event.actor == administrator
    (entry,) = [e for e in history_of(on_the_day) if "deadline" in e.changes]
    assert entry.changes["deadline"] == ["2026-12-16", "2026-12-17"]
    assert history_of(row).get().actor == administrator
    assert working_calendar.deadline_after(datetime.date(2026, 12, 2), 14) == datetime.date(
        2026, 12, 17
    )


def test_the_business_is_told_of_its_new_deadline(administrator, premises, owner):
    make_violation(premises, "5-5", deadline=TYPHOON_DAY)

    declare(administrator)
    outbox.deliver("celery")

    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert "2026" in message.subject
    assert "行政程序法第48條" in message.body  # in the owner's language (zh-Hant)
    assert "2026年12月17日" in message.body


def test_a_supplier_data_deadline_on_the_day_moves_too(administrator, supplier):
    order = make_order(supplier, deadline=TYPHOON_DAY)

    declare(administrator)

    order.refresh_from_db()
    assert order.deadline == datetime.date(2026, 12, 17)
    assert order.events.filter(reason__contains="2026-12-17").exists()


def test_a_declared_working_day_never_shortens_a_deadline(administrator, premises):
    saturday = datetime.date(2026, 12, 19)
    violation = make_violation(premises, "5-5", deadline=datetime.date(2026, 12, 21))

    declare(administrator, day=saturday, kind=CalendarDayKind.WORKDAY, name_zh="補行上班")

    violation.refresh_from_db()
    assert violation.deadline == datetime.date(2026, 12, 21)
    assert working_calendar.deadline_after(datetime.date(2026, 12, 4), 15) == saturday


def test_a_holiday_the_department_works_through_is_a_working_day(administrator):
    declare(administrator, day=datetime.date(2026, 12, 25), kind=CalendarDayKind.WORKDAY)

    assert working_calendar.deadline_after(datetime.date(2026, 12, 11), 14) == datetime.date(
        2026, 12, 25
    )


def test_only_administrators_declare_and_always_with_a_reason(administrator, inspector):
    with pytest.raises(PermissionDenied):
        declare(inspector)
    with pytest.raises(ValidationError):
        declare(administrator, reason=" ")
    assert not CalendarDay.objects.exists()


def test_withdrawing_restores_the_national_calendar_and_is_audited(administrator):
    row, _moved = declare(administrator)

    working_calendar.withdraw_day(administrator, row, reason="公告撤回")

    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(object_type="compliance.calendarday", action="delete").exists()
    assert working_calendar.deadline_after(datetime.date(2026, 12, 2), 14) == TYPHOON_DAY


# Pages.


def test_everyone_signed_in_reads_the_year_with_its_names(client, owner):
    client.force_login(owner)

    html = client.get(reverse("working-calendar"), {"year": 2026}).content.decode()

    assert "Chinese New Year" in html
    assert "2026-02-17" in html
    assert reverse("working-calendar-declare") not in html


def test_an_administrator_declares_a_typhoon_day_on_the_page(client, administrator, premises):
    violation = make_violation(premises, "5-5", deadline=TYPHOON_DAY)
    client.force_login(administrator)

    response = client.post(
        reverse("working-calendar-declare"),
        {
            "day": "2026-12-16",
            "kind": "rest_day",
            "name_zh": "颱風停止上班",
            "name_en": "Typhoon day off",
            "reason": "公告",
        },
    )

    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.deadline == datetime.date(2026, 12, 17)
    html = client.get(response["Location"]).content.decode()
    assert "Typhoon day off" in html and "Deadlines moved: 1" in html


def test_a_declaration_without_a_reason_keeps_what_was_typed(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("working-calendar-declare"),
        {"day": "2026-12-16", "kind": "rest_day", "name_zh": "颱風停止上班", "reason": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert "颱風停止上班" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_day_far_from_today_is_refused(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("working-calendar-declare"),
        {"day": "2099-01-05", "kind": "rest_day", "name_zh": "x", "reason": "x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["day"]
