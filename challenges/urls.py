"""URLs of the challenges app (mounted at /challenge/); challenge pages themselves are Wagtail's."""

from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("<int:page_id>/observe/", views.observe_submit, name="observe"),
    path("<int:page_id>/correct/", views.correct_submit, name="correct"),
    path("<int:page_id>/context/", views.context_submit, name="context"),
    path("<int:page_id>/test/", views.test_submit, name="test"),
    path("<int:page_id>/reflect/", views.reflect_submit, name="reflect"),
    path("<int:page_id>/draft/<slug:step>/", views.draft_save, name="draft"),
    path("<int:page_id>/evaluation/", views.evaluation, name="evaluation"),
    path("testcases/<int:pk>/judge/", views.testcase_judge, name="judge"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review_correction, name="review"),
    path("corrections/<int:pk>/gold/", views.correction_gold, name="gold"),
    path("library/", views.context_library, name="library"),
    path("context/<int:pk>/endorse/", views.context_endorse, name="endorse"),
    path("context/<int:pk>/review/", views.context_review, name="context_review"),
    path("insights/", views.insights, name="insights"),
    path("reflections/<int:pk>/upvote/", views.reflection_upvote, name="upvote"),
    path("weeks/", views.weeks, name="weeks"),
    path("weeks/<int:pk>/results/", views.week_results, name="week_results"),
]
