"""Read-only admin views of the reference tables (they change only through load-reference)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vrn.geography.models import (
    Area,
    Boundary,
    Deprivation,
    LsoaChange,
    Population,
    ReferenceLoad,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows rows; adding, changing and deleting are refused."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "type", "parent", "local_authority")
    list_filter = ("type",)
    list_select_related = ("parent", "local_authority")
    search_fields = ("code", "name")


@admin.register(LsoaChange)
class LsoaChangeAdmin(ReadOnlyAdmin):
    list_display = ("lsoa11_code", "lsoa11_name", "change_code", "lsoa21")
    list_filter = ("change_code",)
    list_select_related = ("lsoa21",)
    search_fields = ("lsoa11_code", "lsoa11_name", "lsoa21__code", "lsoa21__name")


@admin.register(Deprivation)
class DeprivationAdmin(ReadOnlyAdmin):
    list_display = ("lsoa", "release", "imd_score", "imd_rank", "imd_decile")
    list_filter = ("release", "imd_decile")
    list_select_related = ("lsoa",)
    search_fields = ("lsoa__code", "lsoa__name")


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    list_display = ("lsoa", "source", "age_group", "residents")
    list_filter = ("source", "age_group")
    list_select_related = ("lsoa",)
    search_fields = ("lsoa__code", "lsoa__name")


@admin.register(Boundary)
class BoundaryAdmin(ReadOnlyAdmin):
    list_display = ("area", "source")
    list_filter = ("source",)
    list_select_related = ("area",)
    search_fields = ("area__code", "area__name")


@admin.register(ReferenceLoad)
class ReferenceLoadAdmin(ReadOnlyAdmin):
    list_display = ("loaded_at", "source_dir", "duration_seconds")
    search_fields = ("source_dir",)
