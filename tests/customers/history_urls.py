"""A bare API view that saves a customer without naming who did it, to test the audit's default."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.permissions import IsCustomer, customer_of
from config.urls import urlpatterns as project_urlpatterns


class TouchView(APIView):
    permission_classes = [IsCustomer]

    def post(self, request):
        customer = customer_of(request)
        customer.notes = "touched"
        customer.save(update_fields=["notes", "updated_at"])
        return Response({"ok": True})


urlpatterns = [path("api/_test/touch", TouchView.as_view()), *project_urlpatterns]
