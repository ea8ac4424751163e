"""Forms of the review page and the moderation admin."""

from django import forms

from reviews.models import RATING_MAX, RATING_MIN
from reviews.services import BODY_MAX, NOTE_MAX, TITLE_MAX

RATING_CHOICES = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(RATING_MAX, RATING_MIN - 1, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int)
    title = forms.CharField(max_length=TITLE_MAX)
    body = forms.CharField(label="Your review", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the review is turned down; the author sees this note.",
    )
