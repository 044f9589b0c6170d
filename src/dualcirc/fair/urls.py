from django.urls import URLPattern, URLResolver

app_name = "fair"
urlpatterns: list[URLPattern | URLResolver] = []
