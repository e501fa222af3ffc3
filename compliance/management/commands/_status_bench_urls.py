"""The benchmark_status_api server's URLs: the portal's, plus bare baselines of the status APIs.

Each baseline reads what its endpoint answers with (a premises' current decision with
its findings; a business with its premises' statuses) and returns it as JSON, with
nothing around it: no sign-in, visibility, serializer or translation. Loaded only by the
gunicorn that ``benchmark_status_api`` starts (``_status_bench_settings``).
"""

from django.http import Http404, JsonResponse
from django.urls import path

from compliance.models import Business, Premises
from portal.urls import urlpatterns as portal_urlpatterns


def premises_status(request, premises_id: int):
    row = (
        Premises.objects.filter(pk=premises_id)
        .values(
            "status__assessment_id",
            "status__assessment__as_of",
            "status__assessment__confirmed_on",
            "status__assessment__outcome",
            "status__assessment__article_outcomes",
            "status__assessment__findings",
            "status__assessment__rulebook_version_id",
            "status__assessment__rulebook_version__title",
            "status__assessment__rulebook_version__effective_from",
        )
        .first()
    )
    if row is None:
        raise Http404
    return JsonResponse(row)


def business_status(request, business_id: int):
    business = Business.objects.filter(pk=business_id).values("pk", "name_zh").first()
    if business is None:
        raise Http404
    premises = list(
        Premises.objects.filter(business_id=business_id)
        .order_by("name", "pk")
        .values("pk", "name", "district", "category", "status__outcome", "status__as_of")
    )
    return JsonResponse({**business, "premises": premises})


urlpatterns = [
    path("bench/compliance/premises/<int:premises_id>/", premises_status),
    path("bench/compliance/businesses/<int:business_id>/", business_status),
    *portal_urlpatterns,
]
