"""Forms of the scent-profile pages; the rules live in the services, these only shape the input."""

from django import forms

from scents.models import MAX_BLEND_COMPONENTS, BlendBase, Family, Intensity, Note, Occasion


def _note_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Note choices grouped by family (for optgroups and fieldsets)."""
    grouped: dict[str, list[tuple[str, str]]] = {family: [] for family in Family.values}
    for slug, name, family in Note.objects.order_by("name").values_list("slug", "name", "family"):
        grouped[family].append((slug, name))
    return [(Family(family).label, notes) for family, notes in grouped.items() if notes]


class ScentProfileForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label="Profile name")
    intensity = forms.ChoiceField(choices=[("", "No preference"), *Intensity.choices], required=False)
    categories = forms.MultipleChoiceField(
        choices=Family.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Favorite families"
    )
    occasions = forms.MultipleChoiceField(
        choices=Occasion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    favorite_notes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    disliked_notes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _note_choices()
        self.fields["favorite_notes"].choices = choices
        self.fields["disliked_notes"].choices = choices


class BlendForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    intensity = forms.ChoiceField(choices=Intensity.choices, initial=Intensity.MEDIUM)
    base = forms.ChoiceField(choices=BlendBase.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *_note_choices()]
        for i in range(MAX_BLEND_COMPONENTS):
            self.fields[f"note_{i}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"Note {i + 1}",
                widget=forms.Select(attrs={"class": "blend-note"}),
            )
            self.fields[f"percentage_{i}"] = forms.IntegerField(
                min_value=1,
                max_value=100,
                required=False,
                label=f"Percentage {i + 1}",
                widget=forms.NumberInput(attrs={"class": "blend-percentage", "min": 1, "max": 100}),
            )

    def component_rows(self):
        """Pairs of (note field, percentage field) for the template."""
        return [(self[f"note_{i}"], self[f"percentage_{i}"]) for i in range(MAX_BLEND_COMPONENTS)]

    def clean(self):
        cleaned = super().clean()
        components = []
        for i in range(MAX_BLEND_COMPONENTS):
            note, percentage = cleaned.get(f"note_{i}"), cleaned.get(f"percentage_{i}")
            if not note and percentage in (None, ""):
                continue
            if not note or percentage in (None, ""):
                self.add_error(f"note_{i}", "Choose a note and its percentage.")
                continue
            components.append({"note": note, "percentage": percentage})
        cleaned["components"] = components
        return cleaned

    @classmethod
    def initial_for(cls, blend) -> dict:
        initial = {
            "name": blend.name,
            "description": blend.description,
            "intensity": blend.intensity,
            "base": blend.base,
        }
        for i, component in enumerate(blend.components.all()):
            initial[f"note_{i}"] = component.note.slug
            initial[f"percentage_{i}"] = component.percentage
        return initial
