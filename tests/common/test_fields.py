from typing import TypedDict

import pytest

from common.fields import assign, fields_of


class ThingFields(TypedDict, total=False):
    name: str
    size: int | None


class Thing:
    name = "old"
    size = 1


def test_only_the_given_fields_are_set():
    thing = Thing()
    assert assign(thing, fields_of(ThingFields, {"size": None})) == ["size"]
    assert (thing.name, thing.size) == ("old", None)


def test_a_name_the_fields_do_not_declare_is_refused():
    with pytest.raises(TypeError, match="colour, weight"):
        fields_of(ThingFields, {"name": "x", "weight": 3, "colour": "red"})
