"""Pages of the registry."""

urlpatterns: list = []
