import { spawnSync } from 'node:child_process';

/** The Python that has PyTorch: Debian's python3-torch installs into the system Python. */
export const pythonWithTorch = process.env.PYTHON_WITH_TORCH ?? '/usr/bin/python3';

export function findTorch(): { ok: true; version: string } | { ok: false; reason: string } {
  const probe = spawnSync(
    pythonWithTorch,
    ['-c', 'import torch, numpy; print(torch.__version__)'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.status === 0) return { ok: true, version: probe.stdout.trim() };
  return {
    ok: false,
    reason: `${pythonWithTorch} cannot import torch and numpy (install Debian's python3-torch): ${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}`,
  };
}
