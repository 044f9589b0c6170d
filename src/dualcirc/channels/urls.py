from django.urls import path

from dualcirc.channels import views

urlpatterns = [
    path("enterprises/<int:pk>/", views.enterprise_channels, name="channels-enterprise"),
    path("enterprises/<int:pk>/spec-import/", views.spec_import, name="channels-spec-import"),
    path(
        "enterprises/<int:pk>/export/<str:channel>.csv",
        views.channel_export,
        name="channels-export",
    ),
    path("products/<int:pk>/", views.product_channels, name="channels-product"),
]
