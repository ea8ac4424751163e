"""Factories of the loyalty tests."""

import factory

from loyalty.models import Reward


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Reward {n}")
    description = "A small thank-you."
    cost = 100
    cost_unit = Reward.CostUnit.POINTS
