"""Structure news ("Ma Mission Locale"): short items every young person of the structure sees."""

import uuid

from django.db import models
from django.utils import timezone

from passemploi.accounts.models import Counselor, Structure

TITLE_MAX = 120
TEXT_MAX = 2_000


class NewsItem(models.Model):
    """A news item (actualité) of a structure. Any counselor of the structure publishes, edits
    and deletes them; who wrote and who last changed it are kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="news")
    author = models.ForeignKey(
        Counselor, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="auteur"
    )
    updated_by = models.ForeignKey(
        Counselor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )
    title = models.CharField("titre", max_length=TITLE_MAX)
    text = models.TextField("texte", max_length=TEXT_MAX)
    link = models.URLField("lien", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "actualité"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "-created_at"])]

    def __str__(self):
        return self.title
