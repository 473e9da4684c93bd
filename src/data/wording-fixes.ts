/**
 * The only edits made to the seed list's wording: plain typos and spacing.
 * Tests apply these to the original list and compare every question title with the result.
 */
export interface WordingFix {
  /** Question number (1-75). */
  number: number;
  /** Exact text in the seed list. */
  from: string;
  /** Replacement shown on the site. */
  to: string;
}

export const wordingFixes: readonly WordingFix[] = [
  { number: 55, from: 'Discus Generative', to: 'Discuss Generative' },
  { number: 55, from: 'networks ( GAN )', to: 'Networks (GANs)' },
  { number: 56, from: 'efficiently rollback to', to: 'efficiently roll back to' },
  { number: 61, from: 'set up a LLM', to: 'set up an LLM' },
  {
    number: 64,
    from: 'Discus techniques to adapt a LLM',
    to: 'Discuss techniques to adapt an LLM',
  },
  { number: 68, from: 'Fine-tuned a GPT-2', to: 'Fine-tune a GPT-2' },
  { number: 68, from: 'PyTorch or tensorflow', to: 'PyTorch or TensorFlow' },
];
