"""Markers of the portal's tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "api_fuzz: schemathesis over the whole API schema, failing on any 5xx "
        "(pytest -m api_fuzz runs it alone)",
    )
