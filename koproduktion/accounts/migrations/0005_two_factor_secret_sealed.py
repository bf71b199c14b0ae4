"""The secret of two-factor log-in is sealed under a key derived from SECRET_KEY (``core.sealing``);
the secrets stored in plain text until now are sealed here, and the plain column goes.

Runs with the installation's SECRET_KEY: the same key must be in place when the app starts (or in
SECRET_KEY_FALLBACKS). Old row versions may keep the plain secrets until the database is vacuumed,
and backups taken before keep them: have staff set up their app again where that matters.
"""

from django.db import migrations, models

from koproduktion.accounts.two_factor import secret_open, secret_seal


def seal_secrets(apps, schema_editor):
    device_model = apps.get_model("accounts", "TwoFactorDevice")
    for device in device_model.objects.only("pk", "secret").iterator():
        device_model.objects.filter(pk=device.pk).update(
            sealed_secret=secret_seal(user_id=device.pk, secret=device.secret), secret=""
        )


def open_secrets(apps, schema_editor):
    device_model = apps.get_model("accounts", "TwoFactorDevice")
    for device in device_model.objects.only("pk", "sealed_secret").iterator():
        secret, _stale = secret_open(user_id=device.pk, sealed=device.sealed_secret)
        device_model.objects.filter(pk=device.pk).update(secret=secret)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_two_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="twofactordevice",
            name="sealed_secret",
            field=models.BinaryField(default=b"", editable=False),
            preserve_default=False,
        ),
        # Blank while the secrets move, so that going back can add the column again.
        migrations.AlterField(
            model_name="twofactordevice",
            name="secret",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(seal_secrets, open_secrets),
        migrations.RemoveField(
            model_name="twofactordevice",
            name="secret",
        ),
    ]
