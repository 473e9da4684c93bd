import { describe, expect, test } from 'vitest';
import {
  GB,
  GiB,
  activationBytes,
  activationFormula,
  billionsText,
  countParameters,
  devicesNeeded,
  formatSize,
  inferenceView,
  kvCacheBytes,
  kvCacheFormula,
  limits,
  modelStateBytes,
  parametersFromBillions,
  parseNumber,
  trainingView,
  usableBytes,
  weightBytes,
  type ActivationInput,
  type InferenceInput,
  type TrainingInput,
} from '../../src/labs/memory';
import {
  accelerators,
  getAccelerator,
  getModelPreset,
  modelPresets,
} from '../../src/labs/memory-presets';

const h100 = getAccelerator('h100-80')!;
const llama70b = getModelPreset('llama-3.1-70b')!;
const llama2 = getModelPreset('llama-2-7b')!;

const llama70bAt128k = {
  layers: 80,
  kvHeads: 8,
  headDim: 128,
  bytesPerValue: 2,
  tokens: 131_072,
  batch: 1,
};

describe('KV cache', () => {
  test('Llama 3 70B at 128K tokens in bf16, batch 1, is exactly 40 GiB', () => {
    expect(kvCacheBytes(llama70bAt128k)).toBe(42_949_672_960);
    expect(kvCacheBytes(llama70bAt128k)).toBe(40 * GiB);
  });

  test('is 320 KiB per token for Llama 3 70B in bf16 (question 72)', () => {
    expect(kvCacheBytes({ ...llama70bAt128k, tokens: 1 })).toBe(327_680);
  });

  test('grows linearly with tokens and batch and halves in fp8', () => {
    const base = kvCacheBytes(llama70bAt128k);
    expect(kvCacheBytes({ ...llama70bAt128k, batch: 4 })).toBe(4 * base);
    expect(kvCacheBytes({ ...llama70bAt128k, tokens: 65_536 })).toBe(base / 2);
    expect(kvCacheBytes({ ...llama70bAt128k, bytesPerValue: 1 })).toBe(20 * GiB);
  });

  test('would be 320 GiB with one KV head per query head (question 72)', () => {
    expect(kvCacheBytes({ ...llama70bAt128k, kvHeads: 64 })).toBe(320 * GiB);
  });

  test('shows the formula with the numbers filled in', () => {
    expect(kvCacheFormula(llama70bAt128k, 'bf16')).toBe(
      '2 (K and V) × 80 layers × 8 KV heads × 128 dims × 2 bytes (bf16) × 131,072 tokens × ' +
        '1 sequence = 42,949,672,960 bytes = 40.0 GiB (42.9 GB)',
    );
  });
});

describe('parameters from a config', () => {
  test('the Llama 2 7B shape has 6,738,415,616 parameters, as question 28 measures', () => {
    expect(countParameters(llama2.shape)).toBe(6_738_415_616);
  });

  test('the Llama 3 shapes match their published counts', () => {
    expect(countParameters(getModelPreset('llama-3.1-8b')!.shape)).toBe(8_030_261_248);
    expect(countParameters(llama70b.shape)).toBe(70_553_706_496);
    expect(countParameters(getModelPreset('llama-3.1-405b')!.shape)).toBe(405_853_388_800);
  });

  test('Qwen and Mistral shapes round to their model cards', () => {
    const billions = (id: string) =>
      Math.round(countParameters(getModelPreset(id)!.shape) / 1e8) / 10;
    expect(billions('qwen2.5-72b')).toBe(72.7);
    expect(billions('qwen3-8b')).toBe(8.2);
    expect(billions('qwen3-32b')).toBe(32.8);
    expect(billions('mistral-7b-v0.3')).toBe(7.2);
  });

  test('qkv biases and q/k norms add parameters', () => {
    const plain = countParameters(llama2.shape);
    expect(countParameters({ ...llama2.shape, qkvBias: true })).toBe(plain + 32 * 3 * 4096);
    expect(countParameters({ ...llama2.shape, qkNorm: true })).toBe(plain + 32 * 2 * 128);
    expect(countParameters({ ...llama2.shape, tiedEmbeddings: true })).toBe(plain - 32000 * 4096);
  });

  test('billions round-trip exactly through the input field', () => {
    for (const preset of modelPresets) {
      const count = countParameters(preset.shape);
      expect(parametersFromBillions(Number(billionsText(count)))).toBe(count);
    }
  });
});

