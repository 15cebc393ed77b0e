from __future__ import annotations

from django.urls import include, path

from amparo.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("status", include("amparo.incidents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("amparo.radar.urls")),
    path("console/", include("amparo.lookalike.urls")),
    path("console/", include("amparo.assist.urls")),
    path("", include("amparo.inbox.urls")),
    path("", include("amparo.core.urls")),
]
