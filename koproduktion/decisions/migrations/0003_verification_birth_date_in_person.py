from django.db import migrations, models


def forget_self_declared_birth_dates(apps, schema_editor):
    """Birth dates typed when redeeming a postal code were never checked: a poll's minimum age
    must not rely on them."""
    Verification = apps.get_model("decisions", "Verification")
    Verification.objects.exclude(method="in_person").exclude(birth_date=None).update(
        birth_date=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_ballot_pool"),
    ]

    operations = [
        migrations.RunPython(forget_self_declared_birth_dates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="verification",
            constraint=models.CheckConstraint(
                condition=models.Q(("birth_date__isnull", True), ("method", "in_person"), _connector="OR"),
                name="verification_birth_date_in_person",
            ),
        ),
    ]
