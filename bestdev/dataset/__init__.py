"""The fine-tuning data: building a dataset from the pool (and people's decisions), checking and fixing a JSONL
file, token counts and the cost of training on it. Imported only by the CLI's commands."""
