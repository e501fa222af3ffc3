"""The tablet offline, server side: the visit's version, 409 on a conflict, photos sent twice,
the service worker and the agenda's list of pages to keep."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.models import Visit
from inspections.services import visits as services
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
    assert reverse("visit-edit", args=[later.pk]) not in urls  # not today's
    content = response.content.decode()
    assert f'data-visit-key="{visit.client_key}"' in content
    assert Visit.objects.count() == 2
