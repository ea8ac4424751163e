"""The account's review page: own reviews, and a form for each product ready for review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.api.throttling import ScopedActionThrottle
from config.errors import DomainError, NotFound, ValidationFailed
from orders.selectors import product_get
from reviews import selectors, services
from reviews.forms import ReviewForm


class _ReviewLimit:
    """The page shares the API's per-customer review limit (`ACTION_THROTTLE_RATES["review"]`)."""

    action_throttle_scope = "review"


def _customer_of(request):
    customer = getattr(request.user, "customer", None)
    if customer is None or not customer.is_active:
        raise Http404("This page is for customer accounts.")
    return customer


def _render(request, customer, *, bound: dict | None = None, status: int = 200):
    """The page; `bound` maps a product or review id to the form that came back with errors."""
    bound = bound or {}
    ready = [
        {"item": item, "form": bound.get(item.product_id) or ReviewForm(prefix=item.product_id)}
        for item in selectors.ready_for_review(customer=customer)
    ]
    reviews = [
        {
            "review": review,
            "form": bound.get(review.public_id)
            or ReviewForm(
                prefix=review.public_id,
                initial={"rating": review.rating, "title": review.title, "body": review.body},
            ),
        }
        for review in selectors.review_list_for_customer(customer=customer)
    ]
    return render(request, "reviews/overview.html", {"reviews": reviews, "ready": ready}, status=status)


def _limited(request) -> bool:
    """True (with a message) when the customer hit the review limit."""
    throttle = ScopedActionThrottle()
    if throttle.allow_request(request, _ReviewLimit):
        return False
    minutes = max(1, int((throttle.wait() or 60) // 60))
    messages.error(request, f"You have written many reviews lately; please try again in {minutes} minutes.")
    return True


def _service_errors(form, exc: ValidationFailed) -> None:
    for field, errors in exc.details.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
@require_GET
def reviews_overview(request):
    return _render(request, _customer_of(request))


@login_required
@require_POST
def review_write(request, product_id: str):
    customer = _customer_of(request)
    try:
        product = product_get(public_id=product_id)
    except NotFound:
        raise Http404("No such product.")
    form = ReviewForm(request.POST, prefix=product_id)
    throttle = ScopedActionThrottle()
    if not throttle.allow_request(request, _ReviewLimit):
        minutes = max(1, int((throttle.wait() or 60) // 60))
        messages.error(
            request, f"You have written many reviews lately; please try again in {minutes} minutes."
        )
        return redirect("reviews:overview")
    if form.is_valid():
        try:
            services.review_create(customer=customer, product=product, **form.cleaned_data)
        except ValidationFailed as exc:
            for field, errors in exc.details.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("reviews:overview")
        else:
            messages.success(
                request, f"Thank you! Your review of {product.name} will appear once it is approved."
            )
            return redirect("reviews:overview")
    return _render(request, customer, bound={product_id: form}, status=400)


@login_required
@require_POST
def review_edit(request, review_id: str):
    customer = _customer_of(request)
    try:
        review = selectors.review_get_for_customer(customer=customer, public_id=review_id)
    except NotFound:
        raise Http404("No such review.")
    form = ReviewForm(request.POST, prefix=review_id)
    if _limited(request):
        return redirect("reviews:overview")
    if form.is_valid():
        try:
            services.review_update(review=review, customer=customer, **form.cleaned_data)
        except ValidationFailed as exc:
            _service_errors(form, exc)
        except NotFound:
            raise Http404("No such review.")
        else:
            messages.success(request, "Your review was updated; it will appear again once it is approved.")
            return redirect("reviews:overview")
    return _render(request, customer, bound={review_id: form}, status=400)


@login_required
@require_POST
def review_delete(request, review_id: str):
    customer = _customer_of(request)
    try:
        review = selectors.review_get_for_customer(customer=customer, public_id=review_id)
        services.review_delete(review=review, customer=customer)
    except NotFound:
        raise Http404("No such review.")
    messages.success(request, "Your review was deleted.")
    return redirect("reviews:overview")
