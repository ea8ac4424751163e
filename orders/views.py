"""The account's order pages: the list with filters and the detail with cancel and payment retry."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from config.errors import DomainError, NotFound
from orders import selectors, services
from orders.forms import OrderCancelForm, OrderFilterForm, RetryPaymentForm
from orders.forms_returns import return_form_context

PAGE_SIZE = 10


def _customer(request):
    customer = getattr(request.user, "customer", None)
    if customer is None:
        raise Http404("This page is for customer accounts.")
    return customer


class OrderListPage(LoginRequiredMixin, View):
    def get(self, request):
        customer = _customer(request)
        form = OrderFilterForm(request.GET or None)
        filters = selectors.OrderFilters()
        if form.is_bound and form.is_valid():
            values = form.cleaned_data
            filters = selectors.OrderFilters(
                statuses=values["status"],
                from_date=values["from_date"],
                to_date=values["to_date"],
                sort=values["sort"],
            )
        queryset = selectors.order_list_for_customer(customer=customer, filters=filters)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "orders/order_list.html",
            {"form": form, "page": page, "orders": page.object_list, "query": query.urlencode()},
        )


class OrderDetailPage(LoginRequiredMixin, View):
    def _order(self, request, number):
        try:
            return selectors.order_get(number=number, customer=_customer(request))
        except NotFound:
            raise Http404("No such order.")

    def _render(self, request, order, *, cancel_form=None, retry_form=None, return_form=None, status=200):
        customer = order.customer
        return render(
            request,
            "orders/order_detail.html",
            {
                "order": order,
                "cancel_form": cancel_form or OrderCancelForm(customer=customer),
                "retry_form": retry_form or RetryPaymentForm(),
                **return_form_context(order, return_form),
            },
            status=status,
        )

    def get(self, request, number):
        return self._render(request, self._order(request, number))

    def post(self, request, number):
        order = self._order(request, number)
        action = request.POST.get("action")
        if action == "cancel":
            form = OrderCancelForm(request.POST, customer=order.customer)
            if not form.is_valid():
                return self._render(request, order, cancel_form=form, status=400)
            values = form.cleaned_data
            try:
                services.order_cancel(
                    order=order,
                    reason=values["cancellation_reason"],
                    refund_mode=values["refund_mode"],
                    bank_account_id=values["bank_account"].public_id if values["bank_account"] else None,
                    feedback=values["feedback"],
                    by=request.user,
                )
            except DomainError as exc:
                _form_error(request, form, exc)
                return self._render(request, order, cancel_form=form, status=exc.status)
            messages.success(request, f"Order {order.number} is cancelled.")
        elif action == "retry":
            form = RetryPaymentForm(request.POST)
            if not form.is_valid():
                return self._render(request, order, retry_form=form, status=400)
            try:
                order = services.order_retry_payment(
                    order=order, payment_token=form.cleaned_data["payment_token"]
                )
            except DomainError as exc:
                _form_error(request, form, exc)
                return self._render(request, order, retry_form=form, status=exc.status)
            if order.is_retry_available:
                messages.error(request, "The payment did not go through. Please try another card.")
            else:
                messages.success(request, "Thank you: your payment went through.")
        else:
            messages.error(request, "Unknown action.")
        return redirect("orders:detail", number=order.number)


def _form_error(request, form, exc: DomainError) -> None:
    """Put a service's error on the form field it names, or show it as a page message."""
    names = {"bank_account_id": "bank_account"}
    placed = False
    for field, problems in exc.details.items():
        name = names.get(field, field)
        if name in form.fields:
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        messages.error(request, exc.message)
