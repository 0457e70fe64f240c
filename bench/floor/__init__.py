"""The floor `make bench` measures the API against: a Django app of its own with no
middleware, no auth and no PulseHR apps, serving the first 50 employees of the bench tenant
(the columns /v1/employees returns, in its order) with orjson. bench/run.py serves it with
production's gunicorn settings, so a ratio to it is what PulseHR's own stack costs."""
