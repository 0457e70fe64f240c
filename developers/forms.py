"""Forms of the /developers pages. They parse input only; the rules live in the tenancy and
webhooks services, whose errors (PulseError) are shown next to the field they name."""

from django import forms

from pulsehr.tenancy import choices as tenancy_choices
from webhooks.catalogue import EVENT_TYPES
from webhooks.choices import ALL_EVENTS, PING


class ApiKeyForm(forms.Form):
    NOBODY = ""

    name = forms.CharField(
        max_length=100, required=False, help_text="What will use the key, e.g. “payroll sync”. Optional."
    )
    environment = forms.ChoiceField(choices=tenancy_choices.Environment.choices, widget=forms.RadioSelect)
    # Required by the service, which says so in its own words.
    scopes = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="write implies read; * covers every resource.",
    )
    # The choices are the workspace's current employees, by environment (the view passes them); a
    # forged id is refused here as an unknown choice, one of the other environment by the service.
    employee_id = forms.ChoiceField(
        label="Acts as",
        required=False,
        help_text="Optional. A key that acts as an employee writes as them (kudos, status log, check-ins, "
        "comments) without naming them, can name no one else, and stops working when they are offboarded. "
        "Pick someone of the key's environment.",
    )

    def __init__(self, *args, employee_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is made, not at import: the list of resources grows.
        self.fields["scopes"].choices = [(scope, scope) for scope in tenancy_choices.ALL_SCOPES]
        nobody = (self.NOBODY, "Nobody: each write names whom it is by")
        self.fields["employee_id"].choices = [nobody, *employee_choices]

    def scope_groups(self) -> list[tuple[str, list]]:
        """The scope checkboxes by action (read, write), for a two-column layout."""
        groups: dict[str, list] = {}
        for checkbox in self["scopes"]:
            groups.setdefault(checkbox.data["value"].split(":")[0], []).append(checkbox)
        return list(groups.items())


class EndpointForm(forms.Form):
    """Create (with the environment) or edit (with the version read when the form was opened,
    so an endpoint changed meanwhile is not overwritten) a webhook endpoint."""

    ALL = "all"
    CHOSEN = "chosen"

    environment = forms.ChoiceField(choices=tenancy_choices.Environment.choices, widget=forms.RadioSelect)
    # A CharField rather than URLField: the service's checks (https, no private hosts, …) are the ones that count.
    url = forms.CharField(
        label="Endpoint URL",
        max_length=2048,
        help_text="Where PulseHR POSTs the events, e.g. https://example.com/hooks",
    )
    description = forms.CharField(max_length=500, required=False, help_text="Optional: what receives these events.")
    events_mode = forms.ChoiceField(
        label="Events to send",
        choices=[(ALL, "All events, including types added later"), (CHOSEN, "Only the events chosen below")],
        widget=forms.RadioSelect,
        initial=ALL,
    )
    enabled_events = forms.MultipleChoiceField(
        label="Chosen events", required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled_events"].choices = [
            (name, f"{name} — {entry.description}") for name, entry in EVENT_TYPES.items() if name != PING
        ]
        if creating:
            del self.fields["version"]
        else:
            del self.fields["environment"]  # an endpoint stays in its environment

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        subscribes_to_all = ALL_EVENTS in endpoint.enabled_events
        return {
            "url": endpoint.url,
            "description": endpoint.description,
            "events_mode": cls.ALL if subscribes_to_all else cls.CHOSEN,
            "enabled_events": [] if subscribes_to_all else endpoint.enabled_events,
            "version": endpoint.version,
        }

    def subscribed_events(self) -> list[str]:
        if self.cleaned_data["events_mode"] == self.ALL:
            return [ALL_EVENTS]
        return self.cleaned_data["enabled_events"]


class CalendarFeedForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="What the feed is for, e.g. “Engineering's calendar”.")
    environment = forms.ChoiceField(choices=tenancy_choices.Environment.choices, widget=forms.RadioSelect)
    department = forms.CharField(
        max_length=120, required=False, help_text="Only this department's leave; empty for everyone."
    )
    show_kind = forms.BooleanField(required=False, help_text="Show the kind of leave (vacation, sick, …).")
    include_days_off = forms.BooleanField(
        required=False, initial=True, help_text="Include public holidays and company days off."
    )
