"""Stateful property-based tests: schemathesis chains real operations through OpenAPI links.

The single-operation fuzzing in test_schemathesis.py rarely reaches a row it created itself.
Here every create links to the operations on what it created (read, change, delete, and the
children hanging off it), so generated sequences such as "hire → patch → offboard → read" or
"open a thread → comment → react → unreact" run against the in-process WSGI app with a real
key. Every response must be a non-5xx that the schema allows. Derandomized, so CI sees the
same sequences every run."""

import schemathesis
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis.stateful import RuleBasedStateMachine

from pulsehr.wsgi import application

from .test_schemathesis import (  # noqa: F401 (fixtures)
    CHECKS,
    DERANDOMIZE,
    generators_work,
    world,
    wsgi_keeps_db_connection,
)

schema = schemathesis.from_wsgi(
    "/v1/openapi.json",
    application,
    data_generation_methods=[schemathesis.DataGenerationMethod.positive],
)

# (source operation, status, target operations, {target parameter: runtime expression})
LINKS = (
    (("/v1/employees", "POST"), "201", [("/v1/employees/{id}", m) for m in ("GET", "PATCH", "DELETE")], "id"),
    (("/v1/employees", "POST"), "201", [("/v1/leave/balance/{employee_id}", "GET")], "employee_id"),
    (("/v1/leave", "POST"), "201", [("/v1/leave/{id}", m) for m in ("GET", "DELETE")], "id"),
    (("/v1/status-log", "POST"), "201", [("/v1/status-log/{id}", "GET")], "id"),
    (
        ("/v1/rooms/{room_id}/threads", "POST"),
        "201",
        [("/v1/threads/{id}", m) for m in ("GET", "PATCH", "DELETE")]
        + [("/v1/threads/{id}/comments", m) for m in ("GET", "POST")],
        "id",
    ),
    (
        ("/v1/threads/{id}/comments", "POST"),
        "201",
        [("/v1/comments/{id}", m) for m in ("GET", "PATCH", "DELETE")] + [("/v1/comments/{id}/reactions", "POST")],
        "id",
    ),
    (("/v1/comments/{id}/reactions", "POST"), "201", [("/v1/reactions/{id}", "DELETE")], "id"),
    (
        ("/v1/webhook-endpoints", "POST"),
        "201",
        [("/v1/webhook-endpoints/{id}", m) for m in ("GET", "PATCH", "DELETE")]
        + [("/v1/webhook-endpoints/{id}/rotate-secret", "POST")],
        "id",
    ),
)
for (source_path, source_method), status, targets, parameter in LINKS:
    for target_path, target_method in targets:
        schema.add_link(
            source=schema[source_path][source_method],
            target=schema[target_path][target_method],
            status_code=status,
            parameters={parameter: "$response.body#/id"},
        )
# Rows the API made on its own (events) are reached from the list that shows them.
schema.add_link(
    source=schema["/v1/events"]["GET"],
    target=schema["/v1/events/{id}"]["GET"],
    status_code="200",
    parameters={"id": "$response.body#/data/0/id"},
)


def test_linked_operation_sequences_conform_to_the_schema(world, generators_work):  # noqa: F811 (fixtures)
    headers, _ = world["home"]
    calls = []

    class Workflow(schema.as_state_machine()):
        def setup(self):
            # Each sequence starts from the same database and leaves it as it found it, so
            # hypothesis can replay a failing one exactly (it draws from what earlier steps made).
            self.sequence = transaction.atomic()
            self.sequence.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.sequence.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=()):
            calls.append((case.operation.verbose_name, response.status_code))
            case.validate_response(response, checks=CHECKS)

        def _add_results_to_targets(self, targets, results):
            # schemathesis 3 files each response under the link its status matches by overriding
            # `_add_result_to_targets`, which hypothesis has since renamed: without this, every
            # response lands in the catch-all bundle, which blocks every rule. A response that
            # matches no link is named (hypothesis prints each step's result) but kept nowhere.
            for result in results:
                target = self._get_target_for_result(result)
                if target is None:
                    self.names_to_values[self._new_name("unlinked")] = result
                else:
                    RuleBasedStateMachine._add_results_to_targets(self, (target,), [result])

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            derandomize=DERANDOMIZE,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The run must have gone beyond single calls: linked operations answered on rows it made.
    linked = {f"{method} {path}" for _, _, targets, _ in LINKS for path, method in targets}
    assert any(name in linked and status < 300 for name, status in calls), calls
