"""The tablet offline, server side: the visit's version, 409 on a conflict, photos sent twice,
the service worker and the agenda's list of pages to keep."""

import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.models import Visit
from inspections.services import visits as services
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.inspections.report_builders import png_bytes
from tests.inspections.test_visit_pages import payload, post_json
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    inspection_fixture,
    make_inspection,
    make_visit,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


def test_the_form_carries_the_version_it_was_loaded_with(client, inspector, visit):
    client.force_login(inspector)
    content = client.get(reverse("visit-edit", args=[visit.pk])).content.decode()
    assert f'name="loaded_version" value="{services.version_of(visit)}"' in content


def test_a_save_answers_the_new_version_and_a_retry_with_the_old_one_applies_once(
    client, inspector, visit
):
    client.force_login(inspector)
    loaded = services.version_of(visit)
    first = post_json(client, visit, payload(visit, "25.0", loaded_version=loaded))
    assert first.status_code == 200
    visit.refresh_from_db()
    assert first.json()["version"] == services.version_of(visit) != loaded
    # The answer was lost; the device sends the same entries, from the same old version.
    retried = post_json(client, visit, payload(visit, "25.0", loaded_version=loaded))
    assert retried.status_code == 200
    assert visit.temperatures.count() == 1


def test_entries_from_an_older_version_that_change_the_visit_are_a_conflict(
    client, inspector, visit
):
    client.force_login(inspector)
    loaded = services.version_of(visit)
    # Meanwhile someone else saves the visit.
    services.save_visit(inspector, visit, {"notes": "Changed at the office"})
    response = post_json(client, visit, payload(visit, "24.0", loaded_version=loaded))
    assert response.status_code == 409
    body = response.json()
    visit.refresh_from_db()
    assert body["conflict"] is True and body["version"] == services.version_of(visit)
    assert body["server"]["notes"] == "Changed at the office"
    assert body["server"]["identification_shown"] is True
    assert visit.temperatures.count() == 0  # nothing saved
    # Keeping the device's entries: sent again over the server's version.
    kept = post_json(client, visit, payload(visit, "24.0", loaded_version=body["version"]))
    assert kept.status_code == 200
    assert visit.temperatures.count() == 1


def test_without_javascript_a_conflict_shows_the_entries_again_over_the_new_version(
    client, inspector, visit
):
    client.force_login(inspector)
    loaded = services.version_of(visit)
    services.save_visit(inspector, visit, {"notes": "Changed at the office"})
    response = client.post(
        reverse("visit-edit", args=[visit.pk]),
        payload(visit, "24.0", notes="Mine", loaded_version=loaded),
    )
    assert response.status_code == 409
    visit.refresh_from_db()
    content = response.content.decode()
    assert f'value="{services.version_of(visit)}"' in content
    assert "Mine" in content


