/**
 * The models and accelerators the memory calculators offer, each with where its numbers come
 * from. Model shapes are copied from each model's Hugging Face `config.json`; the parameter
 * count is computed from the shape (`countParameters` in memory.ts), so it is never typed in.
 */

/** What a decoder-only model's `config.json` says about its size. */
export interface ModelShape {
  /** `num_hidden_layers`. */
  layers: number;
  /** `hidden_size`: the width of the residual stream. */
  hiddenSize: number;
  /** `num_attention_heads`: query heads. */
  attentionHeads: number;
  /** `num_key_value_heads`: fewer than the query heads under grouped-query attention. */
  kvHeads: number;
  /** `head_dim`, or hidden_size / num_attention_heads where the config leaves it out. */
  headDim: number;
  /** `intermediate_size` of the gated (SwiGLU) MLP. */
  intermediateSize: number;
  /** `vocab_size`. */
  vocabSize: number;
  /** `tie_word_embeddings`: the output head reuses the embedding matrix. */
  tiedEmbeddings: boolean;
  /** Biases on the query, key and value projections (Qwen2 and Qwen2.5). */
  qkvBias: boolean;
  /** RMSNorm on each head's query and key (Qwen3): two vectors of head_dim per layer. */
  qkNorm: boolean;
}

export interface ModelPreset {
  /** Stable id, used as the select's value. */
  id: string;
  /** Name as its makers write it. */
  name: string;
  shape: ModelShape;
  /** The context window the config declares (`max_position_embeddings`) or the card states. */
  contextTokens: number;
  /** The config.json the shape was copied from. */
  source: string;
  /** What the plain formula misses for this model, or where its numbers differ between sources. */
  note?: string;
}

const llama = { tiedEmbeddings: false, qkvBias: false, qkNorm: false, headDim: 128 };

export const modelPresets: readonly ModelPreset[] = [
  {
    id: 'llama-3.1-8b',
    name: 'Llama 3.1 8B',
    shape: {
      ...llama,
      layers: 32,
      hiddenSize: 4096,
      attentionHeads: 32,
      kvHeads: 8,
      intermediateSize: 14336,
      vocabSize: 128256,
    },
    contextTokens: 131072,
    source: 'https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json',
  },
  {
    id: 'llama-3.1-70b',
    name: 'Llama 3 / 3.1 70B',
    shape: {
      ...llama,
      layers: 80,
      hiddenSize: 8192,
      attentionHeads: 64,
      kvHeads: 8,
      intermediateSize: 28672,
      vocabSize: 128256,
    },
    contextTokens: 131072,
    source: 'https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json',
    note: 'Llama 3 70B has the same shape with an 8,192-token window; Llama 3.1 extends it to 131,072.',
  },
  {
    id: 'llama-3.1-405b',
    name: 'Llama 3.1 405B',
    shape: {
      ...llama,
      layers: 126,
      hiddenSize: 16384,
      attentionHeads: 128,
      kvHeads: 8,
      intermediateSize: 53248,
      vocabSize: 128256,
    },
    contextTokens: 131072,
    source: 'https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json',
    note: 'The Llama 3 paper (Table 3) also gives 8 KV heads; copies of the first upload of this config say 16.',
  },
  {
    id: 'mistral-7b-v0.3',
    name: 'Mistral 7B v0.3',
    shape: {
      ...llama,
      layers: 32,
      hiddenSize: 4096,
      attentionHeads: 32,
      kvHeads: 8,
      intermediateSize: 14336,
      vocabSize: 32768,
    },
    contextTokens: 32768,
    source: 'https://huggingface.co/mistralai/Mistral-7B-v0.3/blob/main/config.json',
    note: 'No sliding window here; Mistral 7B v0.1 attended to the last 4,096 tokens only, which caps its cache at 4,096 tokens.',
  },
  {
    id: 'qwen2.5-72b',
    name: 'Qwen2.5 72B',
    shape: {
      ...llama,
      layers: 80,
      hiddenSize: 8192,
      attentionHeads: 64,
      kvHeads: 8,
      intermediateSize: 29568,
      vocabSize: 152064,
      qkvBias: true,
    },
    contextTokens: 131072,
    source: 'https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/config.json',
  },
  {
    id: 'qwen3-8b',
    name: 'Qwen3 8B',
    shape: {
      ...llama,
      layers: 36,
      hiddenSize: 4096,
      attentionHeads: 32,
      kvHeads: 8,
      intermediateSize: 12288,
      vocabSize: 151936,
      qkNorm: true,
    },
    contextTokens: 32768,
    source: 'https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json',
    note: '32,768 tokens natively; the model card extends it to 131,072 with YaRN scaling.',
  },
  {
    id: 'qwen3-32b',
    name: 'Qwen3 32B',
    shape: {
      ...llama,
      layers: 64,
      hiddenSize: 5120,
      attentionHeads: 64,
      kvHeads: 8,
      intermediateSize: 25600,
      vocabSize: 151936,
      qkNorm: true,
    },
    contextTokens: 32768,
    source: 'https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json',
    note: '64 query heads of 128 dimensions on a 5,120-wide residual stream: head_dim is set, not derived. 32,768 tokens natively, 131,072 with YaRN.',
  },
  {
    id: 'llama-2-7b',
    name: 'Llama 2 7B',
    shape: {
      ...llama,
      layers: 32,
      hiddenSize: 4096,
      attentionHeads: 32,
      kvHeads: 32,
      intermediateSize: 11008,
      vocabSize: 32000,
    },
    contextTokens: 4096,
    source: 'https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json',
    note: 'Full multi-head attention (32 KV heads, no grouping): four times the cache per token of Llama 3.1 8B. Question 28 uses this shape.',
  },
];

