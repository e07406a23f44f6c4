"""One RLAIF-V round of DPO with LLaMA-Factory: fill recipes/llama-factory/dpo.yaml and run `llamafactory-cli train`.

Written against: LLaMA-Factory v0.9.5 (`pip install llamafactory==0.9.5`, which pins transformers <= 5.6.0,
peft 0.18.x, trl <= 0.24.0), torch 2.8. Templates: llava (llava-hf/llava-1.5-7b-hf), qwen2_vl (Qwen2-VL).
GPU memory (estimate, docs/trainers.md): LoRA 7B ~20-24 GB, plus a second bf16 copy of the base (~14 GB) from
round 2 on, when pi_ref is the base plus the previous adapter; full 7B ~113 GB + a 14 GB reference model
(LLaMA-Factory always runs a reference model): DeepSpeed over several GPUs.

Reference log-probs: LLaMA-Factory cannot take precomputed ones (v0.9.5 src/llamafactory/train/dpo/trainer.py
sets precompute_ref_log_probs = False and computes them each step with the reference model, or with the
adapter disabled), so --ref-logps is accepted and ignored, with a note on stderr.

Usage (the common recipe interface, recipes/README.md):
  python3 recipes/llama-factory/train.py --dataset DIR --base-model NAME_OR_DIR --output-dir DIR --round N \
      --beta 0.1 --lr 5e-7 --ref-logps FILE [--mode full|lora] [--dry-run]
`--dataset DIR` reads DIR/llama-factory/ (rlaifv_dpo.jsonl, images/, dataset_info.json).
"""
import argparse
import glob
import json
import math
import os
import re
import shutil
import string
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PAPER_LR_FULL = 5e-7
DEFAULT_LR_LORA = 5e-6  # 10x the full rate, TRL's documented LoRA DPO practice (docs/trainers.md)


def parse_args(argv):
    p = argparse.ArgumentParser(description="One RLAIF-V round of DPO with LLaMA-Factory (recipes/README.md).")
    p.add_argument("--dataset", required=True, help="export folder; LLaMA-Factory's dataset is DIR/llama-factory/")
    p.add_argument("--base-model", required=True, help="the round's starting model: Hub id, model folder, or (LoRA) the previous adapter")
    p.add_argument("--output-dir", required=True, help="where the trained model (or adapter) and trainer_state.json go")
    p.add_argument("--round", type=int, required=True, help="round number (1-based)")
    p.add_argument("--beta", type=float, default=0.1, help="DPO beta (pref_beta; the paper: 0.1)")
    p.add_argument("--lr", type=float, default=None, help=f"peak learning rate (default {PAPER_LR_FULL} full, {DEFAULT_LR_LORA} lora)")
    p.add_argument("--ref-logps", default=None, help="accepted for the common interface and ignored: LLaMA-Factory computes pi_ref itself")
    p.add_argument("--mode", choices=["full", "lora"], default="full", help="finetuning_type")
    p.add_argument("--template", default=None, help="LLaMA-Factory chat template (default: llava or qwen2_vl from the model name)")
    p.add_argument("--epochs", type=float, default=4)
    p.add_argument("--global-batch", type=int, default=8)
    p.add_argument("--per-device-batch", type=int, default=1)
    p.add_argument("--gpus", type=int, default=1, help="GPUs LLaMA-Factory will use (sets the gradient accumulation)")
    p.add_argument("--warmup", type=float, default=0.05)
    p.add_argument("--cutoff-len", type=int, default=2048)
    p.add_argument("--image-max-pixels", type=int, default=768 * 768)
    p.add_argument("--lora-r", type=int, default=64)
    p.add_argument("--lora-alpha", type=int, default=128)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--checkpoints-per-epoch", type=int, default=4)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--dry-run", action="store_true", help="print the filled YAML and the command, run nothing")
    return p.parse_args(argv)


def fail(message):
    print(f"llama-factory/train.py: {message}", file=sys.stderr)
    sys.exit(2)


def guess_template(name):
    low = name.lower().replace("_", "-")
    if "qwen2-vl" in low:
        return "qwen2_vl"
    if "llava" in low:
        return "llava"
    fail(f"cannot tell the chat template of {name!r}; pass --template (llava, qwen2_vl, ...)")


def last_checkpoint(output_dir):
    found = [(int(m.group(1)), d) for d in glob.glob(os.path.join(output_dir, "checkpoint-*"))
             if (m := re.fullmatch(r"checkpoint-(\d+)", os.path.basename(d)))
             # The Trainer writes trainer_state.json after the weights and optimizer: a folder
             # without it is a save cut short by the kill, and resuming from it would fail.
             and os.path.isfile(os.path.join(d, "trainer_state.json"))]
    return max(found)[1] if found else None


