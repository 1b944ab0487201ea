"""Rows of the permission matrix (tests/test_permissions.py), one module per feature.

Each module defines ROUTES: (rule, method, path with {slug}, expectation(role, state)). The
people fixture's organisations are `host-org`, `other-org` and `partner-org`.
"""
import importlib
import pkgutil


def feature_routes() -> list[tuple]:
    """Every feature module's ROUTES, in module-name order."""
    rows = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if module != "roles":
            rows += importlib.import_module(f"{__name__}.{module}").ROUTES
    return rows
