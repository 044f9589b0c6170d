from django.urls import URLPattern, URLResolver, path

from dualcirc.notify import views

app_name = "notify"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read_view, name="mark-read"),
]
