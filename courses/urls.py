"""URLs of the courses app."""

app_name = "courses"

urlpatterns: list = []
