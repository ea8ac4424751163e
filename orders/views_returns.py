"""The account's return pages: the request form's target and the list of the customer's returns."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from config.errors import DomainError, NotFound
from orders import selectors_returns, services_returns
from orders.forms_returns import ReturnRequestForm
from orders.models_returns import ReturnEvent
from orders.views import OrderDetailPage, _customer

PAGE_SIZE = 10


class ReturnRequestPage(OrderDetailPage):
    """Where the order page's return form posts; errors show on the order page again."""

    def get(self, request, number):
        return redirect("orders:detail", number=number)

    def post(self, request, number):
        order = self._order(request, number)
        form = ReturnRequestForm(request.POST, order=order)
        if not form.is_valid():
            return self._render(request, order, return_form=form, status=400)
        try:
            created = services_returns.return_create(
                order=order, items=form.lines(), pickup_address_id=form.pickup_address_id(), by=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, order, return_form=form, status=exc.status)
        messages.success(
            request, f"Return {created.public_id} requested. We will email you when it has been reviewed."
        )
        return redirect("returns:list")


class ReturnListPage(LoginRequiredMixin, View):
    def get(self, request):
        customer = _customer(request)
        queryset = selectors_returns.return_list_for_customer(customer=customer).prefetch_related(
            Prefetch("history", queryset=ReturnEvent.objects.order_by("created_at", "id"))
        )
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "orders/returns_list.html", {"page": page, "returns": page.object_list})


class ReturnCancelPage(LoginRequiredMixin, View):
    def post(self, request, return_id):
        customer = _customer(request)
        found = (
            selectors_returns.return_list_for_customer(customer=customer).filter(public_id=return_id).first()
        )
        if found is None:
            raise Http404("No such return.")
        try:
            services_returns.return_cancel(return_request=found, by=request.user)
        except (DomainError, NotFound) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Return {found.public_id} is withdrawn.")
        return redirect("returns:list")
