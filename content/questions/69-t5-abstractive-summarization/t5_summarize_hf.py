"""Abstractive summarization with a pre-trained T5 checkpoint (Hugging Face transformers).

    pip install torch transformers sentencepiece

Versions: written for transformers v5 and also runs on v4. It uses only AutoTokenizer,
AutoModelForSeq2SeqLM, model.generate and tokenizer.batch_decode, which both have.
The v4 one-liner pipeline("summarization", model=...) was deprecated at the end of v4
and removed in v5 (with "translation" and "text2text-generation"); in v5 you load the
model and call generate, as below, or prompt a chat model through the
"text-generation" pipeline (summarize_with_chat_model).

Routines:
  summarize_batch  - batched beam-search summaries, inputs truncated to 512 tokens
  chunk_text       - split a long document into sentence-aligned chunks that fit
  summarize_long   - map-reduce: summarize the chunks, then summarize the summaries
  summarize_with_chat_model - the v5 pipeline route: an instruction-tuned decoder-only LLM
"""
from __future__ import annotations

import re

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

# "google-t5/t5-small" (60M) is the original T5, which saw CNN/Daily Mail summarization in
# its multi-task pre-training mixture and answers to the "summarize: " prefix.
# "google/flan-t5-base" (about 250M) is instruction-tuned and usually summarizes better
# zero-shot; the same prefix works, or an instruction such as "Summarize this article: ".
MODEL_NAME = "google-t5/t5-small"
PREFIX = "summarize: "
MAX_INPUT_TOKENS = 512  # T5's pre-training input length; longer inputs cost O(n^2) and degrade

# Beam search settings close to the "summarization" defaults in t5-small's config.json
# (task_specific_params). Only the v4 summarization pipeline applied those; generate() does
# not, in v4 or v5, so pass them explicitly.
GEN_KWARGS = dict(
    num_beams=4,              # keep the 4 best partial summaries at each step
    length_penalty=2.0,       # score = logp / length**2.0; > 0 favours longer outputs
    no_repeat_ngram_size=3,   # never repeat a trigram: stops "the the the" loops
    min_new_tokens=30,
    max_new_tokens=150,
    early_stopping=True,      # stop when num_beams finished hypotheses exist
)


def load(model_name: str = MODEL_NAME, device: str | None = None):
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(model_name)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_name).to(device).eval()
    return tokenizer, model


def _clean(text: str) -> str:
    return " ".join(text.split())  # collapse newlines and runs of spaces


@torch.inference_mode()
def summarize_batch(texts: list[str], tokenizer, model, batch_size: int = 8,
                    **overrides) -> list[str]:
    """Summarize many documents; anything beyond MAX_INPUT_TOKENS is truncated."""
    kwargs = {**GEN_KWARGS, **overrides}
    # Sort by length so each batch holds similar lengths (less padding), then restore order.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: list[str] = [""] * len(texts)
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        enc = tokenizer([PREFIX + _clean(texts[i]) for i in idx],
                        max_length=MAX_INPUT_TOKENS, truncation=True,
                        padding=True, return_tensors="pt").to(model.device)
        # input_ids + attention_mask go in; the decoder starts from decoder_start_token_id (pad).
        generated = model.generate(**enc, **kwargs)
        for i, summary in zip(idx, tokenizer.batch_decode(generated, skip_special_tokens=True)):
            out[i] = summary.strip()
    return out


def chunk_text(text: str, tokenizer, max_tokens: int = MAX_INPUT_TOKENS,
               overlap_sentences: int = 1) -> list[str]:
    """Pack whole sentences into chunks that fit the encoder after the prefix and </s>.
    A sentence longer than the budget is cut on token boundaries."""
    budget = max_tokens - len(tokenizer(PREFIX, add_special_tokens=False).input_ids) - 1
    sentences = re.split(r"(?<=[.!?])\s+", _clean(text))
    chunks: list[str] = []
    current: list[str] = []
    current_len = 0
    for sent in sentences:
        ids = tokenizer(sent, add_special_tokens=False).input_ids
        if len(ids) > budget:  # a pathological "sentence": flush, then hard-split it
            if current:
                chunks.append(" ".join(current))
            for j in range(0, len(ids), budget):
                chunks.append(tokenizer.decode(ids[j:j + budget], skip_special_tokens=True))
            current, current_len = [], 0
            continue
        if current and current_len + len(ids) > budget:
            chunks.append(" ".join(current))
            current = current[-overlap_sentences:] if overlap_sentences else []  # a little context
            current_len = sum(len(tokenizer(s, add_special_tokens=False).input_ids) for s in current)
            if current_len + len(ids) > budget:  # the overlap would overflow the window: drop it
                current, current_len = [], 0
        current.append(sent)
        current_len += len(ids)
    if current:
        chunks.append(" ".join(current))
    return chunks


def summarize_long(text: str, tokenizer, model, max_rounds: int = 3) -> str:
    """Map-reduce for documents longer than the encoder window."""
    for _ in range(max_rounds):
        chunks = chunk_text(text, tokenizer)
        if len(chunks) == 1:
            break
        # Map: short partial summaries, so their concatenation shrinks each round.
        partial = summarize_batch(chunks, tokenizer, model, min_new_tokens=10, max_new_tokens=80)
        text = " ".join(partial)
    # Reduce: one final summary (truncated to 512 tokens if still too long).
    return summarize_batch([text], tokenizer, model)[0]


def summarize_with_chat_model(text: str, model_name: str = "Qwen/Qwen2.5-0.5B-Instruct",
                              max_new_tokens: int = 120) -> str:
    """The route the v5 migration guide points to instead of the removed pipelines:
    the "text-generation" pipeline (present in v4 and v5) with chat messages."""
    from transformers import pipeline

    chat = pipeline("text-generation", model=model_name)
    messages = [{"role": "user",
                 "content": "Summarize the following article in two sentences.\n\n" + _clean(text)}]
    out = chat(messages, max_new_tokens=max_new_tokens, do_sample=False)
    return out[0]["generated_text"][-1]["content"].strip()   # the assistant's reply


if __name__ == "__main__":
    tok, mdl = load()
    article = (
        "The city council approved a plan on Tuesday to convert three downtown parking lots "
        "into public parks by 2027. The project, estimated to cost 12 million dollars, will be "
        "funded by a mix of state grants and a temporary increase in parking fees. Supporters "
        "said the parks would reduce summer heat and give residents more green space, while "
        "several business owners warned that losing parking could hurt shops in the area. "
        "The council said it would study new bus routes to offset the lost spaces."
    )
    print(summarize_batch([article], tok, mdl)[0])
    print(summarize_long(" ".join([article] * 12), tok, mdl))  # well over 512 tokens: chunked
