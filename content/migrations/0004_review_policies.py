from django.db import migrations

# kind -> (approvals required before publishing, days until the published text is re-reviewed)
DEFAULTS = {
    "article": (1, 365),
    "drug_alert": (2, 30),
    "faq_answer": (1, 365),
    "fact_sheet": (2, 365),
}


def add_policies(apps, schema_editor):
    ReviewPolicy = apps.get_model("content", "ReviewPolicy")
    for kind, (approvals, days) in DEFAULTS.items():
        ReviewPolicy.objects.get_or_create(
            kind=kind, defaults={"required_approvals": approvals, "review_interval_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0003_workflow")]

    operations = [migrations.RunPython(add_policies, migrations.RunPython.noop)]
