from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_revenue_target_to_sales_plans"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="accountplan", name="plan_revenue_target_not_negative"),
        migrations.RemoveField(model_name="accountplan", name="revenue_target"),
    ]
