"""The shop front (`/shop/`, `/shop/<product id>/`) and the account's cart and checkout pages.

They call the same selectors and services as the API, never a second copy of the rules.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from config.errors import DomainError, NotFound
from customers.models import Customer
from orders import selectors, services_cart
from orders.forms_shop import (
    AddressChoiceForm,
    AddToCartForm,
    CheckoutForm,
    CodeForm,
    LineQuantityForm,
    PointsForm,
    ShippingMethodForm,
    ShopSearchForm,
)
from orders.pricing import shipping_methods
from orders.registry import product_filters
from orders.selectors_cart import cart_country, cart_view, line_image_url
from orders.services_checkout import checkout

PAGE_SIZE = 12


def _customer(request):
    customer = getattr(request.user, "customer", None)
    if customer is None:
        raise Http404("This page is for customer accounts.")
    return customer


class ShopCatalogPage(View):
    def get(self, request):
        form = ShopSearchForm(request.GET or None)
        search, params = "", {}
        has_note_filter = any(f.name == "note" for f in product_filters())
        if form.is_bound and form.is_valid():
            search = form.cleaned_data["q"].strip()
            if has_note_filter:
                params["note"] = form.cleaned_data["note"]
        page = Paginator(selectors.product_list(search=search, params=params), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "shop/catalog.html",
            {
                "form": form,
                "page": page,
                "products": page.object_list,
                "query": query.urlencode(),
                "has_note_filter": has_note_filter,
            },
        )


class ShopProductPage(View):
    def _product(self, product_id):
        try:
            return selectors.product_get(public_id=product_id)
        except NotFound:
            raise Http404("No such product.")

    def _render(self, request, product, form=None, status=200):
        variants = list(product.variants.all())
        extra = selectors.product_extra_fields([product]).get(product.pk, {})
        return render(
            request,
            "shop/product.html",
            {
                "product": product,
                "variants": variants,
                "images": list(product.images.all()),
                "extra": extra,
                "form": form or AddToCartForm(variants=variants),
            },
            status=status,
        )

    def get(self, request, product_id):
        return self._render(request, self._product(product_id))

    def post(self, request, product_id):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        customer = _customer(request)
        product = self._product(product_id)
        form = AddToCartForm(request.POST, variants=list(product.variants.all()))
        if not form.is_valid():
            return self._render(request, product, form, status=400)
        try:
            services_cart.cart_item_add(
                customer=customer,
                variant_id=form.cleaned_data["variant"],
                quantity=form.cleaned_data["quantity"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, product, form, status=exc.status)
        messages.success(request, f"{product.name} is in your cart.")
        return redirect("shop:product", product_id=product.public_id)


def _cart_context(customer):
    view = cart_view(customer=customer)
    lines = [
        {"line": priced.key, "priced": priced, "image_url": line_image_url(priced.key)}
        for priced in view.quote.lines
    ]
    methods = shipping_methods(
        country=cart_country(view.cart), goods_total=view.quote.subtotal - view.quote.discount_total
    )
    return {"cart": view.cart, "quote": view.quote, "lines": lines, "methods": methods}


class CartPage(LoginRequiredMixin, View):
    def _render(self, request, customer, status=200, **forms):
        context = _cart_context(customer)
        addresses = list(customer.addresses.all()) if isinstance(customer, Customer) else []
        context.update(
            {
                "code_form": forms.get("code_form") or CodeForm(),
                "points_form": forms.get("points_form")
                or PointsForm(initial={"points": context["cart"].points_applied}),
                "address_form": forms.get("address_form") or AddressChoiceForm(addresses=addresses),
                "method_form": forms.get("method_form")
                or ShippingMethodForm(
                    methods=context["methods"], initial={"code": context["cart"].shipping_method}
                ),
                "redeemable_points": _redeemable(customer),
            }
        )
        return render(request, "orders/cart.html", context, status=status)

    def get(self, request):
        return self._render(request, _customer(request))

    def post(self, request):
        customer = _customer(request)
        action = request.POST.get("action")
        handler = getattr(self, f"_{action}", None) if action in _CART_ACTIONS else None
        if handler is None:
            messages.error(request, "Unknown action.")
            return redirect("shop:cart")
        return handler(request, customer)

    def _quantity(self, request, customer):
        form = LineQuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a quantity from 0 to 99.")
            return redirect("shop:cart")
        return self._call(
            request,
            lambda: services_cart.cart_item_update(
                customer=customer, line_id=form.cleaned_data["line"], quantity=form.cleaned_data["quantity"]
            ),
            "Cart updated.",
        )

    def _remove(self, request, customer):
        return self._call(
            request,
            lambda: services_cart.cart_item_remove(customer=customer, line_id=request.POST.get("line", "")),
            "Removed from your cart.",
        )

    def _code(self, request, customer):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._render(request, customer, status=400, code_form=form)
        try:
            services_cart.cart_discount_apply(customer=customer, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            return self._render(request, customer, status=exc.status, code_form=form)
        messages.success(request, "Code applied.")
        return redirect("shop:cart")

    def _remove_code(self, request, customer):
        return self._call(
            request,
            lambda: services_cart.cart_discount_remove(customer=customer, code=request.POST.get("code", "")),
            "Code removed.",
        )

    def _points(self, request, customer):
        form = PointsForm(request.POST)
        if not form.is_valid():
            return self._render(request, customer, status=400, points_form=form)
        try:
            services_cart.cart_points_set(customer=customer, points=form.cleaned_data["points"])
        except DomainError as exc:
            form.add_error("points", exc.message)
            return self._render(request, customer, status=exc.status, points_form=form)
        messages.success(request, "Points updated.")
        return redirect("shop:cart")

    def _address(self, request, customer):
        form = AddressChoiceForm(request.POST, addresses=list(customer.addresses.all()))
        if not form.is_valid():
            return self._render(request, customer, status=400, address_form=form)
        try:
            services_cart.cart_addresses_set(
                customer=customer,
                shipping_address_id=form.cleaned_data["shipping_address_id"] or None,
                shipping_address=None if form.cleaned_data["shipping_address_id"] else form.inline_address(),
            )
        except DomainError as exc:
            for field, problems in exc.details.items():
                name = field.split(".")[-1].replace("shipping_address", "shipping_address_id")
                target = name if name in form.fields else None
                for problem in problems if isinstance(problems, list) else [problems]:
                    form.add_error(target, str(problem) if not isinstance(problem, dict) else exc.message)
            if not exc.details:
                form.add_error(None, exc.message)
            return self._render(request, customer, status=exc.status, address_form=form)
        messages.success(request, "Shipping address saved.")
        return redirect("shop:cart")

    def _method(self, request, customer):
        return self._call(
            request,
            lambda: services_cart.cart_shipping_method_set(
                customer=customer, code=request.POST.get("code", "")
            ),
            "Shipping method saved.",
        )

    def _call(self, request, work, success: str):
        try:
            work()
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
        return redirect("shop:cart")


_CART_ACTIONS = {"quantity", "remove", "code", "remove_code", "points", "address", "method"}


def _redeemable(customer) -> int:
    from loyalty.services import loyalty_account_ensure

    return loyalty_account_ensure(customer=customer).redeemable_points


class CheckoutPage(LoginRequiredMixin, View):
    def _render(self, request, customer, form=None, status=200):
        context = _cart_context(customer)
        on_account = customer.kind == Customer.Kind.BUSINESS
        context["form"] = form or CheckoutForm(on_account=on_account, initial={"method": "card"})
        return render(request, "orders/checkout.html", context, status=status)

    def get(self, request):
        customer = _customer(request)
        return self._render(request, customer)

    def post(self, request):
        customer = _customer(request)
        form = CheckoutForm(request.POST, on_account=customer.kind == Customer.Kind.BUSINESS)
        if not form.is_valid():
            return self._render(request, customer, form, status=400)
        try:
            order = checkout(
                customer=customer,
                payment_method=form.cleaned_data["method"],
                payment_token=form.cleaned_data["payment_token"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            for problems in exc.details.values():
                for problem in problems if isinstance(problems, list) else [problems]:
                    messages.error(request, str(problem))
            return redirect("shop:cart" if exc.status == 409 else "shop:checkout")
        if order.is_retry_available:
            messages.error(request, f"Order {order.number} is placed but the payment did not go through.")
        else:
            messages.success(request, f"Thank you! Order {order.number} is placed.")
        return redirect("orders:detail", number=order.number)
