/** The primary topics. Every question has exactly one; the order here is the order on the site. */
export interface Topic {
  /** URL segment and frontmatter value. */
  id: string;
  /** Shown in navigation and headings. */
  title: string;
  /** One paragraph for the topic page and the home page. */
  description: string;
}

export const topics = [
  {
    id: 'fundamentals',
    title: 'Fundamentals',
    description:
      'What large language models are, how they differ from the statistical models before them, what they can learn from a prompt alone, and where the field is heading.',
  },
  {
    id: 'architecture',
    title: 'Transformer architecture',
    description:
      'The transformer from the inside: attention, positional information, how context flows through layers, why it trains in parallel, and where the design runs out of road.',
  },
  {
    id: 'model-families',
    title: 'Model families',
    description:
      'The landmark models and their objectives: BERT, RoBERTa, T5 and the GPT series, what each changed, and what masking does in each of them.',
  },
  {
    id: 'training',
    title: 'Training',
    description:
      'Pre-training at scale: hyperparameters, learning-rate schedules, batch size and sequence length, memory-saving techniques, hardware, distributed training and the pitfalls that waste a run.',
  },
  {
    id: 'adaptation',
    title: 'Adaptation: fine-tuning, transfer and alignment',
    description:
      'Turning a pre-trained model into a useful one: transfer learning, task and domain fine-tuning, distillation into smaller models, and reinforcement learning from feedback.',
  },
  {
    id: 'data-and-tokenization',
    title: 'Data and tokenization',
    description:
      'What goes in before training: cleaning and filtering data, turning text into tokens, building a vocabulary, handling many languages and words the vocabulary never saw.',
  },
  {
    id: 'embeddings-and-retrieval',
    title: 'Embeddings and retrieval',
    description:
      'Vectors that carry meaning: how embeddings are learned and compressed, and how they power search, retrieval-augmented generation and summarisation.',
  },
  {
    id: 'evaluation',
    title: 'Evaluation',
    description:
      'Knowing whether a model is good: benchmarks and their limits, metrics for generated text, evaluating fine-tuned models, and measuring and reducing hallucination.',
  },
  {
    id: 'production',
    title: 'Production',
    description:
      'Running LLMs for real users: efficient serving, long inputs at inference time, monitoring, versioning, rollback and A/B testing.',
  },
  {
    id: 'responsible-ai',
    title: 'Responsible AI',
    description:
      'Bias, privacy, interpretability and the ethics of deployment: what can go wrong, how to measure it, and what practitioners actually do about it.',
  },
  {
    id: 'applications',
    title: 'Applications and system design',
    description:
      'LLMs applied: sentiment, translation, chatbots, synthetic data, recommendations, summarisers, code generation and legal review, and how to design each as a system.',
  },
  {
    id: 'coding',
    title: 'Coding exercises',
    description:
      'The questions you answer at the keyboard: tokenizers, transformer blocks, fine-tuning, beam search, custom losses and summarisation, each with code that runs and tests itself.',
  },
] as const satisfies readonly Topic[];

export type TopicId = (typeof topics)[number]['id'];

export const topicIds = topics.map((topic) => topic.id) as [TopicId, ...TopicId[]];

/** Looks a topic up by id; throws on an unknown id so a typo cannot render an empty page. */
export function getTopic(id: string): Topic {
  const topic = topics.find((candidate) => candidate.id === id);
  if (!topic) throw new Error(`Unknown topic "${id}". Known topics: ${topicIds.join(', ')}`);
  return topic;
}
