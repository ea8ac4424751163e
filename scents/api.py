"""The scents API: the note catalog, the customer's scent profile, blends and recommendations."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.pagination import PagePagination
from config.api.permissions import IsCustomer, customer_of
from config.errors import ValidationFailed
from scents import selectors, services
from scents.models import Family
from scents.serializers import (
    BlendCreateInputSerializer,
    BlendOutputSerializer,
    BlendUpdateInputSerializer,
    NoteListQuerySerializer,
    NoteOutputSerializer,
    RecommendationOutputSerializer,
    ScentProfileInputSerializer,
    ScentProfileOutputSerializer,
    scent_profile_data,
)

PREFERENCE_KEYS = ("intensity", "categories", "favorite_notes", "disliked_notes", "occasions")

RECOMMENDATION_SCORE = (
    "Active products ranked by fit with the scent profile, best first (ties by name). "
    "`score = 3 × favorite notes the product carries + 1 × its notes in a favorite category "
    "+ 1 × intensity fit`, where the intensity fit is the share (0–1) of the product's notes whose "
    "family usually reads at the profile's intensity (citrus, fresh, aquatic, green, herbal: light; "
    "floral, fruity, musky: medium; woody, amber, gourmand, spicy: strong), 0 without an intensity. "
    "A product with any disliked note is left out, and so is one scoring 0. `matched_notes` are the "
    "product's notes that are favorites or in a favorite category. Without a scent profile the list is empty."
)


class NoteListView(APIView):
    """The fragrance note catalog."""

    permission_classes = [AllowAny]
    # drf-spectacular reads the paginator from this attribute: without it the schema promised a
    # bare array for what is answered in the list envelope.
    pagination_class = PagePagination
    default_limit = 20
    max_limit = 200

    @extend_schema(
        operation_id="scent_notes_list",
        parameters=[
            NoteListQuerySerializer,
        ],
        responses={200: NoteOutputSerializer(many=True)},
        auth=[],
        description=f"Notes by name. `family` is one of {', '.join(Family.values)} (another value is 400).",
    )
    def get(self, request):
        query = NoteListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.note_list(family=query.validated_data.get("family")), request, view=self
        )
        return paginator.get_paginated_response(NoteOutputSerializer(page, many=True).data)


def _nest_preference_errors(exc: ValidationFailed) -> ValidationFailed:
    """The service names flat fields; the API's body nests preferences, so its errors do too."""
    details = {}
    for field, messages in exc.details.items():
        if field in PREFERENCE_KEYS:
            details.setdefault("preferences", {})[field] = messages
        else:
            details[field] = messages
    return ValidationFailed(exc.message, details=details)


class ScentProfileView(APIView):
    """The customer's own scent profile."""

    permission_classes = [IsCustomer]

    def _answer(self, customer):
        profile = selectors.scent_profile_get(customer=customer)
        blends = list(selectors.blend_list_for_customer(customer=customer))
        return Response(scent_profile_data(profile, blends))

    @extend_schema(
        operation_id="scent_profile_retrieve",
        responses={200: ScentProfileOutputSerializer},
        description="The scent profile with the customer's blends. Before the first write it answers 200 "
        "with an empty profile (`id`, `created_at`, `updated_at` null, empty lists), ready to fill in.",
    )
    def get(self, request):
        return self._answer(customer_of(request))

    @extend_schema(
        operation_id="scent_profile_update",
        request=ScentProfileInputSerializer,
        responses={200: ScentProfileOutputSerializer},
        description="Nested partial update (keys not sent keep their value); creates the profile on the "
        "first write. Unknown note or category slugs, or a note both favorite and disliked, are 400 "
        "naming the field.",
    )
    def patch(self, request):
        customer = customer_of(request)
        serializer = ScentProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {}
        if "name" in data:
            changes["name"] = data["name"]
        for key in PREFERENCE_KEYS:
            if key in data.get("preferences", {}):
                changes[key] = data["preferences"][key]
        try:
            services.scent_profile_update(customer=customer, **changes)
        except ValidationFailed as exc:
            raise _nest_preference_errors(exc)
        return self._answer(customer)


class RecommendationListView(APIView):
    """Products recommended for the customer's scent profile."""

    permission_classes = [IsCustomer]
    pagination_class = PagePagination  # the schema documents the list envelope

    @extend_schema(
        operation_id="scent_recommendations_list",
        responses={200: RecommendationOutputSerializer(many=True)},
        description=RECOMMENDATION_SCORE,
    )
    def get(self, request):
        products, profile = selectors.recommendations_for_customer(customer=customer_of(request))
        paginator = PagePagination()
        page = paginator.paginate_queryset(products, request, view=self)
        if page:
            matched = selectors.matched_notes_for(products=page, profile=profile)
            for product in page:
                product.matched_notes = matched[product.pk]
        data = RecommendationOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class BlendListView(APIView):
    """The customer's custom blends."""

    permission_classes = [IsCustomer]
    pagination_class = PagePagination  # the schema documents the list envelope

    @extend_schema(operation_id="blends_list", responses={200: BlendOutputSerializer(many=True)})
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(
            selectors.blend_list_for_customer(customer=customer_of(request)), request, view=self
        )
        return paginator.get_paginated_response(BlendOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="blends_create",
        request=BlendCreateInputSerializer,
        responses={201: BlendOutputSerializer},
        description="Create a blend: 1–8 components, no note twice, percentages summing to exactly 100 "
        "(400 naming `components`). A customer keeps at most 50 blends (409).",
    )
    def post(self, request):
        customer = customer_of(request)
        serializer = BlendCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        blend = services.blend_create(customer=customer, **serializer.validated_data)
        blend = selectors.blend_get_for_customer(customer=customer, public_id=blend.public_id)
        return Response(BlendOutputSerializer(blend).data, status=status.HTTP_201_CREATED)


BLEND_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The blend's id (`blend_…`).")


class BlendDetailView(APIView):
    """One of the customer's blends; another customer's blend is 404."""

    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="blends_retrieve", parameters=[BLEND_ID], responses={200: BlendOutputSerializer}
    )
    def get(self, request, id):
        blend = selectors.blend_get_for_customer(customer=customer_of(request), public_id=id)
        return Response(BlendOutputSerializer(blend).data)

    @extend_schema(
        operation_id="blends_partial_update",
        parameters=[BLEND_ID],
        request=BlendUpdateInputSerializer,
        responses={200: BlendOutputSerializer},
        description="Partial update; `components`, when sent, replaces the whole list atomically.",
    )
    def patch(self, request, id):
        customer = customer_of(request)
        blend = selectors.blend_get_for_customer(customer=customer, public_id=id)
        serializer = BlendUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.blend_update(blend=blend, **serializer.validated_data)
        blend = selectors.blend_get_for_customer(customer=customer, public_id=id)
        return Response(BlendOutputSerializer(blend).data)

    @extend_schema(operation_id="blends_destroy", parameters=[BLEND_ID], responses={204: None})
    def delete(self, request, id):
        blend = selectors.blend_get_for_customer(customer=customer_of(request), public_id=id)
        services.blend_delete(blend=blend)
        return Response(status=status.HTTP_204_NO_CONTENT)