def fill(template_text, values):
    """Substitute ${name}; drop the lines whose value is empty, so unset keys keep LLaMA-Factory's default."""
    out = []
    for line in template_text.splitlines():
        if line.lstrip().startswith("#"):
            out.append(line)
            continue
        names = re.findall(r"\$\{(\w+)\}", line)
        if names and all(values.get(n) in (None, "") for n in names):
            continue
        out.append(string.Template(line).substitute({k: "" if v is None else v for k, v in values.items()}))
    return "\n".join(out) + "\n"


def main(argv):
    args = parse_args(argv)
    lr = args.lr if args.lr is not None else (DEFAULT_LR_LORA if args.mode == "lora" else PAPER_LR_FULL)
    per_step = args.per_device_batch * args.gpus
    if args.global_batch % per_step:
        fail(f"--global-batch {args.global_batch} is not a multiple of {args.per_device_batch} x {args.gpus} GPUs")
    data_dir = os.path.join(args.dataset, "llama-factory")
    info = os.path.join(data_dir, "dataset_info.json")
    if not os.path.exists(info):
        fail(f"{info} not found; --dataset is the folder rlaifv exported (with llama-factory/ inside)")
    with open(info, encoding="utf-8") as f:
        entry = json.load(f).get("rlaifv_dpo")
    if not entry:
        fail(f"{info} has no rlaifv_dpo entry; re-export the dataset")
    with open(os.path.join(data_dir, entry["file_name"]), encoding="utf-8") as f:
        pairs = sum(1 for line in f if line.strip())
    if args.ref_logps:
        print(f"llama-factory/train.py: --ref-logps {args.ref_logps} ignored: LLaMA-Factory v0.9.5 cannot take precomputed "
              "reference log-probs and computes them with its reference model", file=sys.stderr)

    adapter = args.base_model if os.path.exists(os.path.join(args.base_model, "adapter_config.json")) else None
    if adapter and args.mode == "full":
        fail(f"{args.base_model} is a LoRA adapter; full mode needs a full model (or use --mode lora)")
    base = args.base_model
    if adapter:
        with open(os.path.join(adapter, "adapter_config.json"), encoding="utf-8") as f:
            base = json.load(f)["base_model_name_or_path"]

    steps_per_epoch = math.ceil(pairs / args.global_batch)
    total = math.ceil(steps_per_epoch * args.epochs)
    lora = args.mode == "lora"
    values = {
        "model": base,
        "adapter": adapter,
        "image_max_pixels": args.image_max_pixels,
        "finetuning_type": args.mode,
        "lora_rank": args.lora_r if lora else None,
        "lora_alpha": args.lora_alpha if lora else None,
        "lora_dropout": args.lora_dropout if lora else None,
        "lora_target": "all" if lora else None,  # all linear layers of the language model (vision tower frozen)
        "beta": args.beta,
        "ref_model": base if adapter else None,
        "ref_model_adapters": adapter,
        "dataset_dir": os.path.abspath(data_dir),
        "template": args.template or guess_template(base),
        "cutoff_len": args.cutoff_len,
        "output_dir": os.path.abspath(args.output_dir),
        "save_steps": max(1, steps_per_epoch // args.checkpoints_per_epoch),
        "per_device_batch": args.per_device_batch,
        "accumulation": args.global_batch // per_step,
        "lr": lr,
        "epochs": args.epochs,
        "warmup_steps": math.ceil(args.warmup * total),
        "resume": last_checkpoint(args.output_dir),
        "seed": args.seed if args.seed is not None else args.round,
    }
    with open(os.path.join(HERE, "dpo.yaml"), encoding="utf-8") as f:
        config = fill(f.read(), values)
    config_path = os.path.join(args.output_dir, "rlaifv-llamafactory.yaml")
    command = ["llamafactory-cli", "train", config_path]
    if args.dry_run:
        sys.stdout.write(config)
        print("$ " + " ".join(command), file=sys.stderr)
        return
    os.makedirs(args.output_dir, exist_ok=True)
    with open(config_path, "w", encoding="utf-8") as f:
        f.write(config)
    if shutil.which("llamafactory-cli") is None:
        fail("llamafactory-cli not found on PATH; pip install llamafactory==0.9.5")
    if values["resume"]:
        print(f"llama-factory/train.py: resuming from {values['resume']}", file=sys.stderr)
    sys.exit(subprocess.call(command))


if __name__ == "__main__":
    main(sys.argv[1:])
