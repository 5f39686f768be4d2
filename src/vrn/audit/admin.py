from typing import TYPE_CHECKING

from django.contrib import admin

from vrn.accounts.admin import ReadOnlyAdminMixin
from vrn.audit.models import AuditEvent

if TYPE_CHECKING:
    # ModelAdmin is generic only in the type stubs.
    AuditEventModelAdmin = admin.ModelAdmin[AuditEvent]
else:
    AuditEventModelAdmin = admin.ModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, AuditEventModelAdmin):
    list_display = ("at", "action", "actor", "address", "target")
    list_filter = ("action",)
    search_fields = ("actor", "target")
    readonly_fields = ("at", "action", "actor", "address", "target", "detail")
