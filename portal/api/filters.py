"""A list answers 400 for a query parameter it does not know, instead of ignoring it.

A client filtering ``?outcome=non_compliant`` on a list that filters by ``status`` would
otherwise receive the whole list and take it for the filtered one. The known parameters
are the list's filters (its filterset), the pagination and ordering parameters, and any a
view declares in ``extra_query_params``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from portal.languages import reads_chinese

ALWAYS_KNOWN = frozenset({"cursor", "page_size", "format", "ordering"})


def parameters_of(filterset) -> set[str]:
    """The query parameters a filterset reads: a range filter reads ``<name>_after`` …"""
    names = set()
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        names |= {f"{name}_{suffix}" if suffix else name for suffix in suffixes or [""]}
    return names


class KnownQueryParameters(BaseFilterBackend):
    """Refuse (400) a list request carrying a query parameter the list does not know."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        known = set(ALWAYS_KNOWN) | set(getattr(view, "extra_query_params", ()))
        filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
        if filterset_class is not None:
            known |= parameters_of(filterset_class(queryset=queryset))
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            allowed = ", ".join(sorted(known - {"format"}))
            raise exceptions.ValidationError(
                {
                    name: [
                        _("This list has no filter named “%(name)s”; it knows: %(known)s.")
                        % {"name": name, "known": allowed}
                    ]
                    for name in unknown
                }
            )
        return queryset


class LanguageOrdering(OrderingFilter):
    """``?ordering=title`` on a record whose title is kept in two languages orders by the
    reader's language first (a view maps the term in ``ordering_by_language``: ``{"title":
    ("title_zh_hant", "title_en")}``), so clients that ordered by the one title still can."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        by_language = getattr(view, "ordering_by_language", {})
        if not ordering or not by_language:
            return ordering
        terms = []
        for term in ordering:
            sign, name = ("-", term[1:]) if term.startswith("-") else ("", term)
            fields = by_language.get(name)
            if fields is None:
                terms.append(term)
                continue
            zh_hant, en = fields
            first = (zh_hant, en) if reads_chinese() else (en, zh_hant)
            terms += [sign + field for field in first]
        return terms


# The default filter backends (settings.REST_FRAMEWORK), ordering by language.
BACKENDS_ORDERED_BY_LANGUAGE = [KnownQueryParameters, DjangoFilterBackend, LanguageOrdering]
