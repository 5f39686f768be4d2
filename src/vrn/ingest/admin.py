"""File loads and their quarantine in the admin.

A load is never deleted here (its delete page would list every row it holds): it is
withdrawn, by the "Withdraw" action or ``vrn withdraw``, through
:mod:`vrn.ingest.withdrawal`, which shows counts only and records an audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode

from vrn.accounts.admin import ReadOnlyAdminMixin
from vrn.accounts.roles import LOAD_DATA_PERMISSION, PERSON_LEVEL_PERMISSION
from vrn.ingest import withdrawal
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.withdrawal import WithdrawalRefused
from vrn.web.signin import client_address

if TYPE_CHECKING:
    # ModelAdmin is generic only in the type stubs.
    FileLoadModelAdmin = admin.ModelAdmin[FileLoad]
    QuarantinedRowModelAdmin = admin.ModelAdmin[QuarantinedRow]
else:
    FileLoadModelAdmin = QuarantinedRowModelAdmin = admin.ModelAdmin


@admin.register(FileLoad)
class FileLoadAdmin(FileLoadModelAdmin):
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
    actions = ["withdraw_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        """Withdrawing takes the permission to load data (and to see the loads)."""
        return bool(
            request.user.has_perm(LOAD_DATA_PERMISSION) and self.has_view_permission(request)
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description="Withdraw the selected loads (delete their rows)",
        permissions=["withdraw"],
    )
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[FileLoad]) -> Any:
        ids = sorted(queryset.values_list("pk", flat=True))
        query = urlencode([("load", pk) for pk in ids])
        return HttpResponseRedirect(f"{reverse('admin:ingest_fileload_withdraw')}?{query}")

    def get_urls(self) -> list[URLPattern]:
        withdraw = path(
            "withdraw/",
            self.admin_site.admin_view(self.withdraw_view),
            name="ingest_fileload_withdraw",
        )
        return [withdraw, *super().get_urls()]

    def withdraw_view(self, request: HttpRequest) -> HttpResponse:
        """GET: what withdrawing the loads (``?load=ID``, repeated) removes, in counts, and a
        button; POST: withdraw them, record the audit event, back to the list of loads."""
        if not self.has_withdraw_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        try:
            ids = [int(value) for value in source.getlist("load")]
        except ValueError:
            ids = []
        changelist = reverse("admin:ingest_fileload_changelist")
        if not ids:
            self.message_user(request, "No loads were chosen to withdraw.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        problems: list[str] = []
        planned = None
        try:
            if request.method == "POST":
                done = withdrawal.withdraw(
                    ids,
                    actor=request.user.get_username(),
                    address=client_address(request) or "",
                )
                self.message_user(
                    request,
                    f"Withdrew {len(done.loads)} load{'s' if len(done.loads) != 1 else ''}: "
                    f"{done.rows:,} rows deleted, {done.quarantined:,} quarantined rows kept "
                    "with the load records.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(changelist)
            planned = withdrawal.plan(ids)
        except WithdrawalRefused as refused:
            problems = refused.problems
        context = {
            **self.admin_site.each_context(request),
            "title": "Withdraw file loads",
            "opts": self.model._meta,
            "withdrawal": planned,
            "problems": problems,
            "load_ids": ids,
            "changelist": changelist,
        }
        return TemplateResponse(
            request,
            "admin/ingest/fileload/withdraw_confirmation.html",
            context,
            status=200 if planned is not None else 409,
        )


@admin.register(QuarantinedRow)
class QuarantinedRowAdmin(ReadOnlyAdminMixin, QuarantinedRowModelAdmin):
    """Why rows were refused. The row as read (``raw``) is person-level for person-level
    files, so it is shown only to users who may see person-level data."""

    list_display = ("load", "line_number", "field", "reason")
    list_filter = ("load__dataset", "field")
    list_select_related = ("load",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = ("load", "line_number", "field", "reason")
        return (*fields, "raw") if request.user.has_perm(PERSON_LEVEL_PERMISSION) else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)
