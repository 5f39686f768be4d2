from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """What the platform is, with the way in: sign in or go to the dashboard."""
    return render(request, "web/home.html")
