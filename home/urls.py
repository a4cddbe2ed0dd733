"""URLs of the home app."""

app_name = "home"

urlpatterns: list = []
