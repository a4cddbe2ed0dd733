"""URLs of the mentoring app (mounted at /mentoring/)."""

from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.system_list, name="systems"),
    path("me/", views.my_contributions, name="contributions"),
    path("report/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("reports/<int:pk>/redact/", views.report_redact, name="report_redact"),
    path("reports/<int:pk>/<slug:step>/", views.report_step, name="report_step"),
    path("notes/<int:pk>/decide/", views.note_decide, name="note_decide"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("verdicts/<int:pk>/judge/", views.verdict_judge, name="verdict_judge"),
    path("systems/<slug:slug>/", views.system_detail, name="system"),
    path("systems/<slug:slug>/triage/", views.triage_queue, name="triage"),
    path("systems/<slug:slug>/guidance/", views.guidance_page, name="guidance"),
]
