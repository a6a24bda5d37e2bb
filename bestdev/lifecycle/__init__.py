"""The deployed model's lifecycle: what the service lists, when it retires, keeping its deployment alive."""
