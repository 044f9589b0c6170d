"""Public catalog pages: home, enterprises, products. (Being written.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {})


def enterprise_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


def product_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
