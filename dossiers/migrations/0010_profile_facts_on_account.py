"""Headcount and the client's annual turnover are kept once, on the Account.

The profile's copies are moved to the account where the account has none (the account's own value
wins), their history rows renamed to the account's field, then the profile's fields dropped.
"""

from django.db import migrations

FACTS = (("headcount", "headcount"), ("annual_sales", "annual_revenue"))


def copy_to_accounts(apps, schema_editor):
    AccountProfile = apps.get_model("dossiers", "AccountProfile")
    Account = apps.get_model("accounts", "Account")
    ProfileChange = apps.get_model("dossiers", "ProfileChange")
    for profile_field, account_field in FACTS:
        filled = AccountProfile.objects.filter(**{f"{profile_field}__isnull": False})
        for account_id, value in filled.values_list("account_id", profile_field).iterator():
            Account.objects.filter(pk=account_id, **{f"{account_field}__isnull": True}).update(
                **{account_field: value}
            )
    ProfileChange.objects.filter(field="annual_sales").update(field="annual_revenue")


def copy_back(apps, schema_editor):
    AccountProfile = apps.get_model("dossiers", "AccountProfile")
    ProfileChange = apps.get_model("dossiers", "ProfileChange")
    for profile in AccountProfile.objects.select_related("account").iterator():
        profile.headcount = profile.account.headcount
        profile.annual_sales = profile.account.annual_revenue
        profile.save(update_fields=["headcount", "annual_sales"])
    ProfileChange.objects.filter(field="annual_revenue").update(field="annual_sales")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_lead_source"),
        ("dossiers", "0009_referrals_and_letters"),
    ]

    operations = [
        migrations.RunPython(copy_to_accounts, copy_back),
        migrations.RemoveConstraint(model_name="accountprofile", name="profile_annual_sales_not_negative"),
        migrations.RemoveField(model_name="accountprofile", name="headcount"),
        migrations.RemoveField(model_name="accountprofile", name="annual_sales"),
    ]
