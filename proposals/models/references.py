"""The shared library of success stories that proposals cite as references."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.base import RegistryQuerySet
from sales.models import ProductLine


class SuccessStory(models.Model):
    """A reference: a similar project at a named client, its result, and who will recommend us."""

    title = models.CharField(_("project"), max_length=200)
    client_name = models.CharField(_("client"), max_length=200)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    product_line = models.ForeignKey(
        ProductLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product line"),
    )
    project = models.TextField(_("what we did"), blank=True)
    result = models.TextField(_("result for the client"))
    recommender_name = models.CharField(_("recommends us"), max_length=160, blank=True)
    recommender_position = models.CharField(_("their position"), max_length=160, blank=True)
    recommender_phone = models.CharField(_("their phone"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["client_name", "title", "pk"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")

    def __str__(self) -> str:
        return f"{self.client_name}: {self.title}"
