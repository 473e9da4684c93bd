"""Tokenizing text for GPT-2 with Hugging Face `transformers` (the idiomatic answer).

Needs `pip install transformers torch` and downloads the GPT-2 tokenizer files
(vocab.json with 50,257 entries, merges.txt with 50,000 merges). The test
suite only syntax-checks this file; gpt2_bpe.py is the runnable from-scratch
version of the same algorithm.
"""
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL_ID = "openai-community/gpt2"   # the old alias "gpt2" still resolves to it


def load_gpt2_tokenizer(padding_side: str = "right"):
    # AutoTokenizer returns the Rust-backed byte-level BPE tokenizer
    # (GPT2TokenizerFast in transformers 4.x).
    tok = AutoTokenizer.from_pretrained(MODEL_ID)
    # GPT-2 was trained without padding, so it has no pad token. Reuse
    # <|endoftext|> (id 50256); the attention mask is what marks padding.
    tok.pad_token = tok.eos_token
    # "right" for training; "left" for batched generation, so that every
    # prompt ends in the last column where new tokens are appended.
    tok.padding_side = padding_side
    return tok


def tokenize_for_gpt2(texts, tok, max_length: int = 1024) -> dict:
    """Return {"input_ids", "attention_mask"} as (batch, T) int64 PyTorch tensors."""
    return tok(
        texts,
        padding=True,            # pad to the longest sequence in the batch
        truncation=True,         # cut anything longer than max_length
        max_length=max_length,   # GPT-2's context window is 1,024 tokens
        return_tensors="pt",
    )


def main():
    tok = load_gpt2_tokenizer()
    assert len(tok) == 50257 and tok.eos_token_id == 50256
    assert tok("Hello world")["input_ids"] == [15496, 995]       # "Hello", " world"
    assert tok.convert_ids_to_tokens(tok(" world")["input_ids"]) == ["Ġworld"]

    texts = ["The quick brown fox jumps over the lazy dog.", "Hi", "naïve café 🙂"]
    batch = tokenize_for_gpt2(texts, tok, max_length=32)
    ids, mask = batch["input_ids"], batch["attention_mask"]
    assert ids.dtype == torch.long and ids.shape == mask.shape
    assert (ids[mask == 0] == tok.eos_token_id).all()
    # Byte-level BPE has no unknown token: decoding gives back the exact text.
    assert tok.decode(ids[2][mask[2] == 1]) == texts[2]

    # Training: compute loss only on real tokens. Because pad == eos, label
    # padding with -100 (ignored by the loss), or the model learns to emit
    # <|endoftext|> everywhere. Append an explicit eos to a sequence if it
    # should learn where to stop.
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID)
    labels = ids.masked_fill(mask == 0, -100)
    out = model(input_ids=ids, attention_mask=mask, labels=labels)
    print("loss", out.loss.item())

    # Generation: left padding and an explicit pad_token_id.
    gen_tok = load_gpt2_tokenizer(padding_side="left")
    prompts = tokenize_for_gpt2(["Once upon a time", "The capital of France is"], gen_tok)
    new = model.generate(**prompts, max_new_tokens=20, do_sample=False,
                         pad_token_id=gen_tok.eos_token_id)
    print(gen_tok.batch_decode(new, skip_special_tokens=True))


if __name__ == "__main__":
    main()
