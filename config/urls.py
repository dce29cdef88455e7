from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from config import health
from staff.urls import activities_urls, followup_urls, invitation_urls, todo_urls, workspace_urls

urlpatterns = [
    path("health/", health.health, name="health"),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include(activities_urls)),
    path("", include(followup_urls)),
    path("", include(workspace_urls)),
    path("", include(invitation_urls)),
    path("", include(todo_urls)),
    # Last: the public pages start with a municipality's slug.
    path("", include("public.urls")),
]
