from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from dualcirc.api import api
from dualcirc.ops.media import serve_media

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
    path("channels/", include("dualcirc.channels.urls")),
    path("demand/", include("dualcirc.demand.urls")),
    path("", include("dualcirc.catalog.urls")),
    prefix_default_language=True,
)
# Uploaded files: only those attached to a record the caller may see, with safe headers.
urlpatterns += [path("media/<path:path>", serve_media, name="media")]
