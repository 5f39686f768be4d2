from django.contrib import admin

from vrn.ingest.models import FileLoad, QuarantinedRow


@admin.register(FileLoad)
class FileLoadAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "dataset",
        "status",
        "synthetic",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "loaded_at",
        "loaded_by",
    )
    list_filter = ("dataset", "status", "synthetic")
    search_fields = ("file_name", "sha256")
    readonly_fields = [f.name for f in FileLoad._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(QuarantinedRow)
class QuarantinedRowAdmin(admin.ModelAdmin):
    list_display = ("load", "line_number", "field", "reason")
    list_filter = ("load__dataset", "field")
    readonly_fields = ("load", "line_number", "field", "reason", "raw")

    def has_add_permission(self, request: object) -> bool:
        return False
