"""Context assembly for a RAG chatbot: a token-budgeted memory window plus a retrieval step.

Run: python3 chat_memory.py   (standard library only; no model is called)

What it shows and checks
1. Every turn, the prompt is rebuilt from: system prompt + running summary of old turns +
   retrieved passages + as many recent turns as fit. Over many random conversations (several
   seeds) the assembled prompt never exceeds the budget, always keeps the system prompt and
   the newest user message, and keeps a contiguous block of the most recent turns.
2. A from-scratch BM25 retriever over a small help-centre corpus finds the right article for
   held-out paraphrased questions (asserted: no question shares a run of four words with any
   article).
3. A follow-up such as "how much does it cost?" finds nothing on its own; adding the previous
   user turn as down-weighted context fixes it without overriding a question on a new topic.
4. The cost per turn implied by the budget, under ASSUMED prices (not a vendor's price list).
Token counts use a regex word-piece count as a stand-in for the model's real tokenizer.
"""
import math
import random
import re
from collections import Counter

TOKEN_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]", re.I)


def count_tokens(text):
    return len(TOKEN_RE.findall(text))


# ---------------------------------------------------------------- 1. memory window
SUMMARY, RETRIEVED = "Summary of earlier conversation: ", "Retrieved article: "


def build_prompt(system, history, user_msg, passages, summary, budget, passage_budget, summary_budget):
    """history: list of (role, text), oldest first. Returns (messages, evicted_turns).
    Fixed parts first (system, newest user message), then capped retrieval and summary,
    then history from newest to oldest until the budget is spent."""
    used = count_tokens(system) + count_tokens(user_msg)
    if used > budget:
        raise ValueError("system prompt plus user message alone exceed the budget")
    ctx, ctx_tokens = [], 0
    for p in passages:  # best first; stop at the first passage that does not fit
        t = count_tokens(RETRIEVED + p)
        if ctx_tokens + t > passage_budget or used + t > budget:
            break
        ctx.append(p)
        ctx_tokens += t
        used += t
    room = min(summary_budget, budget - used) - count_tokens(SUMMARY)
    kept_words, t = [], 0
    for w in reversed(summary.split()):  # keep the newest part of the summary that fits
        if t + count_tokens(w) > room:
            break
        kept_words.append(w)
        t += count_tokens(w)
    summary = " ".join(reversed(kept_words))
    used += count_tokens(SUMMARY + summary) if summary else 0
    kept = []
    for role, text in reversed(history):
        t = count_tokens(text)
        if used + t > budget:
            break
        kept.append((role, text))
        used += t
    kept.reverse()
    evicted = history[: len(history) - len(kept)]
    messages = [("system", system)]
    if summary:
        messages.append(("system", SUMMARY + summary))
    messages += [("system", RETRIEVED + p) for p in ctx]
    messages += kept + [("user", user_msg)]
    return messages, evicted


def summarise(turns):
    """Stand-in for an LLM summary call: keep the first clause of each evicted user turn."""
    return " ".join(text.split(",")[0].split(".")[0] + "." for role, text in turns if role == "user")


SYSTEM = ("You are the support assistant for Acme Cloud. Answer only from the retrieved articles, "
          "cite the article title, and hand over to a human agent when you cannot answer.")
WORDS = "plan invoice storage backup region password login export api quota team admin refund".split()


def random_turn(rng, role):
    return role, " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60))) + "."


BUDGET, PASSAGE_BUDGET, SUMMARY_BUDGET = 400, 150, 60
prompt_sizes, evictions, with_summary = [], 0, 0
for seed in range(20):
    rng = random.Random(seed)
    history, summary = [], ""
    for step in range(rng.randint(5, 40)):
        user_msg = random_turn(rng, "user")[1]
        passages = [random_turn(rng, "doc")[1] for _ in range(3)]
        messages, evicted = build_prompt(SYSTEM, history, user_msg, passages, summary,
                                         BUDGET, PASSAGE_BUDGET, SUMMARY_BUDGET)
        total = sum(count_tokens(t) for _, t in messages)
        prompt_sizes.append(total)
        assert total <= BUDGET, (seed, step, total)
        assert messages[0] == ("system", SYSTEM) and messages[-1] == ("user", user_msg)
        kept = [m for m in messages if m[0] != "system"][:-1]
        assert kept == history[len(history) - len(kept):]  # a contiguous block of the newest turns
        retrieved = [t for r, t in messages if r == "system" and t.startswith(RETRIEVED)]
        assert sum(count_tokens(t) for t in retrieved) <= PASSAGE_BUDGET
        evictions += len(evicted)
        with_summary += any(t.startswith(SUMMARY) for _, t in messages)
        if evicted:  # a real system would re-summarise; here keep the newest 200 words
            summary = " ".join((summary + " " + summarise(evicted)).split()[-200:])
        history = history[len(evicted):] + [("user", user_msg), random_turn(rng, "assistant")]
assert max(prompt_sizes) <= BUDGET and evictions > 100 and with_summary > 100  # the window really slid

