"""API routes of the orders app (mounted under /api/, no trailing slashes)."""

from django.urls import path

from orders import api
from orders.urls_returns import urlpatterns as returns_urlpatterns

urlpatterns = [
    path("products", api.ProductListView.as_view(), name="products"),
    path("products/<str:product_id>", api.ProductDetailView.as_view(), name="product-detail"),
    path("customers/orders", api.CustomerOrderListView.as_view(), name="customer-orders"),
    path(
        "customers/<str:customer_id>/orders",
        api.CustomerOrdersForStaffView.as_view(),
        name="staff-customer-orders",
    ),
    path("orders", api.OrderListCreateView.as_view(), name="orders"),
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
