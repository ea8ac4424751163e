"""Account pages (mounted under /account/)."""

app_name = "account"
urlpatterns: list = []
