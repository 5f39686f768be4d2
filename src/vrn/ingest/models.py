"""Provenance of every file load, and the rows it refused.

Every file a loader accepts gets one :class:`FileLoad`; its counts satisfy
``rows_read == rows_loaded + rows_quarantined``, and every refused row is kept as a
:class:`QuarantinedRow` with its line number, field and reason. A load of synthetic data
says so (``FileLoad.synthetic``), as does each of its rows.
"""

from __future__ import annotations

from django.db import models


class FileLoad(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded by a corrected file"
        WITHDRAWN = "withdrawn", "Withdrawn: its rows were removed"

    dataset = models.CharField(max_length=64, db_index=True, help_text="e.g. police-uk-street")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField()
    loaded_at = models.DateTimeField()
    loaded_by = models.CharField(max_length=150, help_text="user name or operating-system user")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CURRENT)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    #: The partitions this file is the authority for, e.g. [["Leicestershire Police", "2023-01"]].
    partitions = models.JSONField(default=list)
    rows_read = models.PositiveIntegerField()
    rows_loaded = models.PositiveIntegerField()
    rows_quarantined = models.PositiveIntegerField()
    #: The model the rows went into, e.g. "police.Crime" (blank for loads from before it).
    table = models.CharField(max_length=100, blank=True, help_text="app_label.ModelName")
    #: The file's rows are synthetic (made up, e.g. by ``vrn synth``), not real records.
    synthetic = models.BooleanField(
        default=False, help_text="the rows are synthetic: they describe no real people"
    )

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    rows_read=models.F("rows_loaded") + models.F("rows_quarantined")
                ),
                name="file_load_rows_accounted_for",
            ),
            # The same content is current at most once per dataset, whatever runs at once.
            models.UniqueConstraint(
                fields=["dataset", "sha256"],
                condition=models.Q(status="current"),
                name="file_load_one_current_copy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.file_name} ({self.sha256[:12]})"


class QuarantinedRow(models.Model):
    load = models.ForeignKey(FileLoad, on_delete=models.CASCADE, related_name="quarantined_rows")
    line_number = models.PositiveIntegerField(
        help_text="1-based line in the file; line 1 is the header"
    )
    field = models.CharField(max_length=100)
    reason = models.TextField()
    raw = models.JSONField(help_text="the row as read, column -> text")

    class Meta:
        ordering = ["load", "line_number"]

    def __str__(self) -> str:
        return f"line {self.line_number}, {self.field}: {self.reason}"
