"""Reference geography models.

Areas form one hierarchy keyed by their ONS (GSS) code, which is unique across area
types: LSOA (2021) -> ward -> local authority -> Community Safety Partnership ->
police force area. Reference tables are replaced whole by ``vrn load-reference``.
"""

from __future__ import annotations

from django.db import models

#: The population source loaded by ``vrn load-reference``.
CENSUS_2021 = "Census 2021"
#: The deprivation release loaded by ``vrn load-reference``.
IOD_2025 = "IoD2025"


class AreaType(models.TextChoices):
    LSOA = "lsoa21", "LSOA (2021)"
    WARD = "ward24", "Electoral ward (2024)"
    LOCAL_AUTHORITY = "ltla24", "Local authority (2024)"
    CSP = "csp24", "Community Safety Partnership (2024)"
    POLICE_FORCE_AREA = "pfa24", "Police force area (2024)"


class Area(models.Model):
    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=8, choices=AreaType.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    #: For LSOAs: the local authority they sit in, so that queries need no join chain.
    local_authority = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["type", "name"]
        indexes = [models.Index(fields=["type", "local_authority"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LsoaChange(models.Model):
    """ONS best-fit lookup from 2011 LSOAs to 2021 LSOAs (change codes U, S, M, X)."""

    class ChangeCode(models.TextChoices):
        UNCHANGED = "U", "Unchanged"
        SPLIT = "S", "Split"
        MERGED = "M", "Merged"
        COMPLEX = "X", "Complex redesign"

    lsoa11_code = models.CharField(max_length=9, db_index=True)
    lsoa11_name = models.CharField(max_length=200)
    lsoa21 = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="lsoa11_sources")
    change_code = models.CharField(max_length=1, choices=ChangeCode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lsoa11_code", "lsoa21"], name="unique_lsoa_change")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa11_code} -> {self.lsoa21_id} ({self.change_code})"


class Deprivation(models.Model):
    """Index of Multiple Deprivation for one 2021 LSOA in one release (e.g. IoD2025)."""

    lsoa = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="deprivation")
    release = models.CharField(max_length=16)
    imd_score = models.FloatField()
    imd_rank = models.PositiveIntegerField(help_text="1 = most deprived in England")
    imd_decile = models.PositiveSmallIntegerField(help_text="1 = most deprived 10%")
    #: Score, rank and decile of each of the seven domains, keyed by domain name.
    domains = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lsoa", "release"], name="unique_deprivation")
        ]

    def __str__(self) -> str:
        return f"{self.release} {self.lsoa_id}: decile {self.imd_decile}"


class Population(models.Model):
    """Usual residents of one 2021 LSOA in one age group, from one source."""

    lsoa = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="population")
    source = models.CharField(max_length=32)
    age_group = models.CharField(max_length=64)
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField(null=True, help_text="inclusive; null = and over")
    residents = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "source", "age_group"], name="unique_population"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.lsoa_id} {self.age_group}: {self.residents}"


class Boundary(models.Model):
    """An area's polygon as GeoJSON geometry (WGS84 longitude/latitude)."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, primary_key=True)
    geometry = models.JSONField()
    source = models.CharField(max_length=200, help_text="the file it was read from")

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self) -> str:
        return f"Boundary of {self.area_id}"


class ReferenceLoad(models.Model):
    """One run of ``vrn load-reference``: which files, with what checksums and counts."""

    loaded_at = models.DateTimeField()
    duration_seconds = models.FloatField()
    source_dir = models.CharField(max_length=500)
    files = models.JSONField(help_text="file name -> {sha256, rows}")
    counts = models.JSONField(help_text="table -> rows loaded")
    notes = models.JSONField(
        default=list, help_text="rows not loaded or ambiguous links, counted and explained"
    )

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"Reference load of {self.loaded_at:%Y-%m-%d %H:%M}"

    def summary(self) -> dict[str, object]:
        """What was loaded, from which files, as plain JSON-ready values."""
        return {
            "loaded_at": self.loaded_at.isoformat(),
            "duration_seconds": self.duration_seconds,
            "source_dir": self.source_dir,
            "files": self.files,
            "counts": self.counts,
            "notes": self.notes,
        }
