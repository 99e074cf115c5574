"""The personal-data access log: one row per view listing the contacts it showed.

Old rows (one per contact shown) each become a view of that one contact: their timestamps cannot
tell which rows one view wrote, so they are not merged. Backwards, a view of n contacts becomes n
rows again.
"""

from django.db import migrations, models


def _tables(apps, schema_editor):
    access = apps.get_model("accounts", "PersonalDataAccess")
    shown = access._meta.get_field("contacts").remote_field.through
    q = schema_editor.quote_name
    return {
        "access": q(access._meta.db_table),
        "shown": q(shown._meta.db_table),
        "view": q(shown._meta.get_field("personaldataaccess").column),
        "contact": q(shown._meta.get_field("contact").column),
    }


def contact_into_contacts(apps, schema_editor):
    t = _tables(apps, schema_editor)
    schema_editor.execute(
        "INSERT INTO {shown} ({view}, {contact}) SELECT id, contact_id FROM {access} "  # nosec B608 # table and column names from the models, quoted
        "WHERE contact_id IS NOT NULL".format(**t)
    )
    _check_now(schema_editor)


def contacts_into_contact(apps, schema_editor):
    t = _tables(apps, schema_editor)
    first = "SELECT MIN(s.{contact}) FROM {shown} s WHERE s.{view} = {access}.id".format(**t)  # nosec B608 # table and column names from the models, quoted
    schema_editor.execute(f"UPDATE {t['access']} SET contact_id = ({first}) WHERE contact_id IS NULL")  # nosec B608 # table and column names from the models, quoted
    schema_editor.execute(
        "INSERT INTO {access} (user_id, channel, action, accessed_at, contact_id) "  # nosec B608 # table and column names from the models, quoted
        "SELECT a.user_id, a.channel, a.action, a.accessed_at, s.{contact} "
        "FROM {access} a JOIN {shown} s ON s.{view} = a.id WHERE s.{contact} <> a.contact_id".format(**t)
    )
    schema_editor.execute(f"DELETE FROM {t['access']} WHERE contact_id IS NULL")  # views of no one left  # nosec B608 # table and column names from the models, quoted
    _check_now(schema_editor)


def _check_now(schema_editor):
    # PostgreSQL refuses to alter a table with deferred checks pending: run them before the next step.
    schema_editor.connection.check_constraints()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_buying_status"),
    ]

    operations = [
        migrations.AlterField(
            model_name="personaldataaccess",
            name="contact",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="+", to="accounts.contact"
            ),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="contacts",
            field=models.ManyToManyField(related_name="personal_data_accesses", to="accounts.contact"),
        ),
        migrations.RunPython(contact_into_contacts, contacts_into_contact),
        migrations.RemoveField(
            model_name="personaldataaccess",
            name="contact",
        ),
    ]
