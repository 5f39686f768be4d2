"""Users and organisations in the admin, and the base of every admin of person-level rows.

Staff reach the admin pages their role's permissions allow, and no more: only a superuser
(made by ``vrn createsuperuser``, never by a role) may make or change a superuser or give
a user permissions outside the roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest

from vrn.accounts.models import Organisation, User
from vrn.accounts.roles import PERSON_LEVEL_PERMISSION

#: Fields of a user that only a superuser may set: the rest come from roles (groups).
_SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")

if TYPE_CHECKING:
    # ModelAdmin and UserAdmin are generic only in the type stubs.
    UserModelAdmin = UserAdmin[User]
    OrganisationModelAdmin = admin.ModelAdmin[Organisation]
    # The base of the admins of several person-level models.
    AnyModelAdmin = admin.ModelAdmin[Any]
else:
    UserModelAdmin = UserAdmin
    OrganisationModelAdmin = AnyModelAdmin = admin.ModelAdmin


@admin.register(User)
class VrnUserAdmin(UserModelAdmin):
    assert UserAdmin.fieldsets is not None  # Django's are set (the stubs allow None)
    fieldsets = (*UserAdmin.fieldsets, ("Organisation", {"fields": ("organisation",)}))
    list_display = ("username", "email", "organisation", "is_staff", "is_active")
    list_filter = ("organisation", "groups", "is_staff", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in _SUPERUSER_ONLY_FIELDS if name not in readonly]
            if obj is not None and obj.pk == request.user.pk and "groups" not in readonly:
                readonly.append("groups")  # nobody gives themselves a role
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A superuser's account (and so its password) is changed by superusers only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


class ReadOnlyAdminMixin:
    """Admin pages that show records and never add, change or delete them (the records
    come from loads, or are the audit trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PersonLevelAdmin(ReadOnlyAdminMixin, AnyModelAdmin):
    """Read-only pages of a table of person-level rows (a person, or a record about one).

    Listed, shown and queried only for users with the person-level permission
    (``accounts.view_person_level_data``) as well as the model's own view permission;
    everyone else finds the model missing from the admin, and its pages refused (403) or
    empty. Rows are never added, changed or deleted here: they come and go with their load.
    """

    show_full_result_count = False
    list_select_related = ("load",)

    def _may_see_people(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(PERSON_LEVEL_PERMISSION))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_see_people(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_see_people(request) and super().has_view_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset if self._may_see_people(request) else queryset.none()
