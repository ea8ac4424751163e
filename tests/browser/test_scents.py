"""Browser: a customer edits their scent profile and builds a blend with the live percentage total."""

import pytest
from playwright.sync_api import expect

from scents.models import Blend, ProfileNote
from scents.selectors import profile_note_slugs, scent_profile_get
from tests.factories import CustomerFactory
from tests.scents.factories import ensure_note_catalog
from tests.scents.urls import use_account_routes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _scents_setup(settings):
    use_account_routes(settings)
    # A transactional test starts from whatever an earlier one's flush left: reload the catalog.
    ensure_note_catalog()


def test_customer_edits_scent_profile_and_creates_a_blend(login_page, live_server):
    customer = CustomerFactory()
    page = login_page(customer.user)

    # the profile form: name, intensity, a family, and notes picked from their families
    page.goto(f"{live_server.url}/account/scent-profile/")
    page.fill("#id_name", "Quiet evenings")
    page.select_option("#id_intensity", "light")
    page.check("#id_categories input[value='floral']")
    page.check("#picker-favorite_notes input[value='lavender']")
    page.check("#picker-disliked_notes input[value='oud']")
    page.click("text=Save scent profile")
    expect(page.locator(".messages")).to_contain_text("Your scent profile is saved.")
    expect(page.locator("#picker-favorite_notes input[value='lavender']")).to_be_checked()

    profile = scent_profile_get(customer=customer)
    assert profile.name == "Quiet evenings"
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["lavender"]
    assert profile_note_slugs(profile, ProfileNote.Kind.DISLIKED) == ["oud"]

    # the blend editor: the total updates live as percentages are typed
    page.click("text=Create a blend")
    page.fill("#id_name", "Evening Calm")
    page.select_option("#id_base", "candle")
    page.select_option("#id_note_0", "lavender")
    page.fill("#id_percentage_0", "50")
    page.select_option("#id_note_1", "vanilla")
    page.fill("#id_percentage_1", "30")
    expect(page.locator("#blend-total")).to_have_text("80")
    expect(page.locator("#blend-total")).to_have_attribute("data-state", "under")
    page.select_option("#id_note_2", "sandalwood")
    page.fill("#id_percentage_2", "20")
    expect(page.locator("#blend-total")).to_have_text("100")
    expect(page.locator("#blend-total")).to_have_attribute("data-state", "ok")
    page.click("text=Save blend")

    expect(page.locator("#blends")).to_contain_text("Evening Calm")
    blend = Blend.objects.get(customer=customer)
    assert [(c.note.slug, c.percentage) for c in blend.components.all()] == [
        ("lavender", 50),
        ("vanilla", 30),
        ("sandalwood", 20),
    ]
