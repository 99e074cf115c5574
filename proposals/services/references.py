"""The shared library of success stories that proposals cite as references."""

from __future__ import annotations

from typing import TypedDict

from django.db import transaction
from typing_extensions import Unpack

from accounts.models import User
from common.errors import check_version
from common.fields import assign, fields_of
from sales.models import ProductLine

from ..models import SuccessStory
from ._common import clean


class SuccessStoryFields(TypedDict, total=False):
    title: str
    client_name: str
    industry: str
    product_line: ProductLine | None
    project: str
    result: str
    recommender_name: str
    recommender_position: str
    recommender_phone: str
    year: int | None


@transaction.atomic
def success_story_create(*, by: User, **fields: Unpack[SuccessStoryFields]) -> SuccessStory:
    """A new reference in the shared library, written by `by`."""
    story = SuccessStory(created_by=by)
    assign(story, fields_of(SuccessStoryFields, fields))
    clean(story, exclude=["created_by"])
    story.save()
    return story


@transaction.atomic
def success_story_update(
    *, story: SuccessStory, expected_version: int | None = None, **fields: Unpack[SuccessStoryFields]
) -> SuccessStory:
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    check_version(story, expected_version)
    assign(story, fields_of(SuccessStoryFields, fields))
    clean(story, exclude=["created_by"])
    story.version += 1
    story.save()
    return story


@transaction.atomic
def success_story_delete(*, story: SuccessStory) -> None:
    """Remove a reference; the proposals that cited it keep their text but lose the link."""
    story.delete()
