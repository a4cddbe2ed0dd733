from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Same paths as allauth's own login views; config/urls.py includes these first so an
    # unknown provider gets a clear page instead of the generic 404.
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="oidc_login"),
    path("saml/<str:organization_slug>/login/", views.saml_login, name="saml_login"),
]
