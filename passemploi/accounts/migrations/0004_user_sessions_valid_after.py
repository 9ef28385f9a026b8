from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_youngperson_initial_counselor")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sessions_valid_after",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="sessions valables après"
            ),
        ),
    ]
