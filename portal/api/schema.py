"""OpenAPI description of the portal's own API parts (loaded with the API URLs)."""

from typing import ClassVar

from django.conf import settings
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describe ``Authorization: Token <key>`` for the generated schema."""

    target_class = "portal.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication: "Token <key>".',
        }


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process, language and version.

    Generating it walks every endpoint's serializers: 2.7 s of a worker's time for each
    request. It changes only with the code (a new process) and the language of its
    descriptions, and it is the same for every client (``SERVE_PUBLIC``), so each process
    keeps the schemas it has generated.
    """

    _generated: ClassVar[dict[tuple, dict]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, settings.ROOT_URLCONF)
        schema = self._generated.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=request, public=self.serve_public)
            self._generated[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
