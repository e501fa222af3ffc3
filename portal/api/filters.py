"""A list answers 400 for a query parameter it does not know, instead of ignoring it.

A client filtering ``?outcome=non_compliant`` on a list that filters by ``status`` would
otherwise receive the whole list and take it for the filtered one. The known parameters
are the list's filters (its filterset), the pagination and ordering parameters, and any a
view declares in ``extra_query_params``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import BooleanFilter, FilterSet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from portal.languages import reads_chinese

ALWAYS_KNOWN = frozenset({"cursor", "page_size", "format", "ordering"})
# The values django-filter reads as yes, no or "either" (empty, and the "unknown" its own
# form sends): any other value of a yes/no filter (``?overdue=1``, ``?has_arcade=perhaps``)
# would filter nothing, silently.
YES_NO = frozenset({"true", "false", "True", "False", "", "unknown"})


def parameters_of(filterset) -> set[str]:
    """The query parameters a filterset reads: a range filter reads ``<name>_after`` …"""
    names = set()
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        names |= {f"{name}_{suffix}" if suffix else name for suffix in suffixes or [""]}
    return names


# The parameters of each view's filterset, by (view class, model): a filterset's form is
# built once per process to learn them, not on every request.
_FILTER_PARAMETERS: dict[tuple[type, type], frozenset[str]] = {}


def filter_parameters(view, queryset) -> frozenset[str]:
    """The query parameters the filterset of ``view`` reads (none without a filterset)."""
    key = (type(view), queryset.model)
    if key not in _FILTER_PARAMETERS:
        filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
        names = parameters_of(filterset_class(queryset=queryset)) if filterset_class else ()
        _FILTER_PARAMETERS[key] = frozenset(names)
    return _FILTER_PARAMETERS[key]


_YES_NO_PARAMETERS: dict[tuple[type, type], frozenset[str]] = {}


def yes_no_parameters(view, queryset) -> frozenset[str]:
    """The yes/no filters of the filterset of ``view``, learnt once per view class."""
    key = (type(view), queryset.model)
    if key not in _YES_NO_PARAMETERS:
        filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
        filters = filterset_class.base_filters.items() if filterset_class else ()
        _YES_NO_PARAMETERS[key] = frozenset(
            name for name, found in filters if isinstance(found, BooleanFilter)
        )
    return _YES_NO_PARAMETERS[key]


class KnownQueryParameters(BaseFilterBackend):
    """Refuse (400) a list request carrying a query parameter the list does not know, or a
    yes/no filter with a value other than true or false."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        known = set(ALWAYS_KNOWN) | set(getattr(view, "extra_query_params", ()))
        known |= filter_parameters(view, queryset)
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
        params = request.query_params
        vague = [
            name
            for name in sorted(yes_no_parameters(view, queryset))
            if name in params and params[name] not in YES_NO
        ]
        if vague:
            raise exceptions.ValidationError(
                {name: [_("This filter takes “true” or “false”.")] for name in vague}
            )
        return queryset


# What a filterset may do to a request that gives none of its parameters; a class changing
# any of them is always run.
_FILTERSET_HOOKS = ("__init__", "is_valid", "errors", "form", "qs", "filter_queryset")


def filters_nothing_unasked(filterset_class) -> bool:
    """Whether ``filterset_class`` returns its queryset unchanged when none of its
    parameters is given: django-filter's own machinery throughout (its filters pass empty
    values through, so an empty form is valid and filters nothing) and no required
    filter."""
    if any(
        getattr(filterset_class, hook) is not getattr(FilterSet, hook) for hook in _FILTERSET_HOOKS
    ):
        return False
    return all(
        not f.extra.get("required") and type(f).filter.__module__.startswith("django_filters.")
        for f in filterset_class.base_filters.values()
    )


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, without building and validating the filterset's form for a
    list request that gives none of its parameters (most requests: a client paging
    through a list), when that filterset would filter nothing then. A request with any of
    its parameters is filtered, and refused (400, field errors) as before."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if (
            filterset_class is not None
            and getattr(view, "action", None) == "list"
            and filter_parameters(view, queryset).isdisjoint(request.query_params)
            and filters_nothing_unasked(filterset_class)
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


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
BACKENDS_ORDERED_BY_LANGUAGE = [KnownQueryParameters, FilterBackend, LanguageOrdering]