describe('presets', () => {
  test('every model and accelerator cites a source and has a unique id', () => {
    for (const item of [...modelPresets, ...accelerators])
      expect(item.source).toMatch(/^https:\/\//);
    expect(new Set(modelPresets.map((p) => p.id)).size).toBe(modelPresets.length);
    expect(new Set(accelerators.map((a) => a.id)).size).toBe(accelerators.length);
    for (const preset of modelPresets)
      expect(preset.source).toMatch(/^https:\/\/huggingface\.co\/.+\/config\.json$/);
  });

  test('an 80 GB H100 reports 81,559 MiB, just under 80 GiB', () => {
    expect(h100.reportedBytes / 2 ** 20).toBe(81_559);
    expect(h100.reportedBytes).toBeLessThan(80 * GiB);
    expect(h100.reportedBytes).toBeGreaterThan(79 * GiB);
  });
});

describe('formatting and input', () => {
  test('sizes show GiB with GB beside them', () => {
    expect(formatSize(40 * GiB)).toBe('40.0 GiB (42.9 GB)');
    expect(formatSize(112e9)).toBe('104.3 GiB (112.0 GB)');
    expect(formatSize(327_680)).toBe('320.0 KiB (327.7 kB)');
    expect(formatSize(512)).toBe('512 bytes');
  });

  test('numbers outside their limits get a message naming the field', () => {
    expect(parseNumber('131,072', limits.tokens)).toEqual({ value: 131_072 });
    expect(parseNumber('0', limits.layers).error).toBe(
      'Layers must be a whole number from 1 to 1,000; 0 is outside.',
    );
    expect(parseNumber('2.5', limits.batch).error).toMatch(/^Batch size must be a whole number/);
    expect(parseNumber('', limits.headroom).error).toBe('Headroom: enter a number from 0 to 90.');
    expect(parseNumber('abc', limits.kvHeads).error).toMatch(/^KV heads: enter/);
  });
});

const inference: InferenceInput = {
  parameters: countParameters(llama70b.shape),
  layers: 80,
  kvHeads: 8,
  headDim: 128,
  weightPrecision: 'bf16',
  kvPrecision: 'bf16',
  tokens: 131_072,
  batch: 1,
  accelerator: h100,
  headroomPercent: 10,
  model: { name: llama70b.name, contextTokens: llama70b.contextTokens },
};

describe('inference view', () => {
  test('adds weights and cache and says how many accelerators hold them', () => {
    const view = inferenceView(inference);
    const total = weightBytes(inference.parameters, 2) + 40 * GiB;
    expect(view.rows.map((row) => row.key)).toEqual([
      'weights',
      'kv-cache',
      'kv-per-token',
      'total',
    ]);
    expect(view.rows[1].size).toBe('40.0 GiB (42.9 GB)');
    expect(view.rows[0].formula).toBe(
      '70,553,706,496 parameters × 2 bytes (bf16) = 141,107,412,992 bytes = 131.4 GiB (141.1 GB)',
    );
    expect(view.rows[3].formula).toBe(
      `141,107,412,992 + 42,949,672,960 = ${total.toLocaleString('en-US')} bytes = 171.4 GiB (184.1 GB)`,
    );
    const usable = usableBytes(h100, 10);
    expect(devicesNeeded(total, usable)).toBe(3);
    expect(view.fits).toBe(false);
    expect(view.verdict).toMatch(/^Needs at least 3 × NVIDIA H100 80 GB .* so 4 in practice\.$/);
    expect(view.notes).toEqual([]);
  });

  test('fits one accelerator when the total does, and int4 warns about scales', () => {
    const view = inferenceView({
      ...inference,
      weightPrecision: 'int4',
      tokens: 8192,
      accelerator: getAccelerator('h200-141')!,
    });
    expect(view.fits).toBe(true);
    expect(view.verdict).toMatch(/^Fits on one NVIDIA H200 141 GB/);
    expect(view.notes.join(' ')).toMatch(/scale/);
  });

  test('warns when the tokens exceed the model’s context window', () => {
    const view = inferenceView({ ...inference, tokens: 200_000 });
    expect(view.notes[0]).toBe(
      "200,000 tokens is beyond Llama 3 / 3.1 70B's context window of 131,072 tokens.",
    );
  });
});

describe('training: model states', () => {
  test('mixed-precision Adam is 16 bytes per parameter: 112 GB for 7B', () => {
    const states = modelStateBytes(7e9, 'mixed-adam', 'none', 1);
    expect(states).toEqual({ weights: 14e9, gradients: 14e9, optimizer: 84e9 });
    expect((states.weights + states.gradients + states.optimizer) / GB).toBe(112);
  });

  test('reproduces the ZeRO paper: 7.5B on 64 GPUs is 120, 31.4, 16.6 and 1.9 GB', () => {
    const total = (sharding: 'none' | 'zero1' | 'zero2' | 'zero3') => {
      const s = modelStateBytes(7.5e9, 'mixed-adam', sharding, 64);
      return Math.round((s.weights + s.gradients + s.optimizer) / 1e8) / 10;
    };
    expect([total('none'), total('zero1'), total('zero2'), total('zero3')]).toEqual([
      120, 31.4, 16.6, 1.9,
    ]);
  });

  test('ZeRO-3 on 8 GPUs divides every state by 8; no sharding divides none', () => {
    const full = modelStateBytes(llama2Params(), 'mixed-adam', 'none', 8);
    const zero3 = modelStateBytes(llama2Params(), 'mixed-adam', 'zero3', 8);
    expect(zero3.weights * 8).toBe(full.weights);
    expect(zero3.gradients * 8).toBe(full.gradients);
    expect(zero3.optimizer * 8).toBe(full.optimizer);
    const zero1 = modelStateBytes(llama2Params(), 'mixed-adam', 'zero1', 8);
    expect(zero1.weights).toBe(full.weights);
    expect(zero1.optimizer * 8).toBe(full.optimizer);
  });

  test('matches question 28’s 7B table (GB per GPU)', () => {
    const gb = (
      scheme: 'mixed-adam' | 'mixed-adam-8bit',
      sharding: 'none' | 'zero3',
      n: number,
    ) => {
      const s = modelStateBytes(llama2Params(), scheme, sharding, n);
      return Math.round((s.weights + s.gradients + s.optimizer) / 1e8) / 10;
    };
    expect(gb('mixed-adam', 'none', 1)).toBe(107.8);
    expect(gb('mixed-adam-8bit', 'none', 1)).toBe(67.4);
    expect(gb('mixed-adam', 'zero3', 8)).toBe(13.5);
  });
});

function llama2Params(): number {
  return countParameters(llama2.shape);
}

const activations: ActivationInput = {
  sequence: 4096,
  microBatch: 1,
  hiddenSize: 4096,
  layers: 32,
  attentionHeads: 32,
  flashAttention: false,
  checkpointing: false,
  scale: 1,
};

describe('training: activations (Korthikanti et al.)', () => {
  test('reproduce question 28: 104.2, 18.3 and 1.64 GB for one 4,096-token sequence', () => {
    const gb = (input: ActivationInput, digits: number) =>
      Number((activationBytes(input) / GB).toFixed(digits));
    expect(gb(activations, 1)).toBe(104.2);
    expect(gb({ ...activations, flashAttention: true }, 1)).toBe(18.3);
    expect(gb({ ...activations, flashAttention: true, checkpointing: true }, 2)).toBe(1.64);
  });

  test('checkpointing keeps 2·s·b·h per layer plus the layer being rebuilt', () => {
    const sbh = 4096 * 4096;
    expect(activationBytes({ ...activations, checkpointing: true })).toBe(
      2 * sbh * 32 + 34 * sbh + 5 * 32 * 4096 * 4096,
    );
    expect(activationBytes({ ...activations, checkpointing: true })).toBeLessThan(
      activationBytes(activations) / 10,
    );
  });

  test('fp32 doubles them and micro-batch scales them', () => {
    expect(activationBytes({ ...activations, scale: 2 })).toBe(2 * activationBytes(activations));
    expect(activationBytes({ ...activations, microBatch: 3 })).toBe(
      3 * activationBytes(activations),
    );
  });

  test('shows the formula with the numbers filled in', () => {
    expect(activationFormula({ ...activations, flashAttention: true, checkpointing: true })).toBe(
      '2·s·b·h·L + 34·s·b·h = 2 × 4,096 × 1 × 4,096 × 32 + 34 × 4,096 × 1 × 4,096 ' +
        '= 1,644,167,168 bytes = 1.53 GiB (1.64 GB)',
    );
    expect(activationFormula(activations)).toMatch(
      /^L × \(34·s·b·h \+ 5·a·s²·b\) = 32 × \(34 × 4,096 × 1 × 4,096 \+ 5 × 32 × 4,096² × 1\) = 104,152,956,928 bytes/,
    );
  });
});

const training: TrainingInput = {
  parameters: countParameters(llama2.shape),
  layers: 32,
  hiddenSize: 4096,
  attentionHeads: 32,
  scheme: 'mixed-adam',
  sequence: 4096,
  microBatch: 1,
  flashAttention: true,
  checkpointing: true,
  sharding: 'zero3',
  gpus: 8,
  accelerator: h100,
  headroomPercent: 10,
};

describe('training view', () => {
  test('ZeRO-3 on eight H100s with a checkpointed micro-batch fits (question 28)', () => {
    const view = trainingView(training);
    expect(view.rows.map((row) => row.key)).toEqual([
      'weights',
      'gradients',
      'optimizer',
      'activations',
      'per-gpu',
    ]);
    expect(view.fits).toBe(true);
    expect(view.rows[0].formula).toBe(
      '2 bytes × 6,738,415,616 parameters ÷ 8 GPUs (ZeRO-3 / FSDP shards weights) ' +
        '= 1,684,603,904 bytes = 1.57 GiB (1.68 GB)',
    );
    expect(view.rows[3].label).toBe('Activations (checkpointed)');
    expect(view.rows[4].formula).toMatch(/model states are 2 bytes per parameter per GPU$/);
  });

  test('without sharding on one H100 it does not fit, and the verdict says by how much', () => {
    const view = trainingView({ ...training, sharding: 'none', gpus: 1 });
    expect(view.fits).toBe(false);
    expect(view.verdict).toMatch(/^Does not fit on one NVIDIA H100 80 GB: .* over\)\.$/);
    expect(view.rows[4].formula).toMatch(/16 bytes per parameter per GPU$/);
  });

  test('turning checkpointing off raises the per-GPU figure', () => {
    const on = trainingView({ ...training, flashAttention: false });
    const off = trainingView({ ...training, flashAttention: false, checkpointing: false });
    expect(on.fits).toBe(true);
    expect(off.fits).toBe(false);
    expect(off.rows[3].label).toBe('Activations');
  });

  test('replicas without sharding get a note', () => {
    expect(trainingView({ ...training, sharding: 'none' }).notes[0]).toMatch(/replicas/);
  });
});
