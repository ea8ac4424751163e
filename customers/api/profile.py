"""The customer's own profile routes: profile, GDPR export and erasure, image, notifications."""

from django.http import HttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from config.api.parsers import BoundedJSONParser
from config.api.permissions import IsCustomer, customer_of
from customers.selectors.notifications import notification_preferences_get
from customers.selectors.profile import customer_export, profile_image_url
from customers.serializers.profile import (
    NotificationPreferencesSerializer,
    ProfileEraseInputSerializer,
    ProfileImageInputSerializer,
    ProfileImageOutputSerializer,
    ProfileOutputSerializer,
    ProfileUpdateInputSerializer,
    profile_data,
)
from customers.services.gdpr import customer_self_erase
from customers.services.profile import (
    customer_profile_update,
    notification_preferences_update,
    profile_image_delete,
    profile_image_set,
)

TAGS = ["profile"]


class DeleteWithBodySchema(AutoSchema):
    """Documents a DELETE operation's request body, which drf-spectacular leaves out (#809)."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def _delete_with_body(view_method):
    view_method.schema = DeleteWithBodySchema
    return view_method


class ProfileView(APIView):
    """GET/PATCH the customer's profile; DELETE erases the account (GDPR)."""

    permission_classes = [IsCustomer]
    parser_classes = [BoundedJSONParser]

    @extend_schema(tags=TAGS, operation_id="customers_profile_retrieve", responses=ProfileOutputSerializer)
    def get(self, request):
        return Response(profile_data(customer_of(request), request=request))

    @extend_schema(
        tags=TAGS,
        operation_id="customers_profile_update",
        request=ProfileUpdateInputSerializer,
        responses=ProfileOutputSerializer,
        description="Partial update; `preferences` is nested-partial (keys not sent keep their value). "
        "Email changes only through the OTP flow; a phone set here is stored unverified.",
    )
    def patch(self, request):
        serializer = ProfileUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        customer = customer_profile_update(
            customer=customer_of(request), data=serializer.validated_data, by=request.user
        )
        return Response(profile_data(customer, request=request))

    @extend_schema(
        tags=TAGS,
        operation_id="customers_profile_erase",
        request=ProfileEraseInputSerializer,
        responses={
            204: OpenApiResponse(description="The account is anonymized; login and tokens stop working.")
        },
        description="GDPR erasure, confirmed with the account's password (400 when it is wrong).",
    )
    @_delete_with_body
    def delete(self, request):
        serializer = ProfileEraseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer_self_erase(customer=customer_of(request), password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileExportView(APIView):
    """GDPR access: every personal value held on the customer, as one JSON document."""

    permission_classes = [IsCustomer]

    @extend_schema(
        tags=TAGS,
        operation_id="customers_profile_export",
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="The export document (`user`, `customer`, `preferences`, "
                "`addresses`, `bank_accounts`, `history` and one key per app).",
            )
        },
    )
    def get(self, request):
        customer = customer_of(request)
        body = JSONEncoder().encode(customer_export(customer=customer))
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="mnky-export-{customer.public_id}.json"'
        return response


class ProfileImageView(APIView):
    """The profile picture: upload (POST/PUT, multipart `image`), read its URL, delete it."""

    permission_classes = [IsCustomer]
    parser_classes = [MultiPartParser]

    def _answer(self, request, customer, code=status.HTTP_200_OK):
        return Response({"profile_image_url": profile_image_url(customer, request)}, status=code)

    @extend_schema(
        tags=TAGS, operation_id="customers_profile_image_retrieve", responses=ProfileImageOutputSerializer
    )
    def get(self, request):
        return self._answer(request, customer_of(request))

    def _upload(self, request, code):
        serializer = ProfileImageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = profile_image_set(
            customer=customer_of(request), upload=serializer.validated_data["image"], by=request.user
        )
        return self._answer(request, customer, code)

    @extend_schema(
        tags=TAGS,
        operation_id="customers_profile_image_create",
        request={"multipart/form-data": ProfileImageInputSerializer},
        responses={201: ProfileImageOutputSerializer},
    )
    def post(self, request):
        return self._upload(request, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        operation_id="customers_profile_image_replace",
        request={"multipart/form-data": ProfileImageInputSerializer},
        responses={200: ProfileImageOutputSerializer},
    )
    def put(self, request):
        return self._upload(request, status.HTTP_200_OK)

    @extend_schema(tags=TAGS, operation_id="customers_profile_image_destroy", responses={204: None})
    def delete(self, request):
        profile_image_delete(customer=customer_of(request), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationPreferencesView(APIView):
    """Notification preferences per category (transactional, promotional, newsletter) and channel."""

    permission_classes = [IsCustomer]
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="customers_notification_preferences_retrieve",
        responses=NotificationPreferencesSerializer,
    )
    def get(self, request):
        return Response(notification_preferences_get(customer=customer_of(request)))

    @extend_schema(
        tags=TAGS,
        operation_id="customers_notification_preferences_update",
        request=NotificationPreferencesSerializer,
        responses=NotificationPreferencesSerializer,
        description="Keys not sent keep their value. `promotional.email`/`sms` are the profile's "
        "`email_marketing`/`sms_marketing`.",
    )
    def put(self, request):
        serializer = NotificationPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = notification_preferences_update(
            customer=customer_of(request), preferences=serializer.validated_data, by=request.user
        )
        return Response(notification_preferences_get(customer=customer))
