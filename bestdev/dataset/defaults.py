"""The dataset commands' defaults, apart from the code, so the CLI can show them without importing it."""

DEFAULT_EXAMPLES = 300
DEFAULT_VALIDATION_FRACTION = 0.1
DEFAULT_SEED = 0
