"""Staff admin: the note catalog (editable), products' notes, and read-only views of profiles and blends."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Prefetch

from config.errors import DomainError
from scents import services
from scents.models import Blend, BlendComponent, Note, ProductNote, ProductNotes, ProfileNote, ScentProfile


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "family", "updated_at"]
    list_filter = ["family"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]


class ProductNotesForm(forms.ModelForm):
    notes = forms.ModelMultipleChoiceField(
        queryset=Note.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple("notes", is_stacked=False),
    )

    class Meta:
        model = ProductNotes
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["notes"].initial = list(
                ProductNote.objects.filter(product=self.instance).values_list("note_id", flat=True)
            )


@admin.register(ProductNotes)
class ProductNotesAdmin(admin.ModelAdmin):
    """The notes each catalog product carries (products themselves are edited in the orders admin)."""

    form = ProductNotesForm
    list_display = ["name", "sku", "is_active", "note_names"]
    list_filter = ["is_active", "note_links__note__family"]
    search_fields = ["name", "sku", "note_links__note__name"]
    readonly_fields = ["name", "sku"]
    fields = ["name", "sku", "notes"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("note_links", queryset=ProductNote.objects.select_related("note")))
        )

    @admin.display(description="notes")
    def note_names(self, obj):
        return ", ".join(sorted(link.note.name for link in obj.note_links.all()))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The product's own fields are read-only here; only its notes change, through the service.
        try:
            services.product_notes_set(product=obj, notes=form.cleaned_data["notes"])
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Customers' own data: staff can look, customers change it through their account."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProfileNoteInline(admin.TabularInline):
    model = ProfileNote
    fields = ["note", "kind"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScentProfile)
class ScentProfileAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "customer", "name", "intensity", "updated_at"]
    list_filter = ["intensity"]
    list_select_related = ["customer"]
    search_fields = ["public_id", "customer__email", "name"]
    readonly_fields = [
        "public_id",
        "customer",
        "name",
        "intensity",
        "categories",
        "occasions",
        "created_at",
        "updated_at",
    ]
    inlines = [ProfileNoteInline]


class BlendComponentInline(admin.TabularInline):
    model = BlendComponent
    fields = ["note", "percentage"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Blend)
class BlendAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "name", "customer", "base", "intensity", "created_at"]
    list_filter = ["base", "intensity"]
    list_select_related = ["customer"]
    search_fields = ["public_id", "name", "customer__email"]
    readonly_fields = [
        "public_id",
        "customer",
        "name",
        "description",
        "intensity",
        "base",
        "created_at",
        "updated_at",
    ]
    inlines = [BlendComponentInline]
