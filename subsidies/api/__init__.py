"""The subsidies API: ``serializers/``, ``views/`` (one module per topic) and ``urls``.

``portal.api.urls`` includes this package as ``subsidies.api``; its ``urlpatterns`` are
those of :mod:`subsidies.api.urls`, loaded only when asked for, so importing a serializer
does not load the views.
"""


def __getattr__(name: str):
    # Until portal.api.urls includes "subsidies.api.urls" itself (portal is not ours to edit).
    if name == "urlpatterns":
        from subsidies.api.urls import urlpatterns

        return urlpatterns
    raise AttributeError(name)
