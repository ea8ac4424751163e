"""The loyalty account page: balance, tier progress, activity, rewards and the referral code."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError
from loyalty import selectors, services
from loyalty.models import Reward


def _customer_of(request):
    customer = getattr(request.user, "customer", None)
    if customer is None or not customer.is_active:
        raise Http404("This page is for customer accounts.")
    return customer


@login_required
@require_GET
def loyalty_overview(request):
    customer = _customer_of(request)
    account = services.loyalty_account_ensure(customer=customer)
    summary = selectors.loyalty_summary(customer=customer, account=account)
    activity = Paginator(selectors.ledger_for_customer(customer=customer), 20).get_page(
        request.GET.get("page")
    )
    status = summary.status
    progress = 100
    if status.next_tier is not None:
        span = status.next_tier.threshold - status.tier.threshold
        progress = int(100 * (status.tier_points - status.tier.threshold) / span) if span else 100
    return render(
        request,
        "loyalty/overview.html",
        {
            "summary": summary,
            "account": account,
            "status": status,
            "progress": max(0, min(100, progress)),
            "activity": activity,
            "redemptions": list(selectors.redemptions_for_customer(customer=customer)[:10]),
            # A one-time token per rendered page, so a double-clicked Redeem spends once.
            "request_key": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def reward_redeem(request, reward_id: str):
    customer = _customer_of(request)
    reward = get_object_or_404(Reward, public_id=reward_id)
    try:
        redemption = services.loyalty_reward_redeem(
            customer=customer, reward=reward, request_key=request.POST.get("request_key", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You redeemed {reward.name}. Your coupon code is {redemption.code}.")
    return redirect("loyalty:overview")
