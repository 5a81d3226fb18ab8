from django.db import migrations

HEADER = "{title} (version {version}, {reviewers})"
FOOTER_CLEAR = "Published {published}, next review {review_due}. Check this text: {url} (hash {hash})"
FOOTER_TOR = (
    "Published {published}, next review {review_due}. Check this text: {onion_url} (hash {hash})"
)

# slug -> fields. Lengths are the forums' defaults (phpBB max_post_chars 60000, XenForo 10000
# characters per message, Reddit 40000 per self post, Discourse max_post_length 32000).
PROFILES = {
    "dread": dict(
        name="Dread (Tor)", format="forum_markdown", dialect="reddit", max_length=10000,
        link_policy="onion_internal", image_policy="drop", tor=True,
        header_template=HEADER, footer_template=FOOTER_TOR,
    ),
    "phpbb-tor": dict(
        name="phpBB forum on Tor", format="bbcode", dialect="phpbb3", max_length=60000,
        link_policy="onion_internal", image_policy="drop", tor=True,
        header_template=HEADER, footer_template=FOOTER_TOR,
    ),
    "phpbb": dict(
        name="phpBB forum (clear web)", format="bbcode", dialect="phpbb3", max_length=60000,
        link_policy="keep", image_policy="link", tor=False,
        header_template=HEADER, footer_template=FOOTER_CLEAR,
    ),
    "xenforo": dict(
        name="XenForo forum", format="bbcode", dialect="xenforo2", max_length=10000,
        link_policy="keep", image_policy="link", tor=False,
        header_template=HEADER, footer_template=FOOTER_CLEAR,
    ),
    "reddit": dict(
        name="Reddit", format="forum_markdown", dialect="reddit", max_length=40000,
        link_policy="keep", image_policy="link", tor=False,
        header_template=HEADER, footer_template=FOOTER_CLEAR,
    ),
    "discourse": dict(
        name="Discourse forum", format="forum_markdown", dialect="commonmark", max_length=32000,
        link_policy="keep", image_policy="link", tor=False,
        header_template=HEADER, footer_template=FOOTER_CLEAR,
    ),
    "plain-text": dict(
        name="Plain text", format="plaintext", dialect="", max_length=None,
        link_policy="references", image_policy="drop", tor=False,
        header_template=HEADER, footer_template=FOOTER_CLEAR,
    ),
}


def add_profiles(apps, schema_editor):
    ExportProfile = apps.get_model("content", "ExportProfile")
    for slug, fields in PROFILES.items():
        ExportProfile.objects.get_or_create(slug=slug, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("content", "0005_exports")]

    operations = [migrations.RunPython(add_profiles, migrations.RunPython.noop)]
