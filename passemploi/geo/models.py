"""French communes (INSEE's official geography, overseas included)."""

from django.db import models

from passemploi.geo.text import normalize


class Commune(models.Model):
    """A current commune, or a municipal arrondissement of Paris, Lyon or Marseille.

    Loaded from the file shipped in ``geo/data`` by ``manage.py load_communes``; never edited
    by hand. Overseas collectivities without coordinates in the sources keep ``latitude`` and
    ``longitude`` empty: a search around them falls back to the commune itself."""

    insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    # Lower case, no accent, hyphens and apostrophes as spaces: what autocomplete compares.
    search_name = models.CharField(max_length=100, db_index=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)
    departement = models.CharField("département", max_length=3, db_index=True)
    region = models.CharField("région", max_length=3, blank=True)
    population = models.PositiveIntegerField(default=0)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["-population", "insee"]
        indexes = [models.Index(fields=["-population"], name="geo_commune_population")]

    def __str__(self):
        return f"{self.name} ({self.departement})"

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()

    @property
    def main_postal_code(self) -> str:
        codes = self.postal_code_list
        return codes[0] if codes else ""

    @property
    def label(self) -> str:
        """What a location field shows and accepts back: ``Lyon (69)``."""
        return f"{self.name} ({self.departement})"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
