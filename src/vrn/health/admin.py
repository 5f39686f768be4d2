"""ED attendances and admission episodes in the admin: read-only, and only for users who may
see person-level data (:class:`vrn.accounts.admin.PersonLevelAdmin`)."""

from __future__ import annotations

from django.contrib import admin

from vrn.accounts.admin import PersonLevelAdmin
from vrn.health.models import AdmissionEpisode, EdAttendance


@admin.register(EdAttendance)
class EdAttendanceAdmin(PersonLevelAdmin):
    list_display = ("attendance_id", "treatment_site_code", "month", "synthetic", "load")
    list_filter = ("synthetic", "treatment_site_code")
    search_fields = ("attendance_id", "person_key")


@admin.register(AdmissionEpisode)
class AdmissionEpisodeAdmin(PersonLevelAdmin):
    list_display = ("episode_id", "provider_code", "month", "synthetic", "load")
    list_filter = ("synthetic", "provider_code")
    search_fields = ("episode_id", "person_key")
