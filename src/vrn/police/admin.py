"""The force's person-level extract in the admin: read-only, and only for users who may see
person-level data (:class:`vrn.accounts.admin.PersonLevelAdmin`)."""

from __future__ import annotations

from django.contrib import admin

from vrn.accounts.admin import PersonLevelAdmin
from vrn.police.models import Crime, Person


@admin.register(Crime)
class CrimeAdmin(PersonLevelAdmin):
    list_display = ("crime_reference", "force_code", "offence_code", "month", "synthetic", "load")
    list_filter = ("synthetic", "force_code")
    search_fields = ("crime_reference",)


@admin.register(Person)
class PersonAdmin(PersonLevelAdmin):
    list_display = ("crime_reference", "force_code", "role", "crime_month", "synthetic", "load")
    list_filter = ("synthetic", "role")
    search_fields = ("crime_reference", "person_key")
