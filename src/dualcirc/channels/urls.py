from django.urls import path

from dualcirc.channels import views

urlpatterns = [
    path("enterprises/<int:pk>/", views.enterprise_channels, name="channels-enterprise"),
    path("products/<int:pk>/", views.product_channels, name="channels-product"),
]
