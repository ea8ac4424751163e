"""Staff catalog routes (staff JWT or an API key with `catalog:write`): products with variants,
variants with audited stock adjustments, and discount codes."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of
from config.api.permissions import IsStaffOrScopedKey
from config.errors import NotFound
from orders import selectors, services_catalog
from orders.api import ListView, ProductDetailView, ProductListView
from orders.models import DiscountCode, ProductVariant
from orders.serializers import ProductOutputSerializer
from orders.serializers_cart import (
    DiscountCodeSerializer,
    ProductCreateInputSerializer,
    ProductUpdateInputSerializer,
    VariantDetailOutputSerializer,
    VariantUpdateInputSerializer,
)

_CODE = OpenApiParameter("code", str, OpenApiParameter.PATH)


def _actor(request) -> dict:
    key = api_key_of(request)
    return {"api_key": key, "by": None if key is not None else request.user}


def _product_response(request, product, status=200) -> Response:
    product = selectors.product_get_any(public_id=product.public_id)
    context = {"request": request, "extra": selectors.product_extra_fields([product])}
    return Response(ProductOutputSerializer(product, context=context).data, status=status)


class CatalogWriteMixin:
    """GET for anyone; writes for staff with the model permission or a `catalog:write` key."""

    api_key_scope = "catalog"

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsStaffOrScopedKey()]


class ProductListCreateView(CatalogWriteMixin, ProductListView):
    staff_permissions = {"post": ["orders.add_product"]}

    @extend_schema(
        operation_id="products_create",
        request=ProductCreateInputSerializer,
        responses={201: ProductOutputSerializer},
    )
    def post(self, request):
        serializer = ProductCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        product = services_catalog.product_create(
            name=values["name"],
            description=values.get("description", ""),
            notes=values.get("notes"),
            is_active=values["is_active"],
            variants=[dict(v) for v in values["variants"]],
            **_actor(request),
        )
        return _product_response(request, product, status=201)


class ProductDetailUpdateView(CatalogWriteMixin, ProductDetailView):
    staff_permissions = {"patch": ["orders.change_product"]}

    @extend_schema(
        operation_id="products_partial_update",
        request=ProductUpdateInputSerializer,
        responses=ProductOutputSerializer,
    )
    def patch(self, request, product_id: str):
        product = selectors.product_get_any(public_id=product_id)
        serializer = ProductUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services_catalog.product_update(product=product, **serializer.validated_data)
        return _product_response(request, product)


class VariantDetailView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "catalog"
    staff_permissions = {"patch": ["orders.change_productvariant"]}

    @extend_schema(
        operation_id="variants_partial_update",
        request=VariantUpdateInputSerializer,
        responses=VariantDetailOutputSerializer,
    )
    def patch(self, request, variant_id: str):
        variant = ProductVariant.objects.select_related("product").filter(public_id=variant_id).first()
        if variant is None:
            raise NotFound("No such variant.")
        serializer = VariantUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "stock_adjustment" in values:
            values["stock_adjustment"] = dict(values["stock_adjustment"])
        services_catalog.variant_update(variant=variant, **values, **_actor(request))
        variant.refresh_from_db()
        return Response(VariantDetailOutputSerializer(variant).data)


class DiscountCodeListView(ListView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "catalog"
    staff_permissions = {"get": ["orders.view_discountcode"], "post": ["orders.add_discountcode"]}

    @extend_schema(operation_id="discount_codes_list", responses=DiscountCodeSerializer(many=True))
    def get(self, request):
        return self.paginated(DiscountCode.objects.order_by("code", "id"), DiscountCodeSerializer)

    @extend_schema(
        operation_id="discount_codes_create",
        request=DiscountCodeSerializer,
        responses={201: DiscountCodeSerializer},
    )
    def post(self, request):
        serializer = DiscountCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        discount = services_catalog.discount_code_create(**serializer.validated_data)
        return Response(DiscountCodeSerializer(discount).data, status=201)


class DiscountCodeDetailView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "catalog"
    staff_permissions = {
        "get": ["orders.view_discountcode"],
        "patch": ["orders.change_discountcode"],
        "delete": ["orders.delete_discountcode"],
    }

    def _get(self, code: str) -> DiscountCode:
        discount = DiscountCode.objects.filter(code=code.strip().upper()).first()
        if discount is None:
            raise NotFound("No such discount code.")
        return discount

    @extend_schema(
        operation_id="discount_codes_retrieve", parameters=[_CODE], responses=DiscountCodeSerializer
    )
    def get(self, request, code: str):
        return Response(DiscountCodeSerializer(self._get(code)).data)

    @extend_schema(
        operation_id="discount_codes_partial_update",
        parameters=[_CODE],
        request=DiscountCodeSerializer,
        responses=DiscountCodeSerializer,
    )
    def patch(self, request, code: str):
        discount = self._get(code)
        serializer = DiscountCodeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("code", None)
        discount = services_catalog.discount_code_update(discount=discount, **values)
        return Response(DiscountCodeSerializer(discount).data)

    @extend_schema(operation_id="discount_codes_delete", parameters=[_CODE], responses={204: None})
    def delete(self, request, code: str):
        services_catalog.discount_code_delete(discount=self._get(code))
        return Response(status=204)
