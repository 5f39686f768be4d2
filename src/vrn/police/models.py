"""Person-level police extract: crimes and the people involved in them.

Values are kept as the force gave them (codes normalised to the case the format page
says); derived values (police.uk crime type, 2021 LSOA, local authority, network flag,
hour and weekday) sit beside them. People link to crimes by force and crime reference,
which survive a corrected crimes file (a database foreign key would not). No direct
identifier is stored: a person is a ``person_key`` (docs/formats/README.md).
"""

from __future__ import annotations

from django.db import models

from vrn.ingest.models import FileLoad
from vrn.ingest.places import PlaceMatch
from vrn.ingest.pseudonymise import KeyBasis


class LocationType(models.TextChoices):
    PUBLIC = "public", "Public place"
    PRIVATE = "private", "Private (dwelling, private premises)"
    UNKNOWN = "unknown", "Unknown"


class Weapon(models.TextChoices):
    KNIFE_OR_SHARP = "knife_or_sharp", "Knife or sharp instrument"
    FIREARM = "firearm", "Firearm"
    OTHER = "other", "Other weapon"
    NONE = "none", "No weapon"
    UNKNOWN = "unknown", "Unknown"


class Injury(models.TextChoices):
    NONE = "none", "No injury"
    MINOR = "minor", "Minor"
    SERIOUS = "serious", "Serious"
    FATAL = "fatal", "Fatal"
    UNKNOWN = "unknown", "Unknown"


class Role(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    OFFENDER = "offender", "Offender (charged, cautioned or convicted)"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "X", "Other"
    UNKNOWN = "U", "Unknown"


class Ethnicity(models.TextChoices):
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class Crime(models.Model):
    """One crime of a force's person-level extract (crimes file)."""

    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    crime_reference = models.CharField(max_length=40)
    force_code = models.CharField(max_length=9)
    offence_code = models.CharField(max_length=10, help_text="Home Office offence code")
    offence_description = models.CharField(max_length=255, blank=True)
    committed_from = models.DateTimeField(help_text="midnight (UK time) when only a date")
    committed_to = models.DateTimeField(null=True, blank=True)
    location_type = models.CharField(max_length=8, choices=LocationType.choices)
    weapon = models.CharField(max_length=16, choices=Weapon.choices)
    domestic = models.BooleanField()
    injury = models.CharField(max_length=8, choices=Injury.choices)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True, help_text="WGS84, given or converted")
    longitude = models.FloatField(null=True, blank=True, help_text="WGS84, given or converted")
    lsoa_code_published = models.CharField(max_length=9, blank=True)
    # Derived at load time.
    police_uk_crime_type = models.CharField(max_length=64, help_text="offence-codes definition")
    committed_date = models.DateField(help_text="UK date of committed_from")
    month = models.DateField(help_text="first day of the month of committed_from")
    has_time = models.BooleanField(help_text="committed_from gave a time of day")
    time_exact = models.BooleanField(help_text="a time of day and no window (committed_to)")
    hour = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0-23, UK time")
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = Monday ... 7 = Sunday"
    )
    lsoa21_code = models.CharField(max_length=9, blank=True)
    lsoa_match = models.CharField(max_length=24, choices=PlaceMatch.choices)
    local_authority_code = models.CharField(max_length=9, blank=True)
    in_network_area = models.BooleanField()
    public_place = models.GeneratedField(
        # Django accepts a Q here; the stubs want an Expression (changing it needs a migration).
        expression=models.Q(location_type="public"),  # type: ignore[arg-type]
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            models.Index(fields=["force_code", "crime_reference"]),
            models.Index(fields=["month", "local_authority_code", "police_uk_crime_type"]),
            models.Index(fields=["offence_code", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.force_code} {self.crime_reference} ({self.offence_code})"


class Person(models.Model):
    """A victim, suspect or offender of a crime (people file), pseudonymised."""

    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    force_code = models.CharField(max_length=9)
    crime_reference = models.CharField(max_length=40)
    crime_month = models.DateField(help_text="month of the crime, as loaded with the people")
    role = models.CharField(max_length=8, choices=Role.choices)
    person_key = models.CharField(max_length=64, help_text="HMAC-SHA-256 pseudonym")
    key_basis = models.CharField(max_length=5, choices=KeyBasis.CHOICES)
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="at the crime")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    residence_lsoa_published = models.CharField(max_length=9, blank=True)
    residence_postcode_district = models.CharField(max_length=4, blank=True)
    # Derived at load time.
    residence_lsoa21_code = models.CharField(max_length=9, blank=True)
    residence_lsoa_match = models.CharField(max_length=24, choices=PlaceMatch.choices)
    residence_local_authority_code = models.CharField(max_length=9, blank=True)
    resident_in_network = models.BooleanField()

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["force_code", "crime_reference"]),
            models.Index(fields=["person_key"]),
            models.Index(fields=["crime_month", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.force_code} {self.crime_reference}"
