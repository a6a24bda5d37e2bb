"""Where a fine-tuned model can be deployed, per deployment type: Microsoft's deployment table for fine-tuned
models (not its training table), as looked up on 2026-12-07 in "Deploy a fine-tuned model" and "Test a fine-tuned
model (Developer tier)" on learn.microsoft.com. infra/modules/openai.bicep holds the same table for azd's gate;
a test keeps the two equal.

- Standard (regional): only where the base model is trained regionally.
- GlobalStandard: the fine-tunable base models, from an account in any global fine-tuning region.
- DeveloperTier: the gpt-4.1 family only (no hourly fee, no SLA, deleted after 24 hours), from those regions.
"""

from __future__ import annotations

from bestdev.finetune.deployment import DeploymentError

CHECKED = "2026-12-07"

STANDARD_REGIONS: dict[str, tuple[str, ...]] = {
    "gpt-4o-mini-2024-07-18": ("northcentralus", "swedencentral"),
    "gpt-4o-2024-08-06": ("eastus2", "northcentralus", "swedencentral"),
    "gpt-4.1-2025-04-14": ("northcentralus", "swedencentral"),
    "gpt-4.1-mini-2025-04-14": ("northcentralus", "swedencentral"),
    "gpt-4.1-nano-2025-04-14": ("northcentralus", "swedencentral"),
}
GLOBAL_REGIONS: tuple[str, ...] = (
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "canadaeast",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "italynorth",
    "japaneast",
    "koreacentral",
    "northcentralus",
    "norwayeast",
    "polandcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "southindia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "switzerlandwest",
    "uksouth",
    "westeurope",
    "westus",
    "westus3",
)
DEVELOPER_MODELS: tuple[str, ...] = ("gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14")


def base_model(model: str) -> str:
    """The base model of a fine-tuned model id ('gpt-4.1-mini-2025-04-14.ft-abc' -> 'gpt-4.1-mini-2025-04-14')."""
    return model.split(".ft-", 1)[0]


def placement_problem(model: str, sku: str, location: str | None) -> str | None:
    """Why `model` cannot be deployed as `sku` in an account in `location`; None when it can (or the base model or
    region is not one the table knows: Azure then decides)."""
    base = base_model(model)
    if location is None or base not in STANDARD_REGIONS:
        return None
    if sku == "Standard":
        regions = STANDARD_REGIONS[base]
        if location not in regions:
            return (
                f"a Standard deployment of {base} exists only in {', '.join(regions)}, not {location}: "
                "use --sku GlobalStandard, or an account in one of those regions"
            )
        return None
    if sku == "DeveloperTier" and base not in DEVELOPER_MODELS:
        return f"DeveloperTier deployments exist only for the gpt-4.1 family, not {base}: use --sku GlobalStandard"
    if location not in GLOBAL_REGIONS:
        return f"a {sku} deployment needs an account in a global fine-tuning region, not {location}"
    return None


def check_placement(model: str, sku: str, location: str | None) -> None:
    problem = placement_problem(model, sku, location)
    if problem:
        raise DeploymentError(f"{problem} (Microsoft's deployment table, checked {CHECKED})")
