"""The default tender preparation plan: nine months counted back from the submission date."""

from django.db import migrations

# (title, months before submission, days before submission)
DEFAULT_PLAN = [
    ("Study the tender requirements and the client's buying centre", 9, None),
    ("Map decision makers and their selection criteria", 8, None),
    ("Review past tenders and the competitors present", 7, None),
    ("Agree the technical solution with the client's experts", 6, None),
    ("Samples, trials or a pilot delivery", 5, None),
    ("Price calculation and margin approval", 4, None),
    ("Collect certificates, references and recommendation letters", 3, None),
    ("Draft the bid and review it internally", 2, None),
    ("Management approval of the final bid", 1, None),
    ("Final check of the bid documents", None, 7),
    ("Submit the bid", None, 0),
]


def create_default_plan(apps, schema_editor):
    MilestoneTemplate = apps.get_model("dossiers", "MilestoneTemplate")
    if MilestoneTemplate.objects.exists():
        return
    MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(title=title, months_before_submission=months, days_before=days)
        for title, months, days in DEFAULT_PLAN
    )


def remove_default_plan(apps, schema_editor):
    MilestoneTemplate = apps.get_model("dossiers", "MilestoneTemplate")
    MilestoneTemplate.objects.filter(title__in=[title for title, _m, _d in DEFAULT_PLAN]).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(create_default_plan, remove_default_plan)]
