from django.db import migrations, models

# A date is a purchase date when one of its lines is not negative: count those lines per day.
BACKFILL = """
UPDATE sales_dailysales SET purchase_lines = (
    SELECT COUNT(*) FROM sales_salesline l
    WHERE l.account_id = sales_dailysales.account_id AND l.date = sales_dailysales.date AND l.amount >= 0
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("sales", "0002_ledger_keys_without_database_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailysales",
            name="purchase_lines",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Lines of the day that are not negative: more than 0 makes it a purchase date",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
