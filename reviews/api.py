"""The reviews API: thin views over `reviews.services` and `reviews.selectors`."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.pagination import PagePagination
from config.api.permissions import IsCustomer, customer_of
from config.api.throttling import CallerRateThrottle, ScopedActionThrottle
from orders.selectors import product_get
from reviews import selectors, services
from reviews.serializers import (
    CustomerReviewsOutputSerializer,
    PublicReviewOutputSerializer,
    ReviewCreateInputSerializer,
    ReviewOutputSerializer,
    ReviewUpdateInputSerializer,
)


class CustomerReviewsView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_reviews",
        tags=["reviews"],
        responses=CustomerReviewsOutputSerializer,
        description="Own reviews in every status, and the delivered products not reviewed yet.",
    )
    def get(self, request):
        customer = customer_of(request)
        data = {
            "reviews": selectors.review_list_for_customer(customer=customer),
            "ready_for_review": selectors.ready_for_review(customer=customer),
        }
        return Response(CustomerReviewsOutputSerializer(data).data)


class ProductReviewsView(GenericAPIView):
    pagination_class = PagePagination
    filter_backends: list = []
    throttle_classes = [CallerRateThrottle, ScopedActionThrottle]
    action_throttle_scope = "review"

    def get_permissions(self):
        return [IsCustomer()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(
        operation_id="products_reviews_list",
        tags=["reviews"],
        responses=PublicReviewOutputSerializer(many=True),
        auth=[],
        description="Approved reviews of the product, newest first.",
    )
    def get(self, request, product_id: str):
        product = product_get(public_id=product_id, with_variants=False)
        page = self.paginate_queryset(selectors.review_list_approved_for_product(product=product))
        return self.get_paginated_response(PublicReviewOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="products_reviews_create",
        tags=["reviews"],
        request=ReviewCreateInputSerializer,
        responses={201: ReviewOutputSerializer},
        description="Only for a product in one of the caller's delivered orders (else 403), once per "
        "product (else 409). The review starts `pending` until staff approve it. Limited per customer.",
    )
    def post(self, request, product_id: str):
        product = product_get(public_id=product_id, with_variants=False)
        serializer = ReviewCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_create(
            customer=customer_of(request), product=product, **serializer.validated_data
        )
        return Response(ReviewOutputSerializer(review).data, status=201)


class ReviewDetailView(APIView):
    permission_classes = [IsCustomer]
    action_throttle_scope = "review"

    def get_throttles(self):
        # Edits are limited like submissions; deleting one's own review never is.
        if self.request.method == "PATCH":
            return [CallerRateThrottle(), ScopedActionThrottle()]
        return [CallerRateThrottle()]

    @extend_schema(
        operation_id="reviews_partial_update",
        tags=["reviews"],
        request=ReviewUpdateInputSerializer,
        responses=ReviewOutputSerializer,
        description="Edit your own review; any change sends it back to `pending`.",
    )
    def patch(self, request, review_id: str):
        customer = customer_of(request)
        review = selectors.review_get_for_customer(customer=customer, public_id=review_id)
        serializer = ReviewUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        review = services.review_update(review=review, customer=customer, **serializer.validated_data)
        return Response(ReviewOutputSerializer(review).data)

    @extend_schema(
        operation_id="reviews_destroy",
        tags=["reviews"],
        request=None,
        responses={204: OpenApiResponse(description="Deleted; no body.")},
    )
    def delete(self, request, review_id: str):
        customer = customer_of(request)
        review = selectors.review_get_for_customer(customer=customer, public_id=review_id)
        services.review_delete(review=review, customer=customer)
        return Response(status=204)