def test_a_photo_sent_twice_by_the_queue_is_there_once(
    client, inspector, visit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(inspector)
    url = reverse("photo-upload", args=[visit.pk])
    content = png_bytes()
    answers = [
        client.post(
            url,
            {"file": SimpleUploadedFile("a.png", content, "image/png"), "caption": "Door"},
            headers={"accept": "application/json"},
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json()["photo"] and answers[1].json()["duplicate"] is True
    assert visit.photos.count() == 1
    refused = client.post(url, {"caption": "none"}, headers={"accept": "application/json"})
    assert refused.status_code == 400 and "file" in refused.json()["errors"]


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get(reverse("service-worker"))
    assert reverse("service-worker") == "/sw.js"
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "importScripts(" in body and "workbox-strategies.prod.js" in body
    assert "visit_sw.js" in body and "http" not in body  # same origin only, no CDN


def test_the_agenda_lists_the_days_pages_to_keep_offline(client, inspector, premises):
    today = timezone.localdate()
    inspection = make_inspection(premises, lead=inspector, day=today)
    visit, _ = services.start_visit(inspector, inspection)
    coming = make_inspection(premises, lead=inspector, day=today + datetime.timedelta(days=3))
    later = make_visit(coming)
    client.force_login(inspector)
    response = client.get(reverse("inspection-agenda"))
    urls = json.loads(response.context["offline_urls"])
    assert reverse("inspection-detail", args=[inspection.pk]) in urls
    assert reverse("visit-edit", args=[visit.pk]) in urls
    # The next days' forms too: a visit may be begun offline on any day of the agenda.
    assert reverse("visit-edit", args=[later.pk]) in urls
    unstarted = make_inspection(premises, lead=inspector, day=today + datetime.timedelta(days=9))
    response = client.get(reverse("inspection-agenda"))
    urls = json.loads(response.context["offline_urls"])
    assert reverse("visit-new", args=[unstarted.pk]) in urls
    draft = services.draft_key(unstarted.pk, inspector.pk)
    assert f'data-visit-key="{draft}"' in response.content.decode()
    assert f'data-visit-key="{visit.client_key}"' in response.content.decode()
    assert Visit.objects.count() == 2


# --- The visit as a sequence of sections (issue 16) ------------------------------------------


def _steps(content: str) -> list[str]:
    """The ids of the sections the progress list links to, in order."""
    start = content.index("data-steps-nav")
    nav = content[start : content.index("</nav>", start)]
    return re.findall(r'data-step-link="([^"]+)"', nav)


def test_the_form_is_a_sequence_of_sections_with_a_progress_list(client, inspector, visit):
    client.force_login(inspector)
    content = client.get(reverse("visit-edit", args=[visit.pk])).content.decode()
    steps = _steps(content)
    assert steps[:3] == ["step-identification", "step-presence", "step-art-5-1"]
    assert steps[-3:] == ["step-photos", "step-refusal", "step-summary"]
    assert "step-art-5-5" in steps and "step-art-9" in steps
    # Each section a fieldset with its legend, in the list's order; the list an ordered
    # list whose first entry is the current one.
    fieldsets = re.findall(r'<fieldset class="card visit-step" id="([^"]+)"', content)
    assert fieldsets == steps
    assert '<ol class="step-list"' in content
    current = 'data-step-link="step-identification" aria-current="step"'
    assert f'href="#step-identification" {current}' in content
    # The visit has identification and times: those sections say they are complete.
    assert re.search(r'data-step-item="step-identification" data-state="complete"', content)
    assert re.search(r'data-step-item="step-photos" data-state="todo"', content)
    # The photo's inputs sit in the photos section but belong to the photo form.
    assert 'id="visit-photo-form"' in content and 'form="visit-photo-form"' in content
    assert "form-errors" not in content


def test_errors_open_the_section_of_the_first_error_and_the_summary_links_to_the_field(
    client, inspector, visit
):
    client.force_login(inspector)
    response = client.post(
        reverse("visit-edit", args=[visit.pk]), payload(visit, "99.9", badge_numbers="x" * 300)
    )
    assert response.status_code == 200
    content = response.content.decode()
    summary = content[content.index("data-error-summary-box") : content.index("data-steps-nav")]
    assert 'href="#id_badge_numbers"' in summary
    assert 'href="#id_temperatures-0-temperature_c"' in summary
    assert "form-errors" not in content
    # The identification section holds the first error: it is the current one.
    assert 'data-step-link="step-identification" aria-current="step"' in content
    assert re.search(r'data-step-item="step-art-5-5" data-state="error"', content)
    assert visit.temperatures.count() == 0


# --- Starting a visit offline (issue 16) ----------------------------------------------------


def _draft_payload(key, *temperatures, **fields):
    return payload(SimpleNamespace(client_key=key), *temperatures, **fields)


def _audit(visit, action) -> int:
    return AuditEntry.objects.filter(
        object_type__iendswith="visit", object_id=str(visit.pk), action=action
    ).count()


def test_the_form_of_a_visit_not_yet_started_carries_a_stable_draft_key(
    client, inspector, inspection
):
    client.force_login(inspector)
    url = reverse("visit-new", args=[inspection.pk])
    first, second = client.get(url), client.get(url)
    key = str(services.draft_key(inspection.pk, inspector.pk))
    for response in (first, second):
        content = response.content.decode()
        assert response.status_code == 200
        assert f'data-client-key="{key}"' in content and "data-draft" in content
        assert 'name="loaded_version" value="new"' in content
        assert f'action="{url}"' in content
    assert Visit.objects.count() == 0  # opening the form starts nothing


def test_entries_begun_offline_start_the_visit_once_however_often_they_are_sent(
    client, inspector, inspection
):
    client.force_login(inspector)
    key = str(services.draft_key(inspection.pk, inspector.pk))
    url = reverse("visit-new", args=[inspection.pk])
    data = _draft_payload(key, "25.0", notes="Begun offline", loaded_version="new")
    answers = [
        client.post(url, data, headers={"accept": "application/json", "idempotency-key": key})
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    visit = Visit.objects.get()
    assert str(visit.client_key) == key and visit.notes == "Begun offline"
    for answer in answers:
        body = answer.json()
        assert body["ok"] and body["visit"] == visit.pk
        assert body["action"] == reverse("visit-edit", args=[visit.pk])
        assert body["photo_action"] == reverse("photo-upload", args=[visit.pk])
    assert visit.temperatures.count() == 1
    assert _audit(visit, AuditAction.CREATE) == 1 and _audit(visit, AuditAction.UPDATE) == 1
    # Once started, the form's address leads to the visit's own form.
    assert client.get(url)["Location"] == reverse("visit-edit", args=[visit.pk])


def test_entries_begun_offline_over_a_visit_a_colleague_started_are_a_conflict(
    client, inspector, inspection
):
    colleague_visit, _ = services.start_visit(inspector, inspection)  # at the office
    services.save_visit(inspector, colleague_visit, {"notes": "Written at the office"})
    client.force_login(inspector)
    key = str(services.draft_key(inspection.pk, inspector.pk))
    response = client.post(
        reverse("visit-new", args=[inspection.pk]),
        _draft_payload(key, notes="Written on the tablet", loaded_version="new"),
        headers={"accept": "application/json", "idempotency-key": key},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] and body["server"]["notes"] == "Written at the office"
    assert body["action"] == reverse("visit-edit", args=[colleague_visit.pk])
    colleague_visit.refresh_from_db()
    assert colleague_visit.notes == "Written at the office"
    assert Visit.objects.count() == 1


def test_without_javascript_saving_the_new_form_starts_the_visit(client, inspector, inspection):
    client.force_login(inspector)
    key = str(services.draft_key(inspection.pk, inspector.pk))
    response = client.post(
        reverse("visit-new", args=[inspection.pk]),
        _draft_payload(key, "26.0", loaded_version="new"),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("visit-edit", args=[visit.pk])
    assert visit.temperatures.count() == 1


def test_the_service_worker_flushes_the_queue_on_a_background_sync(client):
    body = client.get(reverse("service-worker")).content.decode()
    scripts = body[body.index("importScripts(") :]
    assert scripts.index("visit_queue.js") < scripts.index("visit_sw.js")
    worker = (settings.BASE_DIR / "static/js/visit_sw.js").read_text()
    assert 'addEventListener("sync"' in worker and "flush(" in worker
