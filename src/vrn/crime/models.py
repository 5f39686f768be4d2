"""data.police.uk street-level crime records, as published and with our harmonisation.

Original values are kept as published (``lsoa_code_published``, ``lsoa_name_published``);
derived values (the 2021 LSOA, its local authority, the flags) sit beside them.
"""

from __future__ import annotations

from django.db import models

from vrn.ingest.models import FileLoad


class LsoaMatch(models.TextChoices):
    AS_PUBLISHED = "2021", "Published as a 2021 LSOA"
    FROM_2011_SINGLE = "2011-single", "2011 LSOA with a single 2021 successor"
    FROM_2011_SPLIT_POINT = "2011-split-point", "2011 LSOA split; 2021 part chosen by location"
    FROM_2011_SPLIT_UNRESOLVED = (
        "2011-split-unresolved",
        "2011 LSOA split and no way to choose the part; local authority kept",
    )
    NONE = "none", "No LSOA published"


class StreetCrime(models.Model):
    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    crime_id = models.CharField(
        max_length=64, blank=True, help_text="empty for anti-social behaviour"
    )
    month = models.DateField(help_text="first day of the month the crime was recorded in")
    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    location = models.CharField(max_length=255, blank=True)
    lsoa_code_published = models.CharField(max_length=9, blank=True)
    lsoa_name_published = models.CharField(max_length=100, blank=True)
    crime_type = models.CharField(max_length=64)
    last_outcome_category = models.CharField(max_length=255, blank=True)
    context = models.TextField(blank=True)
    # Derived at load time.
    lsoa21_code = models.CharField(max_length=9, blank=True, help_text="harmonised 2021 LSOA")
    lsoa_match = models.CharField(max_length=24, choices=LsoaMatch.choices)
    local_authority_code = models.CharField(max_length=9, blank=True)
    is_anti_social_behaviour = models.GeneratedField(
        # Django accepts a Q here; the stubs want an Expression (changing it needs a migration).
        expression=models.Q(crime_type="Anti-social behaviour"),  # type: ignore[arg-type]
        output_field=models.BooleanField(),
        db_persist=True,
    )
    has_location = models.GeneratedField(
        # Django accepts a Q here; the stubs want an Expression (changing it needs a migration).
        expression=models.Q(longitude__isnull=False),  # type: ignore[arg-type]
        output_field=models.BooleanField(),
        db_persist=True,
    )
    in_network_area = models.BooleanField(
        help_text="the LSOA lies in one of the network's local authorities at load time"
    )

    class Meta:
        indexes = [models.Index(fields=["month", "local_authority_code", "crime_type"])]

    def __str__(self) -> str:
        return f"{self.crime_type}, {self.month:%Y-%m}, {self.location} (line {self.line_number})"
