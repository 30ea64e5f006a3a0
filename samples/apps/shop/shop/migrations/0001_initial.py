from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="TaskRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("task_id", models.CharField(max_length=64, unique=True)),
                ("worker", models.CharField(max_length=253)),
                ("started", models.DateTimeField()),
                ("finished", models.DateTimeField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name="BeatTick",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("beat", models.CharField(max_length=253)),
                ("ran", models.DateTimeField()),
            ],
        ),
    ]
