"""No two API schemas share a name: django-ninja files each operation's schemas in the OpenAPI
document under their class name, so a second class of the same name silently replaces the
first, and the document then describes one of the two operations wrongly (clients and the
schemathesis run check answers against it). The guard walks every schema class of the project."""

from __future__ import annotations

import importlib
from collections import defaultdict

from pydantic import BaseModel

from dualcirc.api import api
from tests.unit.core.test_form_bases import _project_modules, _subclasses


def test_no_two_api_schemas_of_the_project_share_a_name():
    for name in _project_modules():
        importlib.import_module(name)
    document = api.get_openapi_schema()
    modules_by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(BaseModel):
        if cls.__module__.startswith("dualcirc.") and not cls.__name__.startswith("_"):
            modules_by_name[cls.__name__].add(cls.__module__)

    shared = {
        name: sorted(modules)
        for name, modules in modules_by_name.items()
        if len(modules) > 1 and name in document["components"]["schemas"]
    }

    assert "FairFunnelOut" in document["components"]["schemas"]  # the walk saw the schemas
    assert shared == {}
