"""URLs of the courses app, under /learn/. The pages themselves are served by Wagtail."""

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("search/", views.search, name="search"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
    path("assignments/<int:pk>/remind/", views.assignment_remind, name="assignment_remind"),
    path("certificates/<int:module_id>/", views.certificate, name="certificate"),
    path("lessons/<int:lesson_id>/quiz/<str:block_id>/", views.quiz_submit, name="quiz_submit"),
    path(
        "lessons/<int:lesson_id>/complete/",
        views.lesson_mark_complete,
        name="lesson_complete",
    ),
    path(
        "lessons/<int:lesson_id>/reflections/<str:block_id>/",
        views.reflection_save,
        name="reflection_save",
    ),
]
