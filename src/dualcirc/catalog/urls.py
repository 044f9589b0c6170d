from django.urls import path

from dualcirc.catalog.views import imports, pages

urlpatterns = [
    path("", pages.home, name="home"),
    # Pages (views/pages.py)
    # path("enterprises/", pages.enterprise_list, name="enterprise-list"),
    # path("enterprises/<int:pk>/", pages.enterprise_detail, name="enterprise-detail"),
    # path("enterprises/<int:pk>/edit/", pages.enterprise_edit, name="enterprise-edit"),
    # path("enterprises/<int:pk>/products/new/", pages.product_create, name="product-create"),
    # path("products/", pages.product_list, name="product-list"),
    # path("products/<int:pk>/", pages.product_detail, name="product-detail"),
    # path("products/<int:pk>/edit/", pages.product_edit, name="product-edit"),
    # path("products/<int:pk>/delete/", pages.product_delete, name="product-delete"),
    # path("products/<int:pk>/images/", pages.product_image_add, name="product-image-add"),
    # Catalog import (views/imports.py)
    # path("import/", imports.import_upload, name="catalog-import"),
]
_ = imports
