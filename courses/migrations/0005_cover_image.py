# The module's unused hero image becomes its cover image (shown on the module page and the
# catalogue); the rename keeps any image already chosen.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_ld_review_workflow"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RenameField(
            model_name="skillmodulepage", old_name="hero_image", new_name="cover_image"
        ),
        migrations.AlterField(
            model_name="skillmodulepage",
            name="cover_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Optional: shown on the module page and in the list. Its description "
                "in the image library is its alt text (leave the description empty for a "
                "purely decorative picture).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
            ),
        ),
    ]