export interface Accelerator {
  id: string;
  /** Maker, model and the capacity as sold. */
  name: string;
  /** Capacity and memory type as the maker writes them. */
  label: string;
  /**
   * Memory the driver reports as total (nvidia-smi, or rocm-smi's VRAM total): the most a
   * program can ever allocate. Makers' "GB" on GPUs is really a binary size, less what the
   * driver keeps (and, on GDDR cards with ECC on, the ECC share).
   */
  reportedBytes: number;
  /** The maker's page for the card. */
  source: string;
}

const MiB = 2 ** 20;

export const accelerators: readonly Accelerator[] = [
  {
    id: 'h100-80',
    name: 'NVIDIA H100 80 GB',
    label: '80 GB HBM3',
    reportedBytes: 81559 * MiB,
    source: 'https://www.nvidia.com/en-us/data-center/h100/',
  },
  {
    id: 'h200-141',
    name: 'NVIDIA H200 141 GB',
    label: '141 GB HBM3e',
    reportedBytes: 143771 * MiB,
    source: 'https://www.nvidia.com/en-us/data-center/h200/',
  },
  {
    id: 'a100-80',
    name: 'NVIDIA A100 80 GB',
    label: '80 GB HBM2e',
    reportedBytes: 81920 * MiB,
    source: 'https://www.nvidia.com/en-us/data-center/a100/',
  },
  {
    id: 'a100-40',
    name: 'NVIDIA A100 40 GB',
    label: '40 GB HBM2',
    reportedBytes: 40960 * MiB,
    source: 'https://www.nvidia.com/en-us/data-center/a100/',
  },
  {
    id: 'mi300x-192',
    name: 'AMD Instinct MI300X 192 GB',
    label: '192 GB HBM3',
    reportedBytes: 205_822_885_888,
    source: 'https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
  },
  {
    id: 'l4-24',
    name: 'NVIDIA L4 24 GB',
    label: '24 GB GDDR6, ECC on',
    reportedBytes: 23034 * MiB,
    source: 'https://www.nvidia.com/en-us/data-center/l4/',
  },
  {
    id: 'rtx-4090-24',
    name: 'NVIDIA GeForce RTX 4090 24 GB',
    label: '24 GB GDDR6X',
    reportedBytes: 24564 * MiB,
    source: 'https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/',
  },
];

export function getModelPreset(id: string): ModelPreset | undefined {
  return modelPresets.find((preset) => preset.id === id);
}

export function getAccelerator(id: string): Accelerator | undefined {
  return accelerators.find((accelerator) => accelerator.id === id);
}
