"""The account area's section links, shown only for the pages that exist in this build."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (url name, label, what the page is for). Each feature's pages take these names in the `account`
# namespace; a section whose page is not installed is simply not linked, never a dead link.
SECTIONS = [
    ("account:profile", "Profile", "Your name, contact details and preferences."),
    ("account:notifications", "Notifications", "Which messages we send you, and how."),
    ("account:addresses", "Addresses", "Your billing and shipping addresses."),
    ("orders:list", "Orders", "Your orders, deliveries and returns."),
    ("returns:list", "Returns", "Your return requests and their progress."),
    ("shop:cart", "Cart", "What you are about to buy: codes, points, address and shipping."),
    ("loyalty:overview", "Loyalty", "Your tier, points and rewards."),
    ("scents:profile", "Scent profile", "Your favourite notes and custom blends."),
    ("reviews:overview", "Reviews", "Your product reviews and products ready for review."),
    ("account:delete", "Delete account", "Erase your personal data and close the account."),
]


@register.simple_tag
def account_sections() -> list[dict]:
    """The installed account sections as `{"url", "label", "description"}`."""
    sections = []
    for name, label, description in SECTIONS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        sections.append({"url": url, "label": label, "description": description})
    return sections
