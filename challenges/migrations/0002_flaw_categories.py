from django.db import migrations

# DESIGN.md's flaw taxonomy. L&D may extend it in the admin (Snippets > Flaw categories).
CATEGORIES = [
    ("Factual error / hallucination", "hallucination", "States something false or invented as fact."),
    ("Misclassification", "misclassification", "Puts a case, request or person in the wrong category."),
    ("Tone and empathy", "tone-empathy", "Cold, patronising, blaming or otherwise wrong tone for the reader."),
    ("Bias and fairness", "bias-fairness", "Treats people differently for who they are rather than what they did."),
    ("Privacy and sensitive data", "privacy", "Reveals, asks for or infers personal or confidential data."),
    ("Policy and compliance", "policy-compliance", "Contradicts company policy, law or regulation."),
    ("Missing context", "missing-context", "Ignores something the reader or situation needs taken into account."),
    ("Unsafe or harmful advice", "unsafe-advice", "Advice that could hurt someone, the company or customers."),
]


def seed(apps, schema_editor):
    FlawCategory = apps.get_model("challenges", "FlawCategory")
    for order, (name, slug, description) in enumerate(CATEGORIES):
        FlawCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("challenges", "FlawCategory").objects.filter(
        slug__in=[c[1] for c in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
