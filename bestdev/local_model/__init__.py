"""A small open model fine-tuned and served on this machine (the local-model extra): the fine-tuning loop,
offline, in minutes, before paying for a job on Azure."""
