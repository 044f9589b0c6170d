from django.urls import path

from dualcirc.catalog.views import compare, edit, imports, pages

urlpatterns = [
    # Public pages (views/pages.py)
    path("", pages.home, name="home"),
    path("enterprises/", pages.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", pages.enterprise_detail, name="enterprise-detail"),
    path("products/", pages.product_list, name="product-list"),
    path("products/<int:pk>/", pages.product_detail, name="product-detail"),
    # Comparison kept in the session (views/compare.py)
    path("products/compare/", compare.compare, name="compare"),
    path("products/compare/<int:pk>/add/", compare.compare_add, name="compare-add"),
    path("products/compare/<int:pk>/remove/", compare.compare_remove, name="compare-remove"),
    # Editing (views/edit.py)
    path("enterprises/<int:pk>/edit/", edit.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:pk>/products/new/", edit.product_create, name="product-create"),
    path("products/<int:pk>/edit/", edit.product_edit, name="product-edit"),
    path("products/<int:pk>/delete/", edit.product_delete, name="product-delete"),
    path("products/<int:pk>/images/", edit.product_image_add, name="product-image-add"),
    path("images/<int:pk>/delete/", edit.product_image_delete, name="product-image-delete"),
    # Catalog import (views/imports.py)
    path("import/", imports.import_upload, name="catalog-import"),
    path("import/jobs/<int:pk>/", imports.import_job, name="catalog-import-job"),
    path(
        "import/jobs/<int:pk>/cancel/", imports.import_job_cancel, name="catalog-import-job-cancel"
    ),
    path(
        "import/jobs/<int:pk>/regions/",
        imports.import_job_regions,
        name="catalog-import-job-regions",
    ),
]
