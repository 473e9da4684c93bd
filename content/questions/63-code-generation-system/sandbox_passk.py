"""Run model-generated candidate functions against unit tests in a sandboxed subprocess, then
score them with the unbiased pass@k estimator of Chen et al. (2021).

Run: python3 sandbox_passk.py   (standard library only; POSIX, as it uses the resource module)

Design rules this sample follows
- Untrusted code never runs in this process: each candidate is written to a temporary
  directory and run by a separate `python3 -I -S` child with a wall-clock timeout, CPU,
  memory, file-size and core-dump limits, an empty environment and that directory as cwd.
- Expected outputs never enter the sandbox. The child only reports what the candidate
  returned for each input; this (trusted) process decides pass or fail. A candidate cannot
  fake a pass by printing "PASSED" or calling sys.exit(0).
- Production systems add isolation that a script cannot: no network, a read-only root file
  system, seccomp, a process-count limit (cgroup pids.max; RLIMIT_NPROC does not bind root),
  and a container or microVM (gVisor, Firecracker) per run. In particular this script does not
  isolate the file system: the child runs as the same user and could read that user's files,
  including /proc/<parent pid>/environ. Only the environment-variable route is tested below.

Checks
1. Correct candidates pass; wrong ones fail; an infinite loop is killed by the timeout; a
   memory bomb and a huge file write are stopped by the resource limits (each checked
   against what it attempted); a candidate that reads a secret environment
   variable of the parent finds nothing (the child gets an empty environment).
2. pass@k from the estimator equals (a) the value worked out by hand and (b) a brute-force
   count over every k-subset of the actual sample results.
3. Over many simulated problems (several seeds) the estimator is unbiased for 1-(1-p)^k,
   while the naive plug-in 1-(1-c/n)^k is biased (low, by Jensen's inequality).
"""
import itertools
import json
import math
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time

RUNNER = '''
# Runs only inside the sandboxed child: loads candidate.py there and reports its return values.
import importlib.util, json, sys
inputs = json.loads(sys.stdin.read())
spec = importlib.util.spec_from_file_location("candidate", "candidate.py")
outputs = []
try:
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fn = getattr(mod, sys.argv[1])
except BaseException as e:
    print(json.dumps({"load_error": type(e).__name__}))
    sys.exit(0)
for args in inputs:
    try:
        outputs.append({"ok": fn(*args)})
    except BaseException as e:
        outputs.append({"error": type(e).__name__})
print(json.dumps({"outputs": outputs}, default=repr))
'''

LIMITS = {"cpu_s": 1, "mem_bytes": 256 * 2**20, "file_bytes": 2**20, "wall_s": 2.0}


