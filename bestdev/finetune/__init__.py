"""Fine-tuning jobs on Azure OpenAI: starting and watching a job, its results and checkpoints, and deploying the
model. Imported only by the CLI's commands."""
