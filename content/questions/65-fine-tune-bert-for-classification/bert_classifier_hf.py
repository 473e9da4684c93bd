"""Fine-tune pre-trained BERT for binary sentiment classification (IMDB) with Hugging Face.

Needs: pip install "transformers>=5" datasets accelerate   (peft only for USE_LORA)
Optional first step (Sun et al., 2019): continue masked-LM pre-training on unlabeled in-domain
text (here IMDB's 50k "unsupervised" reviews) with AutoModelForMaskedLM and
DataCollatorForLanguageModeling(mlm_probability=0.15), save it, and load that checkpoint as MODEL.
Written against the transformers 5.x API. processing_class= and eval_strategy= also work
on late 4.x. warmup_steps=0.1 (a float below 1 = fraction of total steps) is v5 only;
v5 deprecated warmup_ratio in its favour, so on 4.x write warmup_ratio=0.1 instead.
"""
import numpy as np
import torch
from datasets import load_dataset
from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                          DataCollatorWithPadding, Trainer, TrainingArguments, pipeline)

MODEL = "google-bert/bert-base-uncased"   # 110M params, 12 layers, 512-token limit
MAX_LEN = 512                             # BERT's limit; IMDB reviews are often longer
HEAD = 128                                # head+tail truncation: first 128 + last 382 tokens
FREEZE_ENCODER = False                    # True = feature extraction: train the head only
USE_LORA = False                          # True = parameter-efficient fine-tuning with PEFT
LLRD_DECAY = 0.95                         # layer-wise LR decay (Sun et al., 2019); 1.0 = off

id2label = {0: "negative", 1: "positive"}
label2id = {v: k for k, v in id2label.items()}

# ---------------------------------------------------------------- data
raw = load_dataset("stanfordnlp/imdb")                       # 25k train / 25k test
split = raw["train"].train_test_split(test_size=0.1, seed=42, stratify_by_column="label")
train_ds, val_ds, test_ds = split["train"], split["test"], raw["test"]

tokenizer = AutoTokenizer.from_pretrained(MODEL)


def head_tail(ids, max_len, head):
    """Sun et al. (2019): keep the first `head` and the last `max_len - head` tokens of a long
    text; 128 + 382 beat head-only and tail-only truncation on IMDB."""
    return ids if len(ids) <= max_len else ids[:head] + ids[len(ids) - (max_len - head):]


def tokenize(batch):
    # Tokenize without truncation or special tokens, cut head+tail, then add [CLS] ... [SEP].
    # (truncation=True would keep only the head.) No padding here: DataCollatorWithPadding
    # pads each batch to its own longest sequence, much cheaper than padding to MAX_LEN.
    ids = tokenizer(batch["text"], add_special_tokens=False)["input_ids"]
    ids = [[tokenizer.cls_token_id] + head_tail(x, MAX_LEN - 2, HEAD) + [tokenizer.sep_token_id]
           for x in ids]
    return {"input_ids": ids, "attention_mask": [[1] * len(x) for x in ids],
            "token_type_ids": [[0] * len(x) for x in ids]}


train_ds, val_ds, test_ds = (d.map(tokenize, batched=True, remove_columns=["text"])
                             for d in (train_ds, val_ds, test_ds))
# The model's forward() expects the target column to be called "labels". Keep them integers:
# with problem_type unset, transformers infers it from the labels' dtype, and float labels
# with num_labels > 1 silently switch the built-in loss to multi-label sigmoid + BCE.
train_ds, val_ds, test_ds = (d.rename_column("label", "labels")
                             for d in (train_ds, val_ds, test_ds))

# ---------------------------------------------------------------- model
# Loads the pre-trained encoder and adds a freshly initialised linear head on the
# pooled [CLS] vector; transformers warns that classifier.weight/bias are new. That is expected.
model = AutoModelForSequenceClassification.from_pretrained(
    MODEL, num_labels=2, id2label=id2label, label2id=label2id,
    problem_type="single_label_classification")   # explicit: never inferred from label dtype
assert train_ds.features["labels"].dtype.startswith("int"), train_ds.features["labels"]

if FREEZE_ENCODER:
    for p in model.bert.parameters():
        p.requires_grad = False

