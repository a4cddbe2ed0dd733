from django.db import migrations

SKILLS = [
    ("Critical thinking", "critical-thinking", "Question what an AI says: evidence, logic, gaps.", "#1f4e79"),
    ("Data literacy", "data-literacy", "Read numbers, charts and sources well enough to spot a wrong one.", "#00605a"),
    ("Prompt engineering", "prompt-engineering", "Ask an AI clearly, with the context and constraints it needs.", "#5b2a86"),
    ("Communication", "communication", "Tone, clarity and empathy in what the AI writes for people.", "#8a3b00"),
    ("Context awareness", "context-awareness", "Know the policies, culture and unwritten rules the AI cannot see.", "#6b4e00"),
    ("Problem-solving", "problem-solving", "Break a task down and find where the AI's approach fails.", "#1e6b35"),
    ("Ethical awareness", "ethical-awareness", "Spot bias, privacy risks and unfair or unsafe outcomes.", "#a4161a"),
    ("Collaboration", "collaboration", "Review colleagues' work fairly and build on each other's teaching.", "#2e4a7d"),
    ("Adaptability", "adaptability", "Keep judging well as models, tools and policies change.", "#4a5562"),
]


def seed_skills(apps, schema_editor):
    Skill = apps.get_model("courses", "Skill")
    for order, (name, slug, description, colour) in enumerate(SKILLS):
        Skill.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "colour": colour, "sort_order": order},
        )


def unseed_skills(apps, schema_editor):
    apps.get_model("courses", "Skill").objects.filter(slug__in=[s[1] for s in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_skill")]

    operations = [migrations.RunPython(seed_skills, unseed_skills)]
