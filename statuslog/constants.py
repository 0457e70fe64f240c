"""The shape of an async-standup entry: a few short lines, like a status update."""

MIN_LINES = 1
MAX_LINES = 3
MAX_LINE_LENGTH = 280
MAX_TOPIC_LENGTH = 100
