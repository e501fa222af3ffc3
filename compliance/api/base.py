"""What the API of several compliance domains shares: the action-ruled viewset
(enforcement, data orders), a service's refusal as a 400, the registry's base serializer
(registry records, exemptions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.serializers import ValidatedModelSerializer
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can

# The services name the models' fields; the request bodies use shorter names.
REQUEST_FIELD_OF = {"decision_reason": "reason", "review_reason": "reason"}


def as_request_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """Return a service's refusal as a 400 naming the fields of the request body."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {
            REQUEST_FIELD_OF.get(name, name): [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    )


class EnforcementPermission(permissions.BasePermission):
    """Signed-in users read what they see; writes follow the view's rules.

    ``may_create(user)`` decides a POST to the list; ``action_rules[action]`` an action on
    an object, checked once the object is found among the visible rows (so an invisible
    object is a 404, a visible one the user may not act on a 403). A rule is the name of a
    rule of :mod:`portal.permissions` (asked for the user's role) or ``fn(user)``.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True
        rule = getattr(view, "may_create", None)
        return bool(rule and rule(user))

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        rule = getattr(view, "action_rules", {}).get(view.action)
        if isinstance(rule, str):
            return can(request.user, rule)
        return bool(rule and rule(request.user))


class RuleRequired(permissions.BasePermission):
    """Only users the view's ``permission_rule`` allows (anonymous clients are asked to
    authenticate). The rule is a name of :mod:`portal.permissions`, asked for the role."""

    def has_permission(self, request, view) -> bool:
        return can(request.user, view.permission_rule)


class EnforcementViewSet(ReadOnlyViewSet):
    """Base: visible rows, cursor pages, actions checked by ``action_rules``."""

    permission_classes = [EnforcementPermission]
    action_rules: dict = {}
    # The body a POST to the list takes, when it differs from what the list shows.
    create_serializer_class = None

    def get_serializer_class(self):
        # The browsable API draws the list's POST form from this.
        request = getattr(self, "request", None)
        posting = request is not None and request.method == "POST"
        if posting and self.action in ("list", "create") and self.create_serializer_class:
            return self.create_serializer_class
        return super().get_serializer_class()

    def _body(self, serializer_class, request: Request):
        body = serializer_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _respond(self, instance, serializer_class=None, code: int = status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=instance.pk)
        serializer_class = serializer_class or self.serializer_class
        return Response(
            serializer_class(instance, context=self.get_serializer_context()).data, status=code
        )


class RegistrySerializer(ValidatedModelSerializer):
    """Base of the registry serializers: the model's own range messages, not DRF's.

    DRF turns a model field's min/max validators into ``min_value``/``max_value`` with
    its generic wording; the registry's fields declare messages a business understands
    ("Enter a value greater than zero."), so those validators are kept as they are.
    """

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        declared = getattr(model_field, "_validators", ())
        for validator_class, kwarg in (
            (MinValueValidator, "min_value"),
            (MaxValueValidator, "max_value"),
        ):
            own = [v for v in declared if type(v) is validator_class]
            if own and kwarg in kwargs:
                del kwargs[kwarg]
                kwargs["validators"] = [*kwargs.get("validators", ()), *own]
        return field_class, kwargs
