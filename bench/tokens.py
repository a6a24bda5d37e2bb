"""Tokens: prompt tokens per request for the fine-tuned template against a few-shot prompt listing the pool.

Over the bundled benchmark's descriptions and the bundled pool. The fine-tuned model gets what the app sends:
the system message and the template prompt. The few-shot alternative (a base model, not fine-tuned) has to
carry the pool in every request: the system message, the pool-context example (every developer with the
skills and project technologies the pool lists) and its reply, then the same question. That is its floor; it
adds no worked examples. Counted offline with the chat framing the service bills (bestdev.dataset.tokens).
"""

from __future__ import annotations

from bench.harness import Figure, median


def run() -> list[Figure]:
    from bestdev import template
    from bestdev.dataset.listed import known_labels
    from bestdev.dataset.tokens import DEFAULT_ENCODING, count_chat
    from bestdev.evaluation import load_benchmark
    from bestdev.pool import load_pool

    pool = load_pool()
    descriptions = [case.description for case in load_benchmark().cases]
    listing = [(developer.name, known_labels(developer)) for developer in pool.developers]
    pool_context = template.chat_messages(
        template.pool_context_prompt(pool.company, listing), template.pool_context_completion()
    )
    fine_tuned: list[int] = []
    few_shot: list[int] = []
    for description in descriptions:
        question = template.chat_messages(template.prompt(pool.company, description))
        fine_tuned.append(count_chat(question, DEFAULT_ENCODING))
        few_shot.append(count_chat([*pool_context, *question[1:]], DEFAULT_ENCODING))
    mean_fine_tuned = sum(fine_tuned) / len(fine_tuned)
    mean_few_shot = sum(few_shot) / len(few_shot)
    detail = f"{len(descriptions)} benchmark descriptions, {len(pool.developers)} developers, {DEFAULT_ENCODING}"
    return [
        Figure("tokens: fine-tuned template, prompt tokens per request (mean)", mean_fine_tuned, detail=detail),
        Figure(
            "tokens: fine-tuned template, median", median(fine_tuned), detail=f"{min(fine_tuned)}-{max(fine_tuned)}"
        ),
        Figure("tokens: few-shot with the whole pool, prompt tokens per request (mean)", mean_few_shot),
        Figure(
            "tokens: few-shot with the whole pool, median", median(few_shot), detail=f"{min(few_shot)}-{max(few_shot)}"
        ),
        Figure("tokens: few-shot / fine-tuned (means)", mean_few_shot / mean_fine_tuned),
    ]