def _limit_child():  # runs in the child between fork and the exec of python
    resource.setrlimit(resource.RLIMIT_CPU, (LIMITS["cpu_s"], LIMITS["cpu_s"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (LIMITS["mem_bytes"], LIMITS["mem_bytes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMITS["file_bytes"], LIMITS["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.setsid()  # own process group, so a timeout kills everything it started


def run_candidate(source, fn_name, inputs):
    """Returns (status, outputs, workdir_bytes, returncode).
    status: ran | timeout | crashed | load_error."""
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "candidate.py"), "w") as f:
            f.write(source)
        with open(os.path.join(work, "runner.py"), "w") as f:
            f.write(RUNNER)
        proc = subprocess.Popen([sys.executable, "-I", "-S", "runner.py", fn_name], cwd=work,
                                env={}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, preexec_fn=_limit_child)
        try:
            out, _ = proc.communicate(json.dumps(inputs).encode(), timeout=LIMITS["wall_s"])
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.communicate()
            status, outputs = "timeout", None
        else:
            lines = out.decode(errors="replace").strip().splitlines()
            try:
                result = json.loads(lines[-1]) if lines else {}
            except ValueError:
                result = {}
            if "outputs" in result and proc.returncode == 0:
                status, outputs = "ran", result["outputs"]
            elif "load_error" in result:
                status, outputs = "load_error", None
            else:
                status, outputs = "crashed", None
        used = sum(os.path.getsize(os.path.join(work, n)) for n in os.listdir(work))
    return status, outputs, used, proc.returncode


def passes(status, outputs, expected):
    return status == "ran" and len(outputs) == len(expected) and all(
        o.get("ok") == e for o, e in zip(outputs, expected))


# ------------------------------------------------------------------ tests and candidates
TESTS = {  # expected outputs stay in this process
    "count_vowels": ([["hello"], ["AEIOU xyz"], [""], ["rhythm"]], [2, 5, 0, 0]),
    "running_max": ([[[3, 1, 4, 1, 5]], [[-2, -5, -1]], [[]]], [[3, 3, 4, 4, 5], [-2, -2, -1], []]),
}
CANDIDATES = {
    "count_vowels": {
        "correct": "def count_vowels(s):\n    return sum(ch in 'aeiouAEIOU' for ch in s)\n",
        "correct_lower": "def count_vowels(s):\n    return sum(1 for ch in s.lower() if ch in 'aeiou')\n",
        "misses_upper": "def count_vowels(s):\n    return sum(ch in 'aeiou' for ch in s)\n",
        "returns_list": "def count_vowels(s):\n    return [ch for ch in s if ch in 'aeiouAEIOU']\n",
        "counts_y": "def count_vowels(s):\n    return sum(ch in 'aeiouyAEIOUY' for ch in s)\n",
        "prints_pass": "import sys\ndef count_vowels(s):\n    print('ALL TESTS PASSED'); sys.exit(0)\n",
        "infinite_loop": "def count_vowels(s):\n    while True:\n        pass\n",
        "memory_bomb": "def count_vowels(s):\n    x = bytearray(2 * 1024**3)\n    return 0\n",
        "file_bomb": "def count_vowels(s):\n    with open('junk.bin', 'wb') as f:\n"
                     "        f.write(b'0' * 50_000_000)\n    return 0\n",
        "reads_secret": "import os\ndef count_vowels(s):\n    return os.environ.get('API_KEY', 'no-secret-visible')\n",
    },
    "running_max": {
        "correct": "def running_max(xs):\n    out, m = [], None\n    for x in xs:\n"
                   "        m = x if m is None or x > m else m\n        out.append(m)\n    return out\n",
        "correct_accumulate": "import itertools\ndef running_max(xs):\n    return list(itertools.accumulate(xs, max))\n",
        "zero_init": "def running_max(xs):\n    out, m = [], 0\n    for x in xs:\n        m = max(m, x)\n"
                     "        out.append(m)\n    return out\n",
        "syntax_error": "def running_max(xs)\n    return xs\n",
        "empty_crash": "def running_max(xs):\n    out = [xs[0]]\n    for x in xs[1:]:\n"
                       "        out.append(max(out[-1], x))\n    return out\n",
    },
}

os.environ["API_KEY"] = "sk-parent-secret-123"  # the parent holds a secret; the child must not see it
t0 = time.time()
results = {}
for task, cands in CANDIDATES.items():
    inputs, expected = TESTS[task]
    for name, src in cands.items():
        status, outputs, used, rc = run_candidate(src, task, inputs)
        results[(task, name)] = (passes(status, outputs, expected), status, outputs, used, rc)
elapsed = time.time() - t0

verdict = {k: v[0] for k, v in results.items()}
assert verdict[("count_vowels", "correct")] and verdict[("count_vowels", "correct_lower")]
assert verdict[("running_max", "correct")] and verdict[("running_max", "correct_accumulate")]
assert sum(verdict.values()) == 4  # everything else fails
# The infinite loop is stopped by the CPU limit (SIGXCPU) or, failing that, the wall-clock timeout.
assert results[("count_vowels", "infinite_loop")][1] == "timeout" or \
    results[("count_vowels", "infinite_loop")][4] == -signal.SIGXCPU
assert results[("count_vowels", "memory_bomb")][2] and all(
    o.get("error") == "MemoryError" for o in results[("count_vowels", "memory_bomb")][2])
# Python ignores SIGXFSZ, so the write fails with OSError (EFBIG) at the limit instead.
assert all(o.get("error") == "OSError" for o in results[("count_vowels", "file_bomb")][2])
assert results[("count_vowels", "file_bomb")][3] <= LIMITS["file_bytes"] + 10_000  # 50 MB never written
assert all(o.get("error") == "SystemExit" for o in results[("count_vowels", "prints_pass")][2])  # no pass
assert all(o.get("ok") == "no-secret-visible" for o in results[("count_vowels", "reads_secret")][2])
assert results[("running_max", "syntax_error")][1] == "load_error"
assert results[("running_max", "zero_init")][2][1] == {"ok": [0, 0, 0]}  # wrong on all-negative input


# ------------------------------------------------------------------ pass@k
def pass_at_k(n, c, k):
    """Unbiased estimator from Chen et al. (2021): 1 - C(n-c, k) / C(n, k), computed as a
    numerically stable product, as in the paper's reference implementation."""
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= 1.0 - k / i
    return 1.0 - prod


def brute_force(sample_passes, k):
    """Fraction of all k-subsets of the n actual samples that contain at least one pass."""
    subsets = list(itertools.combinations(sample_passes, k))
    return sum(any(s) for s in subsets) / len(subsets)


per_task = {}
for task, cands in CANDIDATES.items():
    sample = [verdict[(task, name)] for name in cands]  # treat the candidates as n samples
    n, c = len(sample), sum(sample)
    per_task[task] = (n, c, {k: pass_at_k(n, c, k) for k in (1, 3)})
    for k in (1, 2, 3):
        assert abs(pass_at_k(n, c, k) - brute_force(sample, k)) < 1e-12

# By hand: count_vowels has n = 10 samples, c = 2 correct.
#   pass@1 = 1 - C(8,1)/C(10,1) = 1 - 8/10 = 0.2
#   pass@3 = 1 - C(8,3)/C(10,3) = 1 - 56/120 = 0.5333...
# running_max has n = 5, c = 2:  pass@3 = 1 - C(3,3)/C(5,3) = 1 - 1/10 = 0.9
assert per_task["count_vowels"][:2] == (10, 2) and per_task["running_max"][:2] == (5, 2)
assert abs(per_task["count_vowels"][2][1] - 0.2) < 1e-12
assert abs(per_task["count_vowels"][2][3] - 64 / 120) < 1e-12
assert abs(per_task["running_max"][2][3] - 0.9) < 1e-12
assert abs(pass_at_k(200, 0, 100)) < 1e-12 and pass_at_k(200, 101, 100) == 1.0

# Unbiasedness: a problem whose samples pass with probability p has true pass@k = 1 - (1-p)^k.
# Draw n = 10 samples per problem, estimate, and average over many problems.
for seed in range(5):
    rng = random.Random(seed)
    k, n, p = 5, 10, 0.15
    true = 1 - (1 - p) ** k
    est, naive = [], []
    for _ in range(20_000):
        c = sum(rng.random() < p for _ in range(n))
        est.append(pass_at_k(n, c, k))
        naive.append(1 - (1 - c / n) ** k)
    mean_est, mean_naive = sum(est) / len(est), sum(naive) / len(naive)
    assert abs(mean_est - true) < 0.01, (seed, mean_est, true)
    assert mean_naive - true < -0.02, (seed, mean_naive, true)  # plug-in underestimates here

print(f"sandbox: {len(results)} candidates in {elapsed:.2f}s")
for (task, name), (ok, status, _, used, rc) in results.items():
    print(f"  {task:13s} {name:19s} {'PASS' if ok else 'fail'}  status={status} exit={rc}")
for task, (n, c, pk) in per_task.items():
    print(f"  {task}: n={n} c={c} pass@1={pk[1]:.3f} pass@3={pk[3]:.3f} (matches brute force)")
print(f"unbiasedness (k=5, n=10, p=0.15, 5 seeds): true {1 - 0.85 ** 5:.3f}; "
      f"estimator within 0.01, naive plug-in biased low")
