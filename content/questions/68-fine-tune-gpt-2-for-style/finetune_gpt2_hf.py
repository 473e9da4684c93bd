"""Fine-tune GPT-2 on one author's (or one house style's) text with Hugging Face.

Needs: pip install "transformers>=5" datasets accelerate   (peft for USE_LORA, trl for USE_TRL)
Data: plain-text files; hold out whole chapters/documents for validation, not random
lines, or the validation perplexity will flatter you.
Written against the transformers 5.x API. eval_strategy= and processing_class= also work
on late 4.x; warmup_steps=0.05 as a fraction of total steps is v5 only (v5 deprecated
warmup_ratio in its favour), so on 4.x write warmup_ratio=0.05 instead.
"""
import math

import torch
from datasets import load_dataset
from transformers import (AutoModelForCausalLM, AutoTokenizer, DataCollatorForLanguageModeling,
                          EarlyStoppingCallback, Trainer, TrainingArguments)

MODEL = "openai-community/gpt2"      # 124M; gpt2-medium 355M, gpt2-large 774M, gpt2-xl 1.5B
BLOCK = 512                          # tokens per training example (GPT-2 context: 1024)
USE_LORA = False                     # True: train low-rank adapters only (see the text)
USE_TRL = False                      # True: the same run through TRL's SFTTrainer (pip install trl)

# ---------------------------------------------------------------- tokenizer
tokenizer = AutoTokenizer.from_pretrained(MODEL)
# GPT-2 has no pad token. Reusing <|endoftext|> is the usual fix; with fixed-size
# blocks nothing is actually padded, but the collator and generate() need an id.
tokenizer.pad_token = tokenizer.eos_token

# ---------------------------------------------------------------- data
raw = load_dataset("text", sample_by="paragraph",
                   data_files={"train": "author_train.txt", "validation": "author_valid.txt"})


def tokenize(batch):
    # Append <|endoftext|> to each paragraph so the model sees where passages end.
    return tokenizer([t + tokenizer.eos_token for t in batch["text"]])


def group_texts(batch, keep_tail=False):
    """Concatenate all token ids and cut them into BLOCK-sized chunks: no padding,
    no wasted compute, and the model learns across paragraph boundaries.
    Training drops the ragged tail. Validation keeps it as one shorter block (the collator
    pads it and masks the padding): otherwise a validation file shorter than BLOCK
    tokens yields zero blocks and evaluate() fails on an empty dataset."""
    ids = [tok for seq in batch["input_ids"] for tok in seq]
    n = len(ids) if keep_tail else len(ids) // BLOCK * BLOCK
    chunks = [ids[i:i + BLOCK] for i in range(0, n, BLOCK)]
    chunks = [c for c in chunks if len(c) >= 2]   # a 1-token block has no next-token target
    return {"input_ids": chunks, "attention_mask": [[1] * len(c) for c in chunks]}


tokenized = raw.map(tokenize, batched=True, remove_columns=["text"])
lm_data = {
    "train": tokenized["train"].map(group_texts, batched=True,
                                    remove_columns=tokenized["train"].column_names),
    "validation": tokenized["validation"].map(group_texts, batched=True, fn_kwargs={"keep_tail": True},
                                              remove_columns=tokenized["validation"].column_names),
}
if len(lm_data["validation"]) == 0:
    raise ValueError("author_valid.txt has fewer than 2 tokens: nothing to evaluate")
print({k: len(v) for k, v in lm_data.items()}, "blocks of up to", BLOCK, "tokens")

# mlm=False -> causal LM: labels are a copy of input_ids (pad ids set to -100).
# The model shifts labels by one position inside forward(), so do NOT shift them here.
# Caveat: because pad == eos, the collator also masks the real <|endoftext|> labels, so
# the model never learns to emit EOS. Fine for style; if you need it to stop on its own,
# add a separate pad token or build labels yourself and use default_data_collator.
collator = DataCollatorForLanguageModeling(tokenizer=tokenizer, mlm=False)

# ---------------------------------------------------------------- model
model = AutoModelForCausalLM.from_pretrained(MODEL)
model.config.pad_token_id = tokenizer.pad_token_id

