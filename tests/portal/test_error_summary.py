"""A refused form says what is wrong at its top, each error linking to its field, and
again beside the field; what was typed stays (GOV.UK's error summary)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_business_form_summarises_its_errors_with_links(client, owner):
    client.force_login(owner)

    response = client.post(
        reverse("business-create"),
        {
            "ubn": "22099132",  # a wrong check digit
            "name_zh": "",
            "sector": "commerce",
            "industry_code": "4711",
            "responsible_person": "王小明",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', content, re.DOTALL).group(0)
    assert "There is a problem" in summary
    form = response.context["form"]
    for name in ("ubn", "name_zh"):
        field = form[name]
        assert f'<a href="#{field.auto_id}">{field.label}: {field.errors[0]}' in summary
        assert f'id="{field.auto_id}"' in content  # the link's target
        assert f'id="{field.auto_id}_error"' in content  # the error beside the field
    assert 'value="22099132"' in content
    assert 'value="王小明"' in content


def test_a_valid_form_shows_no_summary(client, owner):
    client.force_login(owner)

    content = client.get(reverse("business-create")).content.decode()

    assert "error-summary" not in content
