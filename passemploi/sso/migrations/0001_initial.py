import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SsoIdentity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "provider",
                    models.CharField(max_length=32, verbose_name="fournisseur d'identité"),
                ),
                (
                    "sub",
                    models.CharField(max_length=255, verbose_name="identifiant chez le fournisseur"),
                ),
                ("linked_at", models.DateTimeField(auto_now_add=True, verbose_name="liée le")),
                (
                    "last_login_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dernière connexion"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sso_identities",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "identité fédérée",
                "verbose_name_plural": "identités fédérées",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("provider", "sub"), name="sso_identity_provider_sub"
                    ),
                    models.UniqueConstraint(
                        fields=("user", "provider"), name="sso_identity_user_provider"
                    ),
                ],
            },
        ),
    ]
