"""API routes of the orders app (mounted under /api/, no trailing slashes)."""

from django.urls import path

from orders import api, api_bulk, api_cart, api_catalog
from orders.urls_returns import urlpatterns as returns_urlpatterns

urlpatterns = [
    path("products", api_catalog.ProductListCreateView.as_view(), name="products"),
    path("products/<str:product_id>", api_catalog.ProductDetailUpdateView.as_view(), name="product-detail"),
    path("variants/<str:variant_id>", api_catalog.VariantDetailView.as_view(), name="variant-detail"),
    path("discount-codes", api_catalog.DiscountCodeListView.as_view(), name="discount-codes"),
    path(
        "discount-codes/<str:code>", api_catalog.DiscountCodeDetailView.as_view(), name="discount-code-detail"
    ),
    path("customers/cart", api_cart.CartView.as_view(), name="cart"),
    path("customers/cart/items", api_cart.CartItemsView.as_view(), name="cart-items"),
    path("customers/cart/items/<str:line_id>", api_cart.CartItemView.as_view(), name="cart-item"),
    path("customers/cart/discounts", api_cart.CartDiscountsView.as_view(), name="cart-discounts"),
    path("customers/cart/discounts/<str:code>", api_cart.CartDiscountView.as_view(), name="cart-discount"),
    path("customers/cart/points", api_cart.CartPointsView.as_view(), name="cart-points"),
    path("customers/cart/addresses", api_cart.CartAddressesView.as_view(), name="cart-addresses"),
    path(
        "customers/cart/shipping-methods",
        api_cart.CartShippingMethodsView.as_view(),
        name="cart-shipping-methods",
    ),
    path(
        "customers/cart/shipping-method",
        api_cart.CartShippingMethodView.as_view(),
        name="cart-shipping-method",
    ),
    path("customers/checkout", api_cart.CheckoutView.as_view(), name="checkout"),
    path("customers/orders", api.CustomerOrderListView.as_view(), name="customer-orders"),
    path(
        "customers/<str:customer_id>/orders",
        api.CustomerOrdersForStaffView.as_view(),
        name="staff-customer-orders",
    ),
    path("orders", api.OrderListCreateView.as_view(), name="orders"),
    # before `orders/<str:number>`, which would take "bulk" for an order number
    path("orders/bulk", api_bulk.OrderBulkView.as_view(), name="orders-bulk"),
    path("shipments/bulk", api_bulk.ShipmentBulkView.as_view(), name="shipments-bulk"),
    path("orders/<str:number>", api.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/shipments", api.OrderShipmentsView.as_view(), name="order-shipments"),
    path(
        "orders/<str:number>/shipments/<str:shipment_id>/deliver",
        api.ShipmentDeliverView.as_view(),
        name="order-shipment-deliver",
    ),
    path("orders/<str:number>/payments", api.OrderPaymentsView.as_view(), name="order-payments"),
    path("orders/<str:number>/refunds", api.OrderRefundsView.as_view(), name="order-refunds"),
    path(
        "orders/<str:number>/payment-status",
        api.OrderPaymentStatusView.as_view(),
        name="order-payment-status",
    ),
    path("orders/<str:number>/cancel", api.OrderCancelView.as_view(), name="order-cancel"),
    path(
        "orders/<str:number>/retry-payment", api.OrderRetryPaymentView.as_view(), name="order-retry-payment"
    ),
]
urlpatterns += returns_urlpatterns
