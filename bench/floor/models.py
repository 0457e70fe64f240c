from django.db import models


class Employee(models.Model):
    """employees_employee, as far as the floor reads it. Unmanaged: the table is PulseHR's."""

    id = models.CharField(primary_key=True, max_length=40)
    workspace_id = models.CharField(max_length=40)
    environment = models.CharField(max_length=4)
    full_name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, null=True)
    role = models.CharField(max_length=120)
    department = models.CharField(max_length=120)
    manager_id = models.CharField(max_length=40, null=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    location = models.CharField(max_length=120)
    custom_fields = models.JSONField()
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "employees_employee"

    def __str__(self) -> str:
        return self.id
