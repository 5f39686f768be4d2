"""Which synthetic worlds were written, so that a load of one of their files (same sha256)
can be traced to its seed and its ``truth.json`` (the page on synthetic data shows both)."""

from __future__ import annotations

from datetime import datetime

from django.db import models


class SyntheticWorld(models.Model):
    """A world written by ``vrn synth`` or ``vrn demo``: where, from what, and the sha256
    of every file."""

    directory: models.CharField[str, str] = models.CharField(
        max_length=1000, unique=True, help_text="where it was written"
    )
    # Text: a seed may be any non-negative integer, larger than 64 bits.
    seed: models.CharField[str, str] = models.CharField(max_length=100)
    mode: models.CharField[str, str] = models.CharField(
        max_length=16, help_text="augmented or pure"
    )
    crimes: models.PositiveIntegerField[int, int] = models.PositiveIntegerField()
    command: models.CharField[str, str] = models.CharField(
        max_length=500, help_text="the command, without paths"
    )
    files = models.JSONField(help_text="file name -> sha256")
    rows = models.JSONField(help_text="data file name -> rows")
    written_at: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"synthetic {self.mode} world, seed {self.seed} ({self.directory})"
