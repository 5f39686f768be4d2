"""Emergency-department assault attendances (ISTV, ISB 1594) and admitted patient care
episodes (HES APC style), pseudonymised at ingest (docs/formats/README.md).

Selection by definition (violence-related admission, cause group, condition flags) is done
at analysis time with ``vrn.definitions``, so a changed definition applies to every episode
already loaded; only facts of the row itself are derived here.
"""

from __future__ import annotations

from django.db import models

from vrn.ingest.models import FileLoad
from vrn.ingest.places import PlaceMatch
from vrn.ingest.pseudonymise import KeyBasis

#: Diagnosis positions of an episode (``diag_01`` ... ``diag_20``).
DIAGNOSIS_POSITIONS = 20
DIAGNOSIS_FIELDS = tuple(f"diag_{i:02d}" for i in range(1, DIAGNOSIS_POSITIONS + 1))


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "X", "Other / not specified"
    UNKNOWN = "U", "Unknown"


class GeocodeConfidence(models.TextChoices):
    EXACT = "exact", "Address or named premises"
    STREET = "street", "Street"
    AREA = "area", "Neighbourhood or postcode district"
    NONE = "none", "Not geocoded"


class IncidentLocationType(models.TextChoices):
    STREET = "street", "Street"
    LICENSED_PREMISES = "licensed_premises", "Licensed premises"
    HOME = "home", "Home"
    SCHOOL = "school", "School"
    WORKPLACE = "workplace", "Workplace"
    PUBLIC_TRANSPORT = "public_transport", "Public transport"
    OTHER_PUBLIC = "other_public", "Other public place"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


#: Location types that are public places (docs/formats/istv.md).
PUBLIC_LOCATION_TYPES = (
    "street",
    "licensed_premises",
    "school",
    "public_transport",
    "other_public",
)


