"""The demo's orange Tesla alerts show a photo of the pills: drawn by the seed (no third-party
photo), uploaded through the image pipeline and named as the alert's photo fact; the public page
embeds it, a clear-web export links it and a Tor export drops it, as the image policies say."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from content import exports
from content.alert_rules import is_uploaded_image, upload_prefix
from content.alerts import facts_of
from content.models import ExportProfile, Post
from content.models.exports import ImagePolicy
from content.models.posts import PostKind

pytestmark = pytest.mark.django_db

TESLA = "high-dose-mdma-pills-orange-tesla"
ALT = "Photo of the tested sample"


@pytest.fixture
def seeded() -> Post:
    call_command("seed_demo", stdout=io.StringIO())
    return Post.objects.select_related("language", "published_revision").get(slug=TESLA)


def photo_of(post: Post) -> str:
    facts = facts_of(post.published_revision)
    assert facts is not None
    return facts.photo


def test_the_orange_tesla_alerts_show_one_uploaded_photo(seeded: Post) -> None:
    tesla = [
        post
        for post in Post.objects.published().filter(kind=PostKind.DRUG_ALERT)
        if "tesla" in post.slug
    ]
    assert {post.language.code for post in tesla} == {"en", "nl", "fr"}
    photos = {photo_of(post) for post in tesla}
    assert len(photos) == 1  # en, nl and fr show the same pills
    (photo,) = photos
    assert is_uploaded_image(photo)
    stored = photo[len(upload_prefix()) :]
    with default_storage.open(f"uploads/{stored}") as file:
        image = Image.open(file)
        assert image.format == "PNG" and image.size == (320, 200)
        assert not image.info.get("exif") and not image.getexif()
        # An orange pill in the middle.
        red, green, blue = image.convert("RGB").getpixel((100, 100))
        assert red > 200 and 100 < green < 160 and blue < 60
    # Both versions show it: the photo is not what changed between them.
    first, second = seeded.revisions.order_by("number")[:2]
    assert first.facts["photo"] == second.facts["photo"] == photo


def test_the_public_page_embeds_the_photo_before_the_text(client: Any, seeded: Post) -> None:
    page = client.get(seeded.get_public_url()).content.decode()
    photo = photo_of(seeded)
    assert f'<img src="{photo}" alt="{ALT}"' in page
    assert page.index(photo) < page.index("a quarter of a pill")


def test_seeding_again_uploads_no_second_photo(seeded: Post) -> None:
    before = default_storage.listdir("uploads")[1]
    call_command("seed_demo", stdout=io.StringIO())
    assert default_storage.listdir("uploads")[1] == before


@pytest.mark.parametrize("slug", ["dread", "phpbb-tor", "phpbb"])
def test_an_export_shows_the_photo_as_its_image_policy_says(
    seeded: Post, editor: Any, slug: str, settings: Any
) -> None:
    settings.PUBLIC_ONION_URL = "http://" + "a" * 56 + ".onion"
    profile = ExportProfile.objects.get(slug=slug)
    outcome = exports.export_post(post=seeded, profile=profile, actor=editor, final=True)
    text = "\n".join(outcome.parts)
    photo = photo_of(seeded)
    if profile.image_policy == ImagePolicy.DROP:
        assert profile.tor or slug != "phpbb"
        assert photo not in text and ALT not in text
    else:
        assert f"image: {ALT}" in text and photo in text
    assert "MDMA" in text  # the rest of the facts stay
