"""Pages that change an enterprise or its products. (Being written.)"""

from django.http import HttpRequest, HttpResponse


def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_image_add(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
