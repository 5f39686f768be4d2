"""Organisations and users.

Roles are Django groups (see :mod:`vrn.accounts.roles`); a user belongs to one
organisation, which later issues use to scope what a provider caseworker may see.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    """A partner organisation of the network: police, NHS trust, council, provider, ..."""

    class Kind(models.TextChoices):
        NETWORK = "network", "Violence Reduction Network"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        EDUCATION = "education", "Education"
        PROVIDER = "provider", "Intervention provider"
        COMMUNITY = "community", "Community and voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    #: How files and the API name the organisation (e.g. a provider's ``provider_code``).
    code = models.SlugField(max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="organisation_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Their roles are their groups."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        permissions = [
            ("view_network_dashboard", "Can view the network and CSP dashboards"),
            ("download_dashboard_data", "Can download the data behind dashboard charts"),
            ("view_data_quality", "Can view load records and quarantined rows"),
            ("load_data", "Can load partner and public data"),
            ("view_person_level_data", "Can view pseudonymised person-level data"),
            ("manage_programmes", "Can manage strategy, programmes and interventions"),
            ("record_casework", "Can record referrals and sessions for own participants"),
            ("manage_users", "Can manage users, organisations and agreements"),
        ]
