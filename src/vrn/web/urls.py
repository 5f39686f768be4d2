from django.contrib.auth import views as auth_views
from django.urls import path

from vrn.web import views
from vrn.web.forms import SignInForm

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("synthetic-data/", views.synthetic_data, name="synthetic-data"),
    path("start/", views.start, name="start"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="web/sign_in.html", authentication_form=SignInForm
        ),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
]
