"""BestDev: which of a company's developers fits a project, and why."""
