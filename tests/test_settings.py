import json
from pathlib import Path

import pytest

from bestdev.settings import DEFAULT_API_VERSION, SettingsError, load_settings


def test_defaults_select_the_local_recommender() -> None:
    settings = load_settings()
    assert not settings.model_configured
    assert settings.model_api == "chat"
    assert settings.azure_openai_api_version == DEFAULT_API_VERSION
    assert settings.fallback == "local"


def test_endpoint_and_deployment_select_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "bestdev-ft")
    settings = load_settings()
    assert settings.model_configured
    assert settings.azure_openai_api_key is None


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("BESTDEV_MODEL_API", "chatty", "BESTDEV_MODEL_API"),
        ("BESTDEV_FALLBACK", "maybe", "BESTDEV_FALLBACK"),
        ("BESTDEV_MODEL_TIMEOUT", "soon", "BESTDEV_MODEL_TIMEOUT"),
        ("BESTDEV_MODEL_MAX_RETRIES", "-1", "BESTDEV_MODEL_MAX_RETRIES"),
        ("AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT"),
        ("AZURE_OPENAI_DEPLOYMENT", "bestdev-ft", "AZURE_OPENAI_ENDPOINT"),
    ],
)
def test_invalid_settings_fail_fast_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_endpoint_must_be_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "example.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "bestdev-ft")
    with pytest.raises(SettingsError, match="AZURE_OPENAI_ENDPOINT must be an http"):
        load_settings()


def test_blank_values_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_KEY", "BESTDEV_POOL"):
        monkeypatch.setenv(name, "")
    settings = load_settings()
    assert not settings.model_configured
    assert settings.pool_path is None
    assert settings.azure_openai_api_key is None


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BESTDEV_CORS_ORIGINS", "https://a.example, https://b.example,")
    assert load_settings().cors_origins == ["https://a.example", "https://b.example"]


def test_local_settings_values_apply_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "local.settings.json"
    values = {"BESTDEV_MODEL_API": "completions", "BESTDEV_FALLBACK": "none", "FUNCTIONS_WORKER_RUNTIME": "python"}
    local.write_text(json.dumps({"IsEncrypted": False, "Values": values}))
    monkeypatch.setenv("BESTDEV_FALLBACK", "local")
    settings = load_settings(local_settings=local)
    assert settings.model_api == "completions"
    assert settings.fallback == "local"


def test_broken_local_settings_name_the_file(tmp_path: Path) -> None:
    local = tmp_path / "local.settings.json"
    local.write_text("{not json")
    with pytest.raises(SettingsError, match=r"local\.settings\.json"):
        load_settings(local_settings=local)


def test_sample_local_settings_lists_every_setting() -> None:
    from bestdev.settings import Settings

    sample = json.loads(Path("local.settings.sample.json").read_text())["Values"]
    aliases = {field.validation_alias for field in Settings.model_fields.values()}
    assert aliases <= set(sample)
    assert load_settings(**{k: v for k, v in sample.items() if k in aliases})


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://example.openai.azure.com",
        "http://10.0.0.4:8080/",
        "http://bestdev.openai.azure.com:80/",
        "http://[2001:db8::1]",
    ],
)
def test_the_azure_provider_refuses_a_plain_http_endpoint_off_this_machine(
    monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", endpoint)
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "bestdev-ft")
    with pytest.raises(SettingsError, match=r"AZURE_OPENAI_ENDPOINT must be an https:// URL"):
        load_settings()


@pytest.mark.parametrize(
    ("endpoint", "provider"),
    [
        ("http://127.0.0.1:8080", "azure"),
        ("http://127.0.0.53", "azure"),
        ("http://localhost:7000/", "azure"),
        ("http://[::1]:9000", "azure"),
        ("https://example.openai.azure.com", "azure"),
        ("http://gpu-box.internal:8000/v1", "openai-compatible"),
    ],
)
def test_loopback_https_and_self_hosted_servers_are_accepted(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, provider: str
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", endpoint)
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "bestdev-ft")
    monkeypatch.setenv("BESTDEV_MODEL_PROVIDER", provider)
    assert load_settings().azure_openai_endpoint == endpoint


def test_real_text_folder_is_read_and_blank_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().real_text_dir is None
    monkeypatch.setenv("BESTDEV_REAL_TEXT_DIR", "  ")
    assert load_settings().real_text_dir is None
    monkeypatch.setenv("BESTDEV_REAL_TEXT_DIR", "/data/real-text")
    assert load_settings().real_text_dir == Path("/data/real-text")
