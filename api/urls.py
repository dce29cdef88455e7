"""Open data API (placeholder: being written)."""

urlpatterns = []
