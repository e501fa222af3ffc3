"""A business user's first visit, in headless Chromium: premises, a CSV with a bad row, a fix."""

import re

import pytest

from compliance.models import Equipment, Premises
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "premises_id,tag,kind,description,ac_type,cooling_capacity_kw,efficiency_metric,"
    "efficiency_value,installed_on,air_barrier,lamp_type,space_type,lamp_count,lamp_wattage_w"
)


def csv_file(premises_id: int, efficiency: str) -> dict:
    rows = [
        HEADER,
        f"{premises_id},DOOR-1,entrance,正門,,,,,,air_curtain,,,,",
        f"{premises_id},AC-01,air_conditioner,賣場冷氣,split,7.1,cspf,{efficiency},2025-03-01,,,,,",
        f"{premises_id},LT-01,lighting,賣場照明,,,,,,,led,retail_general,40,18",
    ]
    return {
        "name": "equipment.csv",
        "mimeType": "text/csv",
        "buffer": ("\n".join(rows) + "\n").encode("utf-8"),
    }


def test_business_user_adds_premises_and_imports_equipment(page, owner, business):
    # Sign in.
    page.goto("/account/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert business.name_zh in page.content()

    # Add a premises.
    page.goto("/premises/new/")
    page.select_option("#id_business", str(business.pk))
    page.fill("#id_name", "大安門市")
    page.select_option("#id_kind", "business")
    page.fill("#id_address", "臺北市大安區忠孝東路四段100號")
    page.select_option("#id_district", "daan")
    page.select_option("#id_category", "retail_shop")
    page.fill("#id_floor_area_m2", "180")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/premises/\d+/$"))
    premises = Premises.objects.get(name="大安門市")
    assert "大安門市" in page.inner_text("h1")

    # Import a CSV with one bad row: it is reported with its line and column, nothing saved.
    page.goto("/equipment/import/")
    page.set_input_files("#id_file", csv_file(premises.pk, "42"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("table.import-errors")
    error_rows = page.locator("table.import-errors tbody tr")
    assert error_rows.count() == 1
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[0] == "3"
    assert cells[1] == "efficiency_value"
    assert Equipment.objects.filter(premises=premises).count() == 0

    # Upload the corrected file, confirm, and see the equipment on the premises page.
    page.set_input_files("#id_file", csv_file(premises.pk, "5.4"))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    confirm = page.locator("main form:not([enctype]) button[type=submit].primary")
    confirm.wait_for()
    confirm.click()
    page.wait_for_url(re.compile(r"/equipment/"))
    assert Equipment.objects.filter(premises=premises).count() == 3

    page.goto(f"/premises/{premises.pk}/")
    text = page.inner_text("main")
    for tag in ("DOOR-1", "AC-01", "LT-01"):
        assert tag in text
    page.screenshot(path="test-results/business-journey.png", full_page=True)
