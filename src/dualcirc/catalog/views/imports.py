"""The catalog import upload page. (Being written.)"""

from django.http import HttpRequest, HttpResponse


def import_upload(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
