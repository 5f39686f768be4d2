from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vrn.audit"
    verbose_name = "Audit trail"