if USE_LORA:
    from peft import LoraConfig, TaskType, get_peft_model
    # Low-rank adapters on the attention projections; SEQ_CLS keeps the new
    # classifier head fully trainable (and saved) alongside the adapters.
    model = get_peft_model(model, LoraConfig(
        task_type=TaskType.SEQ_CLS, r=8, lora_alpha=16, lora_dropout=0.1,
        target_modules=["query", "value"]))
    model.print_trainable_parameters()


def llrd_param_groups(model, base_lr, decay, weight_decay=0.01):
    """Head and pooler get base_lr; encoder layer i (0 = bottom) gets base_lr * decay**(L - i);
    embeddings get base_lr * decay**(L + 1). No weight decay on biases and LayerNorm."""
    n_layers = model.config.num_hidden_layers
    groups = []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if ".embeddings." in name:
            depth = 0
        elif ".encoder.layer." in name:
            depth = int(name.split(".encoder.layer.")[1].split(".")[0]) + 1
        else:                                  # pooler, classifier
            depth = n_layers + 1
        no_decay = name.endswith("bias") or "LayerNorm" in name
        groups.append({"params": [p], "lr": base_lr * decay ** (n_layers + 1 - depth),
                       "weight_decay": 0.0 if no_decay else weight_decay})
    return groups


# ---------------------------------------------------------------- loss and metrics
counts = np.bincount(list(train_ds["labels"]), minlength=2)
class_weights = torch.tensor(counts.sum() / (2 * counts), dtype=torch.float)  # ~1.0 on balanced IMDB


class WeightedTrainer(Trainer):
    """Class-weighted cross-entropy for imbalanced labels. **kwargs absorbs
    num_items_in_batch, which newer Trainer versions pass in."""

    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        loss = torch.nn.functional.cross_entropy(
            outputs.logits, labels, weight=class_weights.to(outputs.logits.device))
        return (loss, outputs) if return_outputs else loss


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = logits.argmax(-1)
    f1s = []
    for c in (0, 1):
        tp = np.sum((preds == c) & (labels == c))
        fp = np.sum((preds == c) & (labels != c))
        fn = np.sum((preds != c) & (labels == c))
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    return {"accuracy": float((preds == labels).mean()), "macro_f1": float(np.mean(f1s))}


# ---------------------------------------------------------------- training
# BERT paper, Appendix A.3: batch 16 or 32, Adam lr 5e-5 / 3e-5 / 2e-5, 2-4 epochs.
lr = 2e-4 if USE_LORA else (1e-3 if FREEZE_ENCODER else 2e-5)
args = TrainingArguments(
    output_dir="bert-imdb",
    learning_rate=lr,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=64,
    num_train_epochs=3,
    weight_decay=0.01,
    warmup_steps=0.1,                      # float < 1 = 10% of total steps (v5; 4.x: warmup_ratio)
    lr_scheduler_type="linear",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="macro_f1",
    save_total_limit=2,
    bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
    logging_steps=50,
    report_to="none",
    seed=42,
)

# Custom optimizer only for full fine-tuning; Trainer still builds the warmup/decay
# schedule around it (the None in the tuple).
optimizer = None
if not (USE_LORA or FREEZE_ENCODER) and LLRD_DECAY < 1.0:
    optimizer = torch.optim.AdamW(llrd_param_groups(model, lr, LLRD_DECAY), lr=lr)

trainer = WeightedTrainer(
    model=model,
    args=args,
    train_dataset=train_ds,
    eval_dataset=val_ds,
    processing_class=tokenizer,            # `tokenizer=` was deprecated in 4.x and removed in v5
    data_collator=DataCollatorWithPadding(tokenizer),
    compute_metrics=compute_metrics,
    optimizers=(optimizer, None),
)
trainer.train()

# Report the untouched test split once, after model selection on validation.
print(trainer.evaluate(test_ds, metric_key_prefix="test"))

if USE_LORA:
    trainer.model = trainer.model.merge_and_unload()   # fold adapters into the weights
trainer.save_model("bert-imdb/final")      # weights + config + tokenizer files

# ---------------------------------------------------------------- inference
clf = pipeline("text-classification", model="bert-imdb/final")
print(clf(["A moving, beautifully acted film.", "Two hours I will never get back."]))
