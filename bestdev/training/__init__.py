"""Fine-tuning data and jobs: dataset build and check, token counting. Imported only by the CLI's commands."""
