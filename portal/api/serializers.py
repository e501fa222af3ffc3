"""Base serializers and fields: the model's own ``clean()`` validates, as in forms."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Run ``full_clean()`` on an unsaved copy so API and forms share one validation."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model.objects.get(pk=self.instance.pk) if self.instance is not None else model()
        for name, value in attrs.items():
            field = model._meta.get_field(name) if name in self._model_field_names() else None
            if field is not None and not field.many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs

    def _model_field_names(self) -> set[str]:
        return {f.name for f in self.Meta.model._meta.get_fields()}


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key limited to the rows a queryset method allows the requesting user.

    An id outside the scope is answered like an id that does not exist. In the browsable
    API it is an id box, not a drop-down of every row in scope.
    """

    scope = "visible_to"

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"base_template": "input.html"})
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return getattr(self.queryset.all(), self.scope)(getattr(request, "user", None))


class VisibleRelatedField(ScopedRelatedField):
    """A foreign key limited to the rows the requesting user may see."""

    scope = "visible_to"


class EditableRelatedField(ScopedRelatedField):
    """A writable foreign key limited to the rows the requesting user may change.

    A business user can never point a record at another business's object.
    """

    scope = "editable_by"
