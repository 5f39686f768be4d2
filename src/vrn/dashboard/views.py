from django.http import HttpRequest, HttpResponse


def network(request: HttpRequest) -> HttpResponse:
    return HttpResponse("dashboard")
