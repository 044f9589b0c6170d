from django.urls import URLPattern, URLResolver, path

from dualcirc.fair import organiser_views, outcome_views, views

app_name = "fair"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.fair_list, name="list"),
    path("new/", organiser_views.fair_create, name="create"),
    path("<int:pk>/", views.fair_detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/halls/<int:hall_pk>/", views.hall_detail, name="hall"),
    path("<int:pk>/meetings/", views.meetings, name="meetings"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("<int:pk>/manage/", organiser_views.manage, name="manage"),
    path("<int:pk>/funnel/", outcome_views.funnel, name="funnel"),
    path("<int:pk>/leads/", outcome_views.leads, name="leads"),
    path("booths/<int:pk>/", views.booth_detail, name="booth"),
    path("booths/<int:pk>/edit/", views.booth_edit, name="booth-edit"),
    path("booths/<int:pk>/contact/", views.lead_create, name="lead-create"),
    path("booths/<int:pk>/documents/", views.booth_document_add, name="booth-document-add"),
    path("booths/<int:pk>/documents/<int:doc_pk>/", views.booth_document, name="booth-document"),
    path(
        "booths/<int:pk>/documents/<int:doc_pk>/remove/",
        views.booth_document_remove,
        name="booth-document-remove",
    ),
    path("sessions/<int:pk>/book/", views.session_book, name="session-book"),
    path("sessions/<int:pk>.ics", views.session_ics, name="session-ics"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/outcome/", outcome_views.meeting_outcome, name="meeting-outcome"),
]
