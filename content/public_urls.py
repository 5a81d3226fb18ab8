from django.urls import path

from content.feeds import LanguageFeed
from content.views import public

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("<slug:lang>/feed/", LanguageFeed(), name="feed"),
    path("<slug:lang>/<slug:slug>/", public.post_page, name="post"),
]
