"""The benchmark_city server's URLs: the portal's, plus bare baseline views.

Each baseline view does the read its product page or endpoint does, with nothing around
it (no sign-in, visibility, filters, forms or templates): what the same rows cost from
this Django, in this minute, on this machine. Loaded only by the gunicorn that
``benchmark_city`` starts (``_city_bench_settings``), never by the portal.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import escape

from compliance.enforcement.api.serializers import ViolationSerializer
from compliance.models import FineFigure, Premises, Violation, ViolationFigure
from compliance.registry.api.serializers import EquipmentSerializer, PremisesSerializer
from portal.urls import urlpatterns as portal_urlpatterns

ROWS = 50


def _table(cells) -> HttpResponse:
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in cells
    )
    return HttpResponse(f"<!doctype html><table>{body}</table>")


def violations_page(request):
    rows = Violation.objects.select_related("premises__business").order_by("-found_on", "-id")
    return _table(
        (v.found_on, v.premises.name, v.premises.business.name_zh, v.article, v.status)
        for v in rows[:ROWS]
    )


def premises_page(request):
    rows = Premises.objects.select_related("business").order_by("business__name_zh", "name", "id")
    return _table((p.name, p.business.name_zh, p.district, p.floor_area_m2) for p in rows[:ROWS])


def dashboard(request):
    figures = list(ViolationFigure.objects.values_list("status", "violations"))
    fines = list(FineFigure.objects.values_list("district", "status", "fines", "amount_ntd"))
    return _table([*figures, *fines])


def _json(serializer_class) -> JsonResponse:
    """The 50 rows the API returns, with the same columns: every field of its list
    representation that is a column of the model (what the API computes is left out)."""
    model = serializer_class.Meta.model
    columns = {field.name: field.attname for field in model._meta.concrete_fields}
    fields = [columns[name] for name in serializer_class.Meta.fields if name in columns]
    rows = model.objects.order_by("-id").values(*fields)[:ROWS]
    return JsonResponse({"results": list(rows)})


def premises_api(request):
    return _json(PremisesSerializer)


def equipment_api(request):
    return _json(EquipmentSerializer)


def violations_api(request):
    return _json(ViolationSerializer)


urlpatterns = [
    path("bench/violations/", violations_page),
    path("bench/premises/", premises_page),
    path("bench/dashboard/", dashboard),
    path("bench/api/premises/", premises_api),
    path("bench/api/equipment/", equipment_api),
    path("bench/api/violations/", violations_api),
    *portal_urlpatterns,
]
