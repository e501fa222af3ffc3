"""Base serializers: the model's own ``clean()`` validates, as in forms."""

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
