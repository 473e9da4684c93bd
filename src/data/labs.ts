/**
 * The labs: one page each under /labs/<id>/, where a reader tries a mechanism with numbers.
 * Each lab names the questions it serves; those questions link back to it.
 */
export interface Lab {
  /** URL segment: /labs/<id>/. */
  id: string;
  /** Page heading and link text. */
  title: string;
  /** One sentence for the labs index and the meta description. */
  summary: string;
  /** Numbers of the questions this lab serves, most relevant first. */
  questions: readonly number[];
}

export const labs: readonly Lab[] = [
  {
    id: 'tokenizer',
    title: 'Tokenizer playground',
    summary:
      'Type any text and see how GPT-2, GPT-4 and GPT-4o split it into tokens, with each token’s id and the count.',
    questions: [30, 31, 38, 45, 32],
  },
  {
    id: 'sampling',
    title: 'Sampling explorer',
    summary:
      'Move temperature, top-k, top-p and min-p over one next-token distribution and watch which tokens survive.',
    questions: [7, 1, 21, 71],
  },
  {
    id: 'attention',
    title: 'Attention calculator',
    summary:
      'Edit small query and key vectors and see the scaled scores, the mask and the softmax weights, with and without √d_k.',
    questions: [12, 20, 52],
  },
  {
    id: 'beam-search',
    title: 'Beam search stepper',
    summary:
      'Step greedy and beam search through a small next-token tree, with beam width and length penalty, and see where they disagree.',
    questions: [66],
  },
  {
    id: 'memory',
    title: 'Memory calculators',
    summary:
      'Work out inference memory (weights and KV cache) and training memory (weights, gradients, optimiser states, activations) for real model configs.',
    questions: [28, 34, 36, 37, 72, 75],
  },
];

export function getLab(id: string): Lab {
  const lab = labs.find((candidate) => candidate.id === id);
  if (!lab) throw new Error(`Unknown lab "${id}". Known labs: ${labs.map((l) => l.id).join(', ')}`);
  return lab;
}

/** The labs that serve one question, in lab order. */
export function labsForQuestion(number: number): Lab[] {
  return labs.filter((lab) => lab.questions.includes(number));
}
