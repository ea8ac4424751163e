"""Factories shared by every app's tests."""

import factory

from customers.models import Customer, User

DEFAULT_PASSWORD = "Sandalwood-Ember-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    kind = Customer.Kind.INDIVIDUAL


class BusinessCustomerFactory(CustomerFactory):
    user = None
    kind = Customer.Kind.BUSINESS
    company_name = factory.Faker("company")
    email = factory.Sequence(lambda n: f"accounts{n}@business.example")


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@moodmnky.example")
    is_staff = True
