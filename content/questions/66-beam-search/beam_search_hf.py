"""Beam search as you would call it in practice: Hugging Face `generate`.

Needs `pip install transformers torch sentencepiece` and downloads a small
English-to-German Marian translation model. The test suite only syntax-checks
this file; beam_search.py implements the same algorithm from scratch.
"""
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

MODEL_ID = "Helsinki-NLP/opus-mt-en-de"


def translate(sentences, num_beams=5, n_best=3):
    tok = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForSeq2SeqLM.from_pretrained(MODEL_ID).eval()
    batch = tok(sentences, return_tensors="pt", padding=True)
    with torch.no_grad():
        out = model.generate(
            **batch,
            num_beams=num_beams,            # beam width B
            do_sample=False,                # pure beam search, no sampling
            length_penalty=1.0,             # score = sum log p / len**length_penalty
            early_stopping=True,            # stop once B hypotheses have finished;
                                            # "never" = the exact bound used in beam_search.py
            num_return_sequences=n_best,    # n-best list per input (<= num_beams)
            max_new_tokens=64,
            no_repeat_ngram_size=3,         # optional guard against repetition loops
            output_scores=True,
            return_dict_in_generate=True,
        )
    texts = tok.batch_decode(out.sequences, skip_special_tokens=True)
    # sequences_scores are the length-normalised beam scores, best first per input.
    scores = out.sequences_scores.tolist()
    return [list(zip(texts[i * n_best:(i + 1) * n_best], scores[i * n_best:(i + 1) * n_best]))
            for i in range(len(sentences))]


if __name__ == "__main__":
    for nbest in translate(["The weather is nice today.", "Beam search keeps several hypotheses."]):
        for text, score in nbest:
            print(f"{score:7.3f}  {text}")
        print()
