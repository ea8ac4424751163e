"""Review moderation in the staff admin: a queue of pending reviews; Approve and Reject call the services."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from config.admin_paginator import EstimatedCountPaginator
from config.errors import DomainError
from reviews import services
from reviews.forms import RejectForm
from reviews.models import ProductRating, Review, ReviewStatus


class ReviewStatusFilter(admin.SimpleListFilter):
    """Status, pending by default: the admin opens on the moderation queue."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*ReviewStatus.choices, (self.ALL, "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ReviewStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ReviewStatus.PENDING
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["public_id", "product", "rating", "title", "author", "status", "created_at"]
    list_filter = [ReviewStatusFilter]
    list_select_related = ["product", "customer"]
    search_fields = ["=public_id", "=customer__email", "product__name", "=product__sku"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["approve_reviews", "reject_reviews"]
    fields = [
        "public_id",
        "product",
        "customer",
        "order_item",
        "rating",
        "title",
        "body",
        "status",
        "moderated_by",
        "moderated_at",
        "moderation_note",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Reviews come from verified buyers through the API and the account page.
        return False

    def has_change_permission(self, request, obj=None):
        # Everything is read-only; a status changes only through the moderation actions.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting here would bypass the rating recount; staff reject instead, authors delete.
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("reviews.moderate_review")

    @admin.display(description="Author", ordering="customer__email")
    def author(self, review):
        return review.customer.email

    def _form_page(self, request, queryset, *, form, title, action):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "reviews": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reviews/review/action_form.html", context)

    def _moderate(self, request, queryset, service, verb: str, note: str):
        done = 0
        for review in queryset:
            try:
                service(review=review, by=request.user, note=note)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{review.public_id}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} review(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected reviews", permissions=["moderate"])
    def approve_reviews(self, request, queryset):
        self._moderate(request, queryset, services.review_approve, "approved", "")

    @admin.action(description="Reject selected reviews (with a note)", permissions=["moderate"])
    def reject_reviews(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_page(
                request,
                queryset.select_related("product"),
                form=form,
                title="Reject reviews",
                action="reject_reviews",
            )
        self._moderate(request, queryset, services.review_reject, "rejected", form.cleaned_data["note"])
        return None


@admin.register(ProductRating)
class ProductRatingAdmin(admin.ModelAdmin):
    list_display = ["product", "average_rating", "review_count", "updated_at"]
    list_select_related = ["product"]
    search_fields = ["product__name", "=product__sku"]
    readonly_fields = ["product", "review_count", "rating_sum", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
