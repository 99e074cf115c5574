"""The rules every public service keeps, checked on the source: typed keyword arguments (no `data`
mapping; an entity's writable fields as `**fields: Unpack[<Entity>Fields]`, a TypedDict checked at run
time by `fields_of`), and an author (`by`) only where the service uses it (recorded in an audit field,
or the scope and defaults it decides)."""

import ast
import importlib
import inspect
import re
import sys

import pytest

SERVICE_MODULES = [
    "accounts.services",
    "sales.services",
    "dossiers.services.competitors",
    "dossiers.services.interactions",
    "dossiers.services.plans",
    "dossiers.services.profile",
    "dossiers.services.tenders",
    "retention.services",
    "retention.survey_services",
    "analysis.services",
]


def _public_services() -> list:
    found = []
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for attr, function in vars(module).items():
            if inspect.isfunction(function) and not attr.startswith("_") and function.__module__ == name:
                found.append(pytest.param(function, id=f"{name}.{attr}"))
    return found


def _uses(function, name: str) -> bool:
    tree = ast.parse(inspect.getsource(inspect.unwrap(function)))
    body = tree.body[0]
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for statement in body.body
        for node in ast.walk(statement)
    )


@pytest.mark.parametrize("function", _public_services())
def test_a_service_takes_no_data_mapping(function):
    assert "data" not in inspect.signature(function).parameters


@pytest.mark.parametrize("function", _public_services())
def test_a_service_that_takes_an_author_uses_it(function):
    parameters = inspect.signature(function).parameters
    if "by" in parameters:
        assert parameters["by"].kind is inspect.Parameter.KEYWORD_ONLY
        assert _uses(function, "by"), f"{function.__name__} takes `by` but never records or uses it"


@pytest.mark.parametrize("function", _public_services())
def test_a_service_takes_its_fields_as_one_typed_dict_it_checks(function):
    """`**fields: Unpack[X]` with X a TypedDict (total=False) of the module, which the module checks
    with `fields_of(X, ...)` so that an unknown name is refused at run time too."""
    rest = [
        p for p in inspect.signature(function).parameters.values() if p.kind is inspect.Parameter.VAR_KEYWORD
    ]
    if not rest:
        return
    (parameter,) = rest
    match = re.fullmatch(r"Unpack\[(\w+)\]", str(parameter.annotation))
    assert match, f"{function.__name__}: **{parameter.name} is not typed Unpack[<TypedDict>]"
    module = sys.modules[function.__module__]
    schema = getattr(module, match[1])
    assert schema.__total__ is False and not schema.__required_keys__
    assert f"fields_of({match[1]}," in inspect.getsource(module)
