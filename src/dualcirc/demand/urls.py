from django.urls import path

from dualcirc.demand import views

app_name = "demand"
urlpatterns = [
    path("", views.radar, name="radar"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/<int:enterprise_id>/", views.gaps, name="enterprise-gaps"),
    path("bureau/", views.bureau, name="bureau"),
    path("privacy/", views.opt_out, name="opt-out"),
]
