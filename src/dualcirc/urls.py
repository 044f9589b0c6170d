from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve as serve_media

from dualcirc.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("health/", include("dualcirc.web.health_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("dualcirc.core.urls")),
    path("search/", include("dualcirc.search.urls")),
    path("notifications/", include("dualcirc.notify.urls")),
    path("deals/", include("dualcirc.deals.urls")),
    path("fair/", include("dualcirc.fair.urls")),
    path("bureau/", include("dualcirc.bureau.urls")),
    path("", include("dualcirc.catalog.urls")),
    prefix_default_language=True,
)
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve_media, {"document_root": settings.MEDIA_ROOT})]