if USE_LORA:
    from peft import LoraConfig, get_peft_model
    # GPT-2 uses Conv1D layers (weights stored transposed), hence fan_in_fan_out=True.
    # c_attn = fused Q/K/V projection, c_proj = output projections, c_fc = MLP input.
    model = get_peft_model(model, LoraConfig(
        task_type="CAUSAL_LM", r=16, lora_alpha=32, lora_dropout=0.05,
        target_modules=["c_attn", "c_proj", "c_fc"], fan_in_fan_out=True))
    model.print_trainable_parameters()

# ---------------------------------------------------------------- trainer
args = TrainingArguments(
    output_dir="gpt2-author",
    learning_rate=2e-4 if USE_LORA else 5e-5,   # LoRA is usually run at a higher LR
    num_train_epochs=3,                          # small corpora overfit fast: watch eval_loss
    per_device_train_batch_size=8,
    per_device_eval_batch_size=8,
    gradient_accumulation_steps=4,               # effective batch 32 blocks
    warmup_steps=0.05,                           # float < 1 = 5% of total steps (v5; 4.x: warmup_ratio)
    lr_scheduler_type="cosine",
    weight_decay=0.01,
    eval_strategy="steps",
    eval_steps=50,
    save_strategy="steps",
    save_steps=50,
    load_best_model_at_end=True,                 # best-checkpoint selection: restore lowest eval_loss
    metric_for_best_model="eval_loss",
    save_total_limit=2,
    bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
    logging_steps=10,
    report_to="none",
    seed=42,
)
# Early stopping proper: end the run after 3 evaluations without improvement.
early_stop = EarlyStoppingCallback(early_stopping_patience=3)
if not USE_TRL:
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=lm_data["train"],
        eval_dataset=lm_data["validation"],
        processing_class=tokenizer,
        data_collator=collator,
        callbacks=[early_stop],
    )
else:
    # TRL's SFTTrainer is the current high-level way to do supervised fine-tuning
    # (API as in recent TRL releases). It takes raw rows and tokenizes and packs them:
    #   {"text": ...}                       plain text, as here (author style)
    #   {"prompt": ..., "completion": ...}  a task style; by default the loss covers
    #                                       the completion only (completion_only_loss)
    #   {"messages": [{"role": ..., "content": ...}, ...]}  chat data, rendered with the
    #       tokenizer's chat template. GPT-2 has none; use an instruct model for chat data.
    from trl import SFTConfig, SFTTrainer
    sft_args = SFTConfig(
        output_dir="gpt2-author-sft", max_length=BLOCK, packing=True,
        learning_rate=args.learning_rate, num_train_epochs=3,
        per_device_train_batch_size=8, per_device_eval_batch_size=8,
        gradient_accumulation_steps=4, warmup_steps=0.05, lr_scheduler_type="cosine",
        weight_decay=0.01, eval_strategy="steps", eval_steps=50, save_strategy="steps",
        save_steps=50, load_best_model_at_end=True, metric_for_best_model="eval_loss",
        save_total_limit=2, bf16=args.bf16, logging_steps=10, report_to="none", seed=42,
    )
    trainer = SFTTrainer(
        model=model,
        args=sft_args,
        train_dataset=raw["train"],
        eval_dataset=raw["validation"],
        processing_class=tokenizer,
        callbacks=[early_stop],
    )
before = trainer.evaluate()["eval_loss"]           # baseline: the untouched model
print(f"held-out perplexity before fine-tuning: {math.exp(before):.1f}")

# ---------------------------------------------------------------- train
trainer.train()
after = trainer.evaluate()["eval_loss"]
print(f"held-out perplexity after fine-tuning:  {math.exp(after):.1f}")

if USE_LORA:
    trainer.model = trainer.model.merge_and_unload()   # plain GPT-2 weights again
trainer.save_model("gpt2-author/final")                # weights, config, tokenizer

# ---------------------------------------------------------------- generate
model = trainer.model.eval()
prompt = "The evening fell over the harbour, and"
inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
with torch.no_grad():
    out = model.generate(
        **inputs,
        max_new_tokens=120,
        do_sample=True,            # sampling, not greedy: greedy decoding loops and goes bland
        temperature=0.8,
        top_p=0.95,                # nucleus sampling
        repetition_penalty=1.1,
        num_return_sequences=3,
        pad_token_id=tokenizer.eos_token_id,
    )
for seq in out:
    print("---\n" + tokenizer.decode(seq, skip_special_tokens=True))
