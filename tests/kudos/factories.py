"""Kudos rows written directly, for setting up lists and spent allowances. Behaviour under
test always goes through the API or the services."""

import factory
from django.utils import timezone

from kudos.models import Kudos


class KudosFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kudos

    workspace = factory.LazyAttribute(lambda o: o.from_employee.workspace)
    environment = factory.LazyAttribute(lambda o: o.from_employee.environment)
    coins = 5
    tag = "craft"
    note = "Thanks!"
    created_at = factory.LazyFunction(timezone.now)
