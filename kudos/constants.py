"""The shape of a kudos, shared by the model (admin forms), the API serializers and the
OpenAPI schema, so the three cannot drift apart."""

MIN_COINS = 1
MAX_COINS = 100
# A short lowercase slug: "craft", "above-and-beyond".
TAG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TAG_MAX_LENGTH = 32
TAG_RULE = "A short lowercase slug: letters a-z, digits and single hyphens, e.g. above-and-beyond."
NOTE_MAX_LENGTH = 500
