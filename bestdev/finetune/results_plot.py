"""Loss and token-accuracy curves of a fine-tuning run, drawn to a PNG (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

from bestdev.finetune.results import ResultRow

LOSSES = {"train_loss": "training", "valid_loss": "validation", "full_valid_loss": "full validation"}
ACCURACIES = {"train_accuracy": "training", "valid_accuracy": "validation", "full_valid_accuracy": "full validation"}


def plot_results(rows: list[ResultRow], path: Path) -> Path:
    """Draws the loss curves above the accuracy curves; series missing from the file are left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (loss_axes, accuracy_axes) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    try:
        for axes, series, title in ((loss_axes, LOSSES, "loss"), (accuracy_axes, ACCURACIES, "mean token accuracy")):
            drawn = 0
            for field, label in series.items():
                points = [(row.step, value) for row in rows if (value := getattr(row, field)) is not None]
                if points:
                    steps, values = zip(*points, strict=True)
                    axes.plot(steps, values, label=label, marker="o" if len(points) < 20 else None)
                    drawn += 1
            axes.set_ylabel(title)
            axes.grid(alpha=0.3)
            if drawn:
                axes.legend()
            else:
                axes.text(0.5, 0.5, f"no {title} columns in the file", ha="center", va="center")
        accuracy_axes.set_xlabel("step")
        figure.suptitle("Fine-tuning results")
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100)
    finally:
        plt.close(figure)
    return path
