"""Search pages, included at ``/<lang>/search/`` with the namespace ``search``."""

from django.urls import path

from dualcirc.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("similar/<int:product_id>/", views.similar, name="similar"),
    path("suppliers/", views.suppliers, name="suppliers"),
]
