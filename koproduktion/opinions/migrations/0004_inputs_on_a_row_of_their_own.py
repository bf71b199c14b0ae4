"""A map's input version and its request for a computation move to a row of their own, which
votes write while a computation writes the map's row (``OpinionMapInputs``)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_inputs(apps, schema_editor):
    OpinionMap = apps.get_model("opinions", "OpinionMap")
    OpinionMapInputs = apps.get_model("opinions", "OpinionMapInputs")
    OpinionMapInputs.objects.bulk_create(
        OpinionMapInputs(
            opinion_map_id=pk,
            municipality_id=municipality_id,
            version=version,
            update_requested_at=requested_at,
        )
        for pk, municipality_id, version, requested_at in OpinionMap.objects.values_list(
            "pk", "municipality_id", "input_version", "update_requested_at"
        ).iterator()
    )


def copy_inputs_back(apps, schema_editor):
    OpinionMap = apps.get_model("opinions", "OpinionMap")
    OpinionMapInputs = apps.get_model("opinions", "OpinionMapInputs")
    for inputs in OpinionMapInputs.objects.iterator():
        OpinionMap.objects.filter(pk=inputs.opinion_map_id).update(
            input_version=inputs.version, update_requested_at=inputs.update_requested_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0016_neighbourhood_population"),
        ("opinions", "0003_vote_indexes_of_project_and_statement_go"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpinionMapInputs",
            fields=[
                (
                    "opinion_map",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="inputs",
                        serialize=False,
                        to="opinions.opinionmap",
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=0)),
                ("update_requested_at", models.DateTimeField(blank=True, null=True)),
                ("computation_started_at", models.DateTimeField(blank=True, null=True)),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.municipality",
                        verbose_name="Kommune",
                    ),
                ),
            ],
            options={
                "verbose_name": "Eingaben eines Meinungsbilds",
                "verbose_name_plural": "Eingaben von Meinungsbildern",
            },
        ),
        migrations.RunPython(copy_inputs, copy_inputs_back),
        migrations.RemoveField(
            model_name="opinionmap",
            name="input_version",
        ),
        migrations.RemoveField(
            model_name="opinionmap",
            name="update_requested_at",
        ),
    ]
