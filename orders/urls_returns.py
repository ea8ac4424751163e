"""API routes of returns (mounted under /api/ with the orders routes, no trailing slashes)."""

from django.urls import path

from orders import api_returns

urlpatterns = [
    path("customers/returns", api_returns.CustomerReturnListView.as_view(), name="customer-returns"),
    path("orders/<str:number>/returns", api_returns.OrderReturnCreateView.as_view(), name="order-returns"),
    path(
        "orders/<str:number>/returns/<str:return_id>",
        api_returns.OrderReturnDetailView.as_view(),
        name="order-return-detail",
    ),
    path(
        "orders/<str:number>/returns/<str:return_id>/cancel",
        api_returns.OrderReturnCancelView.as_view(),
        name="order-return-cancel",
    ),
    path("returns", api_returns.ReturnListView.as_view(), name="returns"),
    path("returns/<str:return_id>/approve", api_returns.ReturnApproveView.as_view(), name="return-approve"),
    path("returns/<str:return_id>/reject", api_returns.ReturnRejectView.as_view(), name="return-reject"),
    path("returns/<str:return_id>/receive", api_returns.ReturnReceiveView.as_view(), name="return-receive"),
]
