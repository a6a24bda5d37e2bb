"""main.parameters.json is in step with main.bicep, and main.bicep passes each module exactly what it declares."""

from __future__ import annotations

import re

import pytest

AZD_PLACEHOLDER = re.compile(r"^\$\{(?P<name>[A-Z][A-Z0-9_]*)(?:=(?P<default>[^}]*))?\}$")
PYTHON_TYPES = {"string": str, "int": int, "bool": bool, "object": dict, "array": list}


def required(params):
    return {name for name, param in params.items() if param.get("default") is None}


def decorator(param, kind):
    return next((item["argument"] for item in param.get("decorators", []) if item["type"] == kind), None)


def test_every_value_in_the_parameters_file_is_a_declared_parameter(main, parameters_file):
    undeclared = set(parameters_file) - set(main["parameters"])
    assert not undeclared, f"main.parameters.json passes parameters main.bicep does not declare: {sorted(undeclared)}"


def test_every_required_parameter_has_a_value(main, parameters_file):
    missing = required(main["parameters"]) - set(parameters_file)
    assert not missing, f"main.bicep parameters without a default are missing from main.parameters.json: {missing}"


def test_azd_wiring(parameters_file):
    assert parameters_file["environmentName"]["value"] == "${AZURE_ENV_NAME}"
    assert parameters_file["location"]["value"] == "${AZURE_LOCATION}"
    assert parameters_file["principalId"]["value"] == "${AZURE_PRINCIPAL_ID=}"
    assert parameters_file["principalType"]["value"] == "${AZURE_PRINCIPAL_TYPE=User}"


def test_values_fit_their_parameter(main, parameters_file):
    for name, entry in parameters_file.items():
        assert set(entry) == {"value"}, f"{name}: only plain values, no Key Vault references (keyless)"
        value, param = entry["value"], main["parameters"][name]
        if isinstance(value, str) and value.startswith("${"):
            match = AZD_PLACEHOLDER.match(value)
            assert match, f"{name}: {value!r} is not an azd ${{VARIABLE}} or ${{VARIABLE=default}} placeholder"
            assert param["type"] == "string", f"{name}: azd substitutes text, so only string parameters take one"
            allowed = decorator(param, "allowed")
            default = match.group("default")
            assert default is None or allowed is None or default in allowed, f"{name}: {default!r} not in {allowed}"
            continue
        expected = PYTHON_TYPES[param["type"]]
        assert isinstance(value, expected) and not (expected is int and isinstance(value, bool)), (
            f"{name}: {value!r} is not a {param['type']}"
        )
        allowed = decorator(param, "allowed")
        assert allowed is None or value in allowed, f"{name}: {value!r} is not one of {allowed}"
        low, high = decorator(param, "min_value"), decorator(param, "max_value")
        assert low is None or value >= low, f"{name}: {value} < {low}"
        assert high is None or value <= high, f"{name}: {value} > {high}"


def test_parameter_defaults_fit_their_decorators(parsed):
    for file, template in parsed.items():
        for name, param in template.get("parameters", {}).items():
            default, allowed = param.get("default"), decorator(param, "allowed")
            if allowed is not None and default is not None:
                assert default in allowed, f"{file}: {name} defaults to {default!r}, not one of {allowed}"


@pytest.mark.parametrize(
    "symbol", ["identity", "monitoring", "storage", "openAi", "roles", "functionApp", "entra", "auth"]
)
def test_modules_get_exactly_the_parameters_they_declare(symbol, main, parsed, body_of):
    module = main["modules"][symbol]
    declared = parsed[module["detail"]["path"]]["parameters"]
    passed = set(body_of(module)["params"])
    assert passed <= set(declared), f"{symbol}: passes undeclared parameters {sorted(passed - set(declared))}"
    assert required(declared) <= passed, f"{symbol}: required parameters not passed {required(declared) - passed}"
