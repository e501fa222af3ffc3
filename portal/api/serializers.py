"""Base serializers and fields: the model's own ``clean()`` validates, as in forms."""

from functools import partial

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings


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


# Fields whose reading and representation depend on the row alone, never on the request
# or the serializer around them (no URLs, files or nested serializers): a subclass that
# keeps both methods of one of these is safe to build once per serializer class.
ROW_ONLY_FIELDS = (
    serializers.BigIntegerField,
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.JSONField,
    serializers.PrimaryKeyRelatedField,
    serializers.TimeField,
)
# Where a response's serializers keep the current time zone (in their context).
TIME_ZONE_KEY = "planned_representation_time_zone"
# Column types whose value, read from the database, a field of these kinds returns as it is
# (``str(s)``, ``int(i)``, ``bool(b)``, a string choice).
UNCHANGED = {
    serializers.BooleanField: (models.BooleanField,),
    serializers.CharField: (models.CharField, models.TextField),
    serializers.ChoiceField: (models.CharField, models.TextField),
    serializers.IntegerField: (models.IntegerField,),
}


def _row_only(field) -> bool:
    return any(
        isinstance(field, kind)
        and type(field).to_representation is kind.to_representation
        and type(field).get_attribute is kind.get_attribute
        for kind in ROW_ONLY_FIELDS
    )


def _column(model, field):
    """The model field ``field`` reads directly, if its source is one concrete column."""
    if len(field.source_attrs) != 1:
        return None
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    return column if getattr(column, "concrete", False) else None


def _reader(model, field):
    """``read(serializer, instance)``: what DRF's ``Serializer.to_representation`` puts
    under the field's name; ``None`` when the field cannot be read so."""
    if isinstance(field, serializers.SerializerMethodField):
        method = field.method_name
        return lambda serializer, instance: getattr(serializer, method)(instance)
    column = _column(model, field)
    if column is not None and column.is_relation:
        if not isinstance(field, serializers.PrimaryKeyRelatedField) or field.pk_field:
            return None
        attname = column.attname  # the id, as DRF's pk-only optimisation reads it
        return lambda serializer, instance: getattr(instance, attname)
    if column is None:
        return partial(_read_as_drf, field)
    attname = column.attname
    if isinstance(column, UNCHANGED.get(type(field), ())):
        return lambda serializer, instance: getattr(instance, attname)
    represent = field.to_representation
    if _local_iso_datetime(field, column):
        return partial(_read_local_datetime, attname, represent)

    def read(serializer, instance):
        value = getattr(instance, attname)
        return None if value is None else represent(value)

    return read


def _local_iso_datetime(field, column) -> bool:
    """Whether DRF writes ``field`` as an ISO 8601 time in the current time zone."""
    fmt = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        type(field) is serializers.DateTimeField
        and isinstance(column, models.DateTimeField)
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and isinstance(fmt, str)
        and fmt.lower() == ISO_8601
    )


def _read_local_datetime(attname, represent, serializer, instance):
    """A stored (aware) time as ``DateTimeField`` writes it, with the request's current
    time zone looked up once per response rather than once per value."""
    value = getattr(instance, attname)
    if value is None or timezone.is_naive(value):
        return None if value is None else represent(value)
    context = serializer.context
    if TIME_ZONE_KEY not in context:
        context[TIME_ZONE_KEY] = timezone.get_current_timezone()
    text = value.astimezone(context[TIME_ZONE_KEY]).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _read_as_drf(field, serializer, instance):
    """Read ``field`` of ``instance`` as ``Serializer.to_representation`` does (it may
    raise ``SkipField``)."""
    attribute = field.get_attribute(instance)
    value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    return None if value is None else field.to_representation(attribute)


class PlannedRepresentationMixin:
    """A serializer whose rows are represented from a plan made once per class.

    DRF builds a serializer's fields on every request (``get_fields()``, a deep copy of
    the declared fields) and reads every field of every row through its generic
    ``get_attribute``. When every readable field is of a kind that depends on the row
    alone (:data:`ROW_ONLY_FIELDS`, or a ``SerializerMethodField``, called on the
    serializer of the request), the fields are built once per class and each row is read
    column by column, with the same output; otherwise DRF's own path is taken.
    """

    _plans: dict = {}

    @classmethod
    def representation_plan(cls):
        """``[(name, read), …]`` in the fields' order, or ``None`` (DRF's own path)."""
        if cls not in PlannedRepresentationMixin._plans:
            fields = cls(context={}).fields
            model = cls.Meta.model
            plan = []
            for name, field in fields.items():
                if field.write_only:
                    continue
                special = isinstance(field, serializers.SerializerMethodField)
                read = _reader(model, field) if special or _row_only(field) else None
                if read is None:
                    plan = None
                    break
                plan.append((name, read))
            PlannedRepresentationMixin._plans[cls] = plan
        return PlannedRepresentationMixin._plans[cls]

    def to_representation(self, instance):
        plan = self.representation_plan()
        if plan is None:
            return super().to_representation(instance)
        try:
            return {name: read(self, instance) for name, read in plan}
        except SkipField:  # a field DRF leaves out of this row
            return super().to_representation(instance)
