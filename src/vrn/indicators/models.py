"""Indicator values in the layout of a Fingertips "all data" export (docs/formats/
indicators.md): one row per indicator, area, sex, age, category and period."""

from __future__ import annotations

from django.db import models

from vrn.ingest.models import FileLoad


class IndicatorValue(models.Model):
    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    indicator_id = models.PositiveIntegerField(help_text="Fingertips indicator id")
    indicator_name = models.CharField(max_length=255)
    parent_code = models.CharField(max_length=20, blank=True)
    parent_name = models.CharField(max_length=255, blank=True)
    area_code = models.CharField(max_length=20)
    area_name = models.CharField(max_length=255)
    area_type = models.CharField(max_length=100)
    sex = models.CharField(max_length=8, help_text="Persons, Male or Female")
    age = models.CharField(max_length=50)
    category_type = models.CharField(max_length=255, blank=True)
    category = models.CharField(max_length=255, blank=True)
    time_period = models.CharField(max_length=30)
    time_period_sortable = models.PositiveIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True, help_text="blank where suppressed")
    lower_ci_95 = models.FloatField(null=True, blank=True)
    upper_ci_95 = models.FloatField(null=True, blank=True)
    lower_ci_99_8 = models.FloatField(null=True, blank=True)
    upper_ci_99_8 = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=255, blank=True)
    recent_trend = models.CharField(max_length=255, blank=True)
    compared_to_england = models.CharField(max_length=255, blank=True)
    compared_to_parent = models.CharField(
        max_length=255,
        blank=True,
        help_text="Fingertips' 'Compared to <parent> value or percentiles' or "
        "'Compared to percentiles'",
    )
    new_data = models.CharField(max_length=255, blank=True)
    compared_to_goal = models.CharField(max_length=255, blank=True)
    time_period_range = models.CharField(max_length=50, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["indicator_id", "area_code", "time_period_sortable"]),
            models.Index(fields=["area_code"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.time_period}: {self.value}"
