from django.db import migrations, models
from django.db.models import F


def published_since_created(apps, schema_editor):
    """Projects already on the public list count as published since they were created: the
    closest date there is, since nobody noted when they went public."""
    Project = apps.get_model("projects", "Project")
    Project.objects.filter(is_published=True, published_at__isnull=True).update(
        published_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_phase_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="veröffentlicht am"
            ),
        ),
        migrations.RunPython(published_since_created, migrations.RunPython.noop, elidable=True),
    ]