class MeansOfAssault(models.TextChoices):
    BODY_PART = "body_part", "Body part (hit, kicked, punched)"
    KNIFE_SHARP = "knife_sharp", "Knife or sharp object"
    BLUNT_OBJECT = "blunt_object", "Blunt object"
    GLASS_BOTTLE = "glass_bottle", "Glass or bottle"
    FIREARM = "firearm", "Firearm"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class EdAttendance(models.Model):
    """One emergency-department attendance for assault (ISTV minimum dataset)."""

    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    attendance_id = models.CharField(max_length=40)
    treatment_site_code = models.CharField(max_length=9, help_text="ODS code")
    arrival = models.DateTimeField()
    incident_date = models.DateField(null=True, blank=True)
    incident_time = models.TimeField(null=True, blank=True, help_text="UK time")
    incident_location = models.CharField(max_length=200, blank=True)
    incident_easting = models.FloatField(null=True, blank=True)
    incident_northing = models.FloatField(null=True, blank=True)
    incident_latitude = models.FloatField(
        null=True, blank=True, help_text="WGS84, given or converted"
    )
    incident_longitude = models.FloatField(
        null=True, blank=True, help_text="WGS84, given or converted"
    )
    geocode_confidence = models.CharField(
        max_length=6, choices=GeocodeConfidence.choices, blank=True
    )
    incident_location_type = models.CharField(
        max_length=20, choices=IncidentLocationType.choices, blank=True
    )
    means_of_assault = models.CharField(max_length=16, choices=MeansOfAssault.choices)
    person_key = models.CharField(max_length=64, blank=True, help_text="blank: none shared")
    key_basis = models.CharField(max_length=5, choices=KeyBasis.CHOICES, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="on arrival")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    residence_postcode_district = models.CharField(max_length=4, blank=True)
    residence_lsoa_published = models.CharField(max_length=9, blank=True)
    # Derived at load time.
    arrival_date = models.DateField(help_text="UK date of arrival")
    month = models.DateField(help_text="first day of the month of arrival")
    incident_hour = models.PositiveSmallIntegerField(null=True, blank=True)
    incident_weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = Monday ... 7 = Sunday"
    )
    incident_lsoa21_code = models.CharField(max_length=9, blank=True)
    incident_local_authority_code = models.CharField(max_length=9, blank=True)
    incident_in_network = models.BooleanField(
        null=True, blank=True, help_text="unknown unless geocoded to exact or street"
    )
    residence_lsoa21_code = models.CharField(max_length=9, blank=True)
    residence_lsoa_match = models.CharField(max_length=24, choices=PlaceMatch.choices)
    residence_local_authority_code = models.CharField(max_length=9, blank=True)
    resident_in_network = models.BooleanField()
    public_place = models.GeneratedField(
        # Django accepts a Q here; the stubs want an Expression (changing it needs a migration).
        expression=models.Q(incident_location_type__in=PUBLIC_LOCATION_TYPES),  # type: ignore[arg-type]
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = "ED assault attendance"
        indexes = [
            models.Index(fields=["treatment_site_code", "attendance_id"]),
            models.Index(fields=["month", "incident_local_authority_code"]),
            models.Index(fields=["person_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.treatment_site_code} {self.attendance_id}"


def _diagnosis(position: int) -> models.CharField[str, str]:
    return models.CharField(
        max_length=4,
        blank=True,
        help_text="primary diagnosis" if position == 1 else f"diagnosis position {position}",
    )


class AdmissionEpisode(models.Model):
    """One consultant episode of admitted patient care, all diagnoses on the row."""

    load = models.ForeignKey(FileLoad, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    episode_id = models.CharField(max_length=40)
    provider_code = models.CharField(max_length=9, help_text="ODS code")
    person_key = models.CharField(max_length=64)
    key_basis = models.CharField(max_length=5, choices=KeyBasis.CHOICES)
    admission_date = models.DateField(help_text="HES ADMIDATE")
    admission_method = models.CharField(max_length=2, help_text="HES ADMIMETH")
    episode_order = models.PositiveSmallIntegerField(help_text="HES EPIORDER")
    episode_status = models.CharField(max_length=1, help_text="HES EPISTAT")
    episode_start = models.DateField(null=True, blank=True)
    episode_end = models.DateField(null=True, blank=True)
    discharge_date = models.DateField(null=True, blank=True)
    length_of_stay = models.PositiveIntegerField(
        null=True, blank=True, help_text="days; from the dates when not given"
    )
    diag_01 = _diagnosis(1)
    diag_02 = _diagnosis(2)
    diag_03 = _diagnosis(3)
    diag_04 = _diagnosis(4)
    diag_05 = _diagnosis(5)
    diag_06 = _diagnosis(6)
    diag_07 = _diagnosis(7)
    diag_08 = _diagnosis(8)
    diag_09 = _diagnosis(9)
    diag_10 = _diagnosis(10)
    diag_11 = _diagnosis(11)
    diag_12 = _diagnosis(12)
    diag_13 = _diagnosis(13)
    diag_14 = _diagnosis(14)
    diag_15 = _diagnosis(15)
    diag_16 = _diagnosis(16)
    diag_17 = _diagnosis(17)
    diag_18 = _diagnosis(18)
    diag_19 = _diagnosis(19)
    diag_20 = _diagnosis(20)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="HES STARTAGE; under one year (7001-7007) is 0"
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    residence_postcode_district = models.CharField(max_length=4, blank=True)
    residence_lsoa_published = models.CharField(max_length=9, blank=True)
    # Derived at load time.
    month = models.DateField(help_text="first day of the month of admission")
    first_emergency_episode = models.BooleanField(
        help_text="emergency admission method (hospital definition) and episode order 1"
    )
    diagnosis_count = models.PositiveSmallIntegerField(help_text="diagnosis positions used")
    residence_lsoa21_code = models.CharField(max_length=9, blank=True)
    residence_lsoa_match = models.CharField(max_length=24, choices=PlaceMatch.choices)
    residence_local_authority_code = models.CharField(max_length=9, blank=True)
    resident_in_network = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["provider_code", "episode_id"]),
            models.Index(fields=["month", "residence_local_authority_code"]),
            models.Index(fields=["person_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.provider_code} {self.episode_id}"
