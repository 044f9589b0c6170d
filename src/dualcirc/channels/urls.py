from django.urls import path

from dualcirc.channels import views, views_brands, views_pricing

urlpatterns = [
    path("pricing/", views_pricing.pricing_assumptions, name="channels-pricing"),
    path("enterprises/<int:pk>/", views.enterprise_channels, name="channels-enterprise"),
    path("enterprises/<int:pk>/spec-import/", views.spec_import, name="channels-spec-import"),
    path(
        "enterprises/<int:pk>/export/<str:channel>/",
        views.channel_export,
        name="channels-export",
    ),
    path("products/<int:pk>/", views.product_channels, name="channels-product"),
    path("enterprises/<int:pk>/brands/", views_brands.enterprise_brands, name="channels-brands"),
    path("enterprises/<int:pk>/brands/new/", views_brands.brand_add, name="channels-brand-add"),
    path("enterprises/<int:pk>/branding/", views_brands.branding_switch, name="channels-branding"),
    path(
        "brands/<int:pk>/authorisations/",
        views_brands.authorisation_add,
        name="channels-authorisation-add",
    ),
    path("brands/<int:pk>/edit/", views_brands.brand_edit, name="channels-brand-edit"),
    path(
        "authorisations/<int:pk>/",
        views_brands.authorisation_detail,
        name="channels-authorisation",
    ),
    path(
        "authorisations/<int:pk>/extend/",
        views_brands.authorisation_extend,
        name="channels-authorisation-extend",
    ),
    path(
        "authorisations/<int:pk>/revoke/",
        views_brands.authorisation_revoke,
        name="channels-authorisation-revoke",
    ),
    path(
        "authorisations/<int:pk>/letter/",
        views_brands.authorisation_letter,
        name="channels-authorisation-letter",
    ),
]
