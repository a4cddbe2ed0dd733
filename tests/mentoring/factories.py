"""Factories for the mentoring app: AI systems with a sample stand-in's scripted behaviours."""

import factory

from mentoring.models import AISystem, SystemBehaviour

LOST_RECEIPT = "I lost my receipt, can I still return my kettle?"
NO_RECEIPT_NEEDED = "No problem! Receipts are never needed, and we refund in cash on the spot."
FIXED_RECEIPT = (
    "Without the receipt we can still help: a bank statement or order e-mail works as "
    "proof of purchase, and refunds go back to the original payment method."
)


class AISystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AISystem
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Care bot {n}")
    slug = factory.Sequence(lambda n: f"care-bot-{n}")
    purpose = "Drafts replies to customers' questions about returns."
    provider = AISystem.SAMPLE
    system_prompt = "You draft replies for the customer-care team."
    model_version = "m1"


def care_system(**fields) -> AISystem:
    """A sample-provider system whose lost-receipt blind spot the topic refund-receipts fixes."""
    system = AISystemFactory(**fields)
    SystemBehaviour.objects.create(
        system=system,
        probe=LOST_RECEIPT,
        response=NO_RECEIPT_NEEDED,
        fixed_by_topic="refund-receipts",
        fixed_response=FIXED_RECEIPT,
    )
    return system
