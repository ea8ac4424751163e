"""The project's routes plus the ceiling view; used only by bench/settings.py."""

from django.urls import path

from bench.views import ceiling
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/ceiling", ceiling, name="bench-ceiling"), *project_urlpatterns]
