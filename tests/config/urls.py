"""A URLconf of small views that raise each kind of error, to test the plumbing on its own."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.idempotency import idempotent
from config.api.permissions import IsStaffOrScopedKey
from config.errors import Conflict
from config.urls import urlpatterns as project_urlpatterns


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    count = serializers.IntegerField(min_value=1)


class ErrorsView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        kind = request.query_params.get("kind")
        if kind == "conflict":
            raise Conflict("That is taken.", details={"name": ["Already used."]})
        if kind == "crash":
            raise RuntimeError("secret internals")
        return Response({"ok": True})

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class StaffOrdersView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True}, status=201)


calls = []


class IdempotentView(APIView):
    def post(self, request):
        return self.create(request)

    @idempotent
    def create(self, request):
        calls.append(request.data)
        return Response({"call": len(calls), "echo": request.data}, status=201)


test_patterns = [
    path("errors", ErrorsView.as_view()),
    path("staff-orders", StaffOrdersView.as_view()),
    path("idempotent", IdempotentView.as_view()),
]

urlpatterns = [path("api/_test/", include(test_patterns)), *project_urlpatterns]
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.error"
