from django.db import models


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    FORMER = "former", "Former"