# ---------------------------------------------------------------- 2. BM25 retrieval
DOCS = {
    "Pro plan pricing": "The Pro plan costs 20 dollars per user per month, billed monthly or yearly. "
                        "Yearly billing gives two months free.",
    "Reset your password": "To reset a forgotten password open the login page, choose forgot password "
                           "and follow the emailed link, which expires after one hour.",
    "Export your data": "Admins can export all workspace data as a zip archive from settings, "
                        "under data, then export.",
    "Refund policy": "Refunds are available within 30 days of a charge. Contact billing with the "
                     "invoice number to request a refund.",
    "Storage quota": "Each Pro plan user gets 100 gigabytes of storage. Free plan users get 5 gigabytes.",
    "API rate limits": "The API allows 600 requests per minute per token. Exceeding it returns "
                       "error 429; retry after the indicated delay.",
    "Add team members": "Workspace admins invite team members from the members page by email address.",
    "Backup regions": "Backups are stored in two regions, chosen when the workspace is created.",
}
STOP = set("a an the of to and or is are my i do how can what for from in on it with by be as you your me get gets".split())


def terms(text):
    return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOP]


class BM25:
    def __init__(self, docs, k1=1.2, b=0.75):
        self.titles = list(docs)
        self.tfs = [Counter(terms(t + " " + docs[t])) for t in self.titles]
        self.lens = [sum(tf.values()) for tf in self.tfs]
        self.avg = sum(self.lens) / len(self.lens)
        df = Counter(w for tf in self.tfs for w in tf)
        n = len(self.tfs)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self.k1, self.b = k1, b

    def search(self, query, k=2, context="", context_weight=0.3):
        """context: extra words (e.g. from the previous turn), down-weighted so they add a
        topic to a vague follow-up without drowning a question that names a new topic."""
        weights = Counter()
        for w in terms(query):
            weights[w] += 1.0
        for w in terms(context):
            weights[w] += context_weight
        scores = []
        for title, tf, dl in zip(self.titles, self.tfs, self.lens):
            s = 0.0
            for w, qw in weights.items():
                if w in tf:
                    f = tf[w]
                    s += qw * self.idf[w] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avg))
            scores.append((s, title))
        scores.sort(key=lambda x: (-x[0], x[1]))
        return [t for s, t in scores[:k] if s > 0]


index = BM25(DOCS)
HELD_OUT = {  # paraphrased user questions -> the article that answers them
    "I forgot my password, how do I get back in?": "Reset your password",
    "can I get my money back for last month's invoice": "Refund policy",
    "I keep getting error 429 from the API": "API rate limits",
    "how many gigabytes of storage do I get": "Storage quota",
    "how do I invite a colleague to the team": "Add team members",
    "download everything in my workspace as a zip": "Export your data",
}
def word_ngrams(text, n=4):
    w = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


doc_4grams = set().union(*(word_ngrams(t + " " + d) for t, d in DOCS.items()))
assert not any(word_ngrams(q) & doc_4grams for q in HELD_OUT)  # no query copies a 4-word run of any article
hits_at_1 = sum(index.search(q, 1) == [gold] for q, gold in HELD_OUT.items())
recall_at_2 = sum(gold in index.search(q, 2) for q, gold in HELD_OUT.items()) / len(HELD_OUT)
assert hits_at_1 == len(HELD_OUT) and recall_at_2 == 1.0


# ---------------------------------------------------------------- 3. follow-up rewriting
def previous_topic(history):
    """Stand-in for an LLM 'condense the follow-up into a standalone question' call: the
    previous user turn, passed to retrieval as down-weighted context."""
    return next((t for r, t in reversed(history) if r == "user"), "")


chat = [("user", "Tell me about the Pro plan"), ("assistant", "It includes 100 GB of storage per user.")]
follow_up = "How much does it cost?"
bare = index.search(follow_up, 1)
with_context = index.search(follow_up, 1, context=previous_topic(chat))
assert bare != ["Pro plan pricing"] and with_context == ["Pro plan pricing"], (bare, with_context)
new_topic = "Can I get a refund if I cancel?"  # names its own topic: context must not override it
assert index.search(new_topic, 1, context=previous_topic(chat)) == ["Refund policy"]
# Down-weighting matters: at full weight the old topic drowns the new question.
assert index.search(new_topic, 1, context=previous_topic(chat) * 3, context_weight=1.0) != ["Refund policy"]

# ---------------------------------------------------------------- 4. cost per turn (ASSUMED prices)
PRICE_IN, PRICE_OUT = 1.00, 4.00  # dollars per million tokens: assumptions for illustration only
prod_input, prod_output = 3_000, 250  # assumed production budget: 3,000 prompt tokens, 250 reply tokens
cost_turn = prod_input * PRICE_IN / 1e6 + prod_output * PRICE_OUT / 1e6
turns_per_day = 50_000 * 6
assert abs(cost_turn - 0.004) < 1e-12 and abs(cost_turn * turns_per_day - 1_200) < 1e-6

print(f"memory window: {len(prompt_sizes)} prompts over 20 seeds, max {max(prompt_sizes)} <= budget {BUDGET} tokens, "
      f"{evictions} turns evicted into the summary")
print(f"retrieval: held-out hit@1 {hits_at_1}/{len(HELD_OUT)}, recall@2 {recall_at_2:.2f}")
print(f"follow-up alone -> {bare or 'nothing'}; with previous turn as context -> {with_context}")
print(f"cost at assumed prices: ${cost_turn:.4f}/turn, ${cost_turn * turns_per_day:,.0f}/day for {turns_per_day:,} turns")
