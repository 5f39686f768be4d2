"""The intervention-monitoring pages (``/interventions/``)."""

from django.urls import path

from vrn.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.home, name="home"),
    path("purpose/", views.purpose, name="purpose"),
    path("programmes/<str:code>/edit/", views.programme_edit, name="programme-edit"),
    path("participants/", views.participant_list, name="participants"),
    path("participants.csv", views.participant_csv, name="participants-csv"),
    path("participants/new/", views.participant_new, name="participant-new"),
    path("participants/<int:pk>/", views.participant, name="participant"),
    path("participants/<int:pk>/progress/", views.progress, name="progress"),
    path("participants/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("participants/<int:pk>/contact/", views.contact, name="contact"),
    path("participants/<int:pk>/review/", views.review, name="review"),
    path("participants/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("participants/<int:pk>/note/", views.note, name="note"),
]
