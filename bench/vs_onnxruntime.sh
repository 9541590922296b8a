#!/usr/bin/env bash
# kernelscope against ONNX Runtime on the same ViTs (not part of CI).
#
#   bench/vs_onnxruntime.sh [kernelscope-binary] [work-dir]
#
# Builds seeded torchvision ViTs at 224 px with Debian's torch (/usr/bin/python3):
# each as .safetensors (what kernelscope reads) and as ONNX (torch.onnx.export).
# Installs onnxruntime-node from the npm registry (--ignore-scripts) into the work
# folder. Then times both engines alternately, ROUNDS times, each round one
# `kernelscope bench` (every layer's attention recorded) and one ORT run of RUNS
# inferences after a warm-up, both on THREADS threads; prints the median of the
# rounds' medians and the ratio per model.
#
# To add a model: one line in MODELS below (name, then what make_model builds) and,
# when it is not a torchvision ViT, a branch in make_model.
#
# ResNet-50: kernelscope's figure is a forward pass plus one backward pass (the
# effective kernel at layer4's centre, what `render --stage` computes), ORT's a forward
# pass. kernelscope runs with OMP_WAIT_POLICY=passive unless told otherwise (its
# threads sleep between parallel regions instead of spinning: on a loaded machine
# libgomp's spinning default cost it several times over); GOMP_SPINCOUNT=300000 in the
# environment gives libgomp's default back. bench/app_latency.sh measures what passive
# waiting costs on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
KS=${1:-build/kernelscope}
WORK=${2:-$(mktemp -d /tmp/ks_vs_ort.XXXXXX)}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-10}
ONLY=${ONLY:-}   # e.g. ONLY=ResNet-50: time just the models whose name contains it
ORT_VERSION=1.20.1
mkdir -p "$WORK"
KS=$(realpath "$KS")

# name | kind | hidden | heads | mlp | layers   (all at 224 px, patch 16)
MODELS=(
  "ViT-Ti/16|vit|192|3|768|12"
  "ViT-S/16|vit|384|6|1536|12"
  "ViT-B/16|vit|768|12|3072|12"
  "ResNet-50|resnet50"        # kernelscope: forward + one backward (effective kernel); ORT: forward
)

# make_model NAME KIND ARGS... -> $WORK/<file>.safetensors and .onnx
make_model() {
  local name=$1 kind=$2; shift 2
  local file; file=$(echo "$name" | tr '/' '_')
  [ -f "$WORK/$file.onnx" ] && [ -f "$WORK/$file.safetensors" ] && return
  case "$kind" in
    vit)
      /usr/bin/python3 - "$WORK/$file" "$@" <<'PY'
import sys, torch
sys.path.insert(0, "tools")
from pth_to_safetensors import write_safetensors
from torchvision.models.vision_transformer import VisionTransformer
out, D, H, M, L = sys.argv[1], *map(int, sys.argv[2:6])
torch.manual_seed(0)
m = VisionTransformer(image_size=224, patch_size=16, num_layers=L, num_heads=H, hidden_dim=D, mlp_dim=M).eval()
write_safetensors(out + ".safetensors", {k: v.contiguous() for k, v in m.state_dict().items()}, {"format": "pt"})
torch.onnx.export(m, torch.randn(1, 3, 224, 224), out + ".onnx", opset_version=14,
                  input_names=["input"], output_names=["logits"])
PY
      ;;
    resnet50)  # torchvision's ResNet-50, random weights; BatchNorm statistics do not change the cost
      /usr/bin/python3 - "$WORK/$file" <<'PY'
import sys, torch
sys.path.insert(0, "tools")
from pth_to_safetensors import write_safetensors
from torchvision.models import resnet50
torch.manual_seed(0)
m = resnet50(weights=None).eval()
write_safetensors(sys.argv[1] + ".safetensors", {k: v.contiguous() for k, v in m.state_dict().items()}, {"format": "pt"})
torch.onnx.export(m, torch.randn(1, 3, 224, 224), sys.argv[1] + ".onnx", opset_version=14,
                  input_names=["input"], output_names=["logits"])
PY
      ;;
    *) echo "unknown model kind $kind" >&2; exit 1 ;;
  esac
}

# ONNX Runtime for Node: the npm package carries its native library.
if [ ! -d "$WORK/ort/node_modules/onnxruntime-node" ]; then
  mkdir -p "$WORK/ort"
  (cd "$WORK/ort" && npm install --silent --no-audit --no-fund --ignore-scripts "onnxruntime-node@$ORT_VERSION" >/dev/null)
fi
cat > "$WORK/ort/time.js" <<'JS'
// node time.js model.onnx runs threads -> "median <ms>"
const ort = require('onnxruntime-node');
(async () => {
  const [model, runs, threads] = [process.argv[2], +process.argv[3], +process.argv[4]];
  const s = await ort.InferenceSession.create(model, {intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all'});
  const x = new ort.Tensor('float32', Float32Array.from({length: 3 * 224 * 224}, () => Math.random() * 2 - 1),
                           [1, 3, 224, 224]);
  const feeds = {[s.inputNames[0]]: x};
  await s.run(feeds);  // warm-up
  const t = [];
  for (let i = 0; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    await s.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  const n = t.length, med = n % 2 ? t[(n - 1) / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  console.log(`median ${med.toFixed(2)}`);
})();
JS

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; $THREADS threads, $ROUNDS rounds x $RUNS runs"
printf '%-10s %14s %10s %7s\n' model "kernelscope ms" "ORT ms" ratio
for spec in "${MODELS[@]}"; do
  IFS='|' read -r name kind args <<<"$spec"
  [ -n "$ONLY" ] && [[ "$name" != *"$ONLY"* ]] && continue
  IFS='|' read -r -a argv <<<"$args"
  make_model "$name" "$kind" "${argv[@]}"
  file=$(echo "$name" | tr '/' '_')
  ks_t=(); ort_t=()
  for ((r = 0; r < ROUNDS; ++r)); do  # alternate, so load on the machine hits both engines
    ks_t+=("$("$KS" bench --weights "$WORK/$file.safetensors" --runs "$RUNS" --threads "$THREADS" |
              awk '/^forward median/ {print $3}')")
    ort_t+=("$(OMP_NUM_THREADS=$THREADS node "$WORK/ort/time.js" "$WORK/$file.onnx" "$RUNS" "$THREADS" | awk '{print $2}')")
  done
  k=$(printf '%s\n' "${ks_t[@]}" | median); o=$(printf '%s\n' "${ort_t[@]}" | median)
  printf '%-10s %14.1f %10.1f %7.2f\n' "$name" "$k" "$o" "$(awk -v k="$k" -v o="$o" 'BEGIN {print k / o}')"
done
