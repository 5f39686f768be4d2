from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from vrn.accounts.models import Organisation, User


@admin.register(User)
class VrnUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Organisation", {"fields": ("organisation",)}))
    list_display = ("username", "email", "organisation", "is_staff", "is_active")
    list_filter = ("organisation", "groups", "is_staff", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
