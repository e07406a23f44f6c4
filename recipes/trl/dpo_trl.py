"""One RLAIF-V round of DPO with TRL's DPOTrainer on a vision-language model (docs/trainers.md).

Written against: trl 1.9.0, transformers 5.x (>= 5.0; TrainingArguments fields checked against a 5.1-era
snapshot, recipes/trl/dpo-config-fields.txt), peft 0.18.1, torch 2.8, datasets 4.x, Python >= 3.10.
Models: the LLaVA-1.5 family (llava-hf/llava-1.5-7b-hf) and the Qwen2-VL family (Qwen/Qwen2-VL-7B-Instruct).

GPU memory (an estimate, reasoned, not measured here):
  --mode full  7B: parameters kept in fp32 with bf16 autocast, because a 5e-7 update is below bf16's
               resolution for most weights (8 mantissa bits: a weight of 1e-2 moves in steps of ~4e-5), so
               16 bytes/parameter (fp32 weights 4 + grads 4 + AdamW m, v 8) = ~113 GB for LLaVA-1.5-7B
               (7.06e9 parameters), ~133 GB for Qwen2-VL-7B (8.3e9), plus a few GB of activations with
               gradient checkpointing: DeepSpeed ZeRO-3 over 2+ 80 GB GPUs (the paper used 8 x A100 80 GB),
               or one 141 GB H200 at the edge. No reference model in memory (exported log-probs).
  --mode lora  7B: the frozen base in bf16 (~14 GB; ~17 GB for Qwen2-VL-7B) + the adapter (r 64 on the language
               model's linear layers: ~160M parameters x 16 bytes = ~2.6 GB) + activations: ~20-24 GB, one
               40/48 GB GPU. The reference is the exported log-probs (or the model with the adapter disabled).

Usage (the common recipe interface, recipes/README.md):
  python recipes/trl/dpo_trl.py --dataset DIR --base-model NAME_OR_DIR --output-dir DIR --round N \
      --beta 0.1 --lr 5e-7 --ref-logps FILE [--mode full|lora] [--epochs 4] ...
Several GPUs: `accelerate launch [--config_file zero3.yaml] recipes/trl/dpo_trl.py ...`; the gradient
accumulation is derived so that per-device batch x accumulation x GPUs = --global-batch.
"""
import argparse
import glob
import json
import math
import os
import re
import sys

# The paper's hyperparameters (Yu et al., RLAIF-V, and its DPO code): beta 0.1, 4 epochs, cosine schedule,
# 5% linear warm-up, global batch 8, learning rate 5e-7 for a full fine-tune; summed log-probs: TRL's sigmoid
# loss sums the per-token log-probs of each response (DPOTrainer._compute_loss, `ld_alpha` unset).
PAPER_LR_FULL = 5e-7
# LoRA: 10x the full fine-tuning rate, TRL's documented DPO row (docs/source/peft_integration.md,
# "Learning Rate Considerations": DPO 5.0e-7 full, 5.0e-6 with LoRA).
DEFAULT_LR_LORA = 5e-6
LORA_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


def parse_args(argv):
    p = argparse.ArgumentParser(description="One RLAIF-V round of DPO with TRL (recipes/README.md).")
    # The common interface every recipe accepts.
    p.add_argument("--dataset", required=True, help="folder with the TRL dataset train.jsonl + images/")
    p.add_argument("--base-model", required=True, help="the round's starting model and pi_ref: Hub id, model folder, or (LoRA) the previous round's adapter folder")
    p.add_argument("--output-dir", required=True, help="where the trained model (or adapter) and trainer_state.json go")
    p.add_argument("--round", type=int, required=True, help="round number (1-based); seeds the data order")
    p.add_argument("--beta", type=float, default=0.1, help="DPO beta (the paper: 0.1)")
    p.add_argument("--lr", type=float, default=None, help=f"peak learning rate (default {PAPER_LR_FULL} full, {DEFAULT_LR_LORA} lora)")
    p.add_argument("--ref-logps", default=None, help="JSONL of reference log-probs, one row per pair in dataset order; missing file: TRL computes them")
    # Recipe options.
    p.add_argument("--mode", choices=["full", "lora"], default="full", help="full fine-tune (the paper) or a LoRA adapter")
    p.add_argument("--epochs", type=float, default=4, help="passes over the pairs (the paper: 4)")
    p.add_argument("--global-batch", type=int, default=8, help="pairs per optimizer step over all GPUs (the paper: 8)")
    p.add_argument("--per-device-batch", type=int, default=1, help="pairs per GPU per forward pass")
    p.add_argument("--warmup", type=float, default=0.05, help="linear warm-up share of all steps (the paper: 5%%)")
    p.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (the paper: 0.01)")
    p.add_argument("--max-length", type=int, default=0, help="truncate prompt+response to this many tokens; 0 = never (image tokens count)")
    p.add_argument("--lora-r", type=int, default=64, help="LoRA rank")
    p.add_argument("--lora-alpha", type=int, default=128, help="LoRA alpha (2 x r)")
    p.add_argument("--lora-dropout", type=float, default=0.05, help="LoRA dropout")
    p.add_argument("--checkpoints-per-epoch", type=int, default=4, help="resumable checkpoints per epoch (kept: the last 2)")
    p.add_argument("--seed", type=int, default=None, help="data order seed (default: the round number)")
    return p.parse_args(argv)


def fail(message):
    print(f"dpo_trl.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    fail(f"{path}:{n}: not JSON ({e.msg}); re-export the dataset")
    return rows


def reference_logps(args, rows):
    """The exported log pi_ref per pair as two lists, or None when TRL must compute them (stated on stderr)."""
    if args.ref_logps and os.path.exists(args.ref_logps):
        ref = read_jsonl(args.ref_logps)
        if len(ref) != len(rows):
            fail(f"{args.ref_logps} has {len(ref)} rows but {args.dataset}/train.jsonl has {len(rows)}; both come from the same export")
        pairs = [(r.get("ref_chosen_logps"), r.get("ref_rejected_logps")) for r in ref]
        where = args.ref_logps
    elif rows and all("ref_chosen_logps" in r and "ref_rejected_logps" in r for r in rows):
        pairs = [(r["ref_chosen_logps"], r["ref_rejected_logps"]) for r in rows]
        where = f"{args.dataset}/train.jsonl columns"
    else:
        missing = f"{args.ref_logps} does not exist" if args.ref_logps else "no --ref-logps"
        print(f"dpo_trl.py: {missing} and the dataset has no ref_*_logps columns: TRL computes the reference log-probs "
              "with a reference model (full mode: a second copy of the model in GPU memory)", file=sys.stderr)
        return None
    for i, (c, r) in enumerate(pairs):
        if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in (c, r)):
            fail(f"{where}: row {i + 1} has ref_chosen_logps={c!r}, ref_rejected_logps={r!r}; both must be finite numbers")
    print(f"dpo_trl.py: reference log-probs from {where} ({len(pairs)} pairs); no reference model is run", file=sys.stderr)
    return [c for c, _ in pairs], [r for _, r in pairs]


def last_checkpoint(output_dir):
    """The newest complete checkpoint-N folder of a killed run, by step number, or None."""
    found = [(int(m.group(1)), d) for d in glob.glob(os.path.join(output_dir, "checkpoint-*"))
             if (m := re.fullmatch(r"checkpoint-(\d+)", os.path.basename(d)))
             # The Trainer writes trainer_state.json after the weights and optimizer: a folder
             # without it is a save cut short by the kill, and resuming from it would fail.
             and os.path.isfile(os.path.join(d, "trainer_state.json"))]
    return max(found)[1] if found else None


def main(argv):
    args = parse_args(argv)
    lr = args.lr if args.lr is not None else (DEFAULT_LR_LORA if args.mode == "lora" else PAPER_LR_FULL)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    per_step = args.per_device_batch * world
    if args.global_batch % per_step:
        fail(f"--global-batch {args.global_batch} is not a multiple of per-device batch {args.per_device_batch} x {world} GPUs")
    accumulation = args.global_batch // per_step

    train_file = os.path.join(args.dataset, "train.jsonl")
    if not os.path.exists(train_file):
        fail(f"{train_file} not found; --dataset is the folder `rlaifv` exported (train.jsonl + images/)")
    rows = read_jsonl(train_file)
    if not rows:
        fail(f"{train_file} has no pairs")
    ref = reference_logps(args, rows)

    # Heavy imports after the argument checks, so a wrong path fails in a second.
    import torch
    import transformers
    from datasets import Dataset, Image
    from transformers import AutoModelForImageTextToText, AutoProcessor
    from trl import DPOConfig, DPOTrainer

    try:
        from datasets import List as ListFeature
    except ImportError:  # datasets < 4
        from datasets import Sequence as ListFeature

    # Columns: images (absolute paths -> PIL), prompt/chosen/rejected (conversational), and the reference.
    data = {
        "images": [[os.path.join(args.dataset, p) for p in r["images"]] for r in rows],
        "prompt": [r["prompt"] for r in rows],
        "chosen": [r["chosen"] for r in rows],
        "rejected": [r["rejected"] for r in rows],
    }
    if ref is not None:
        data["ref_chosen_logps"], data["ref_rejected_logps"] = ref
    dataset = Dataset.from_dict(data).cast_column("images", ListFeature(Image()))

    # The base model, or in LoRA mode from round 2 on the previous round's adapter over its base.
    adapter_dir = args.base_model if os.path.exists(os.path.join(args.base_model, "adapter_config.json")) else None
    if adapter_dir and args.mode == "full":
        fail(f"{args.base_model} is a LoRA adapter; full mode needs a full model (merge the adapter first, or use --mode lora)")
    base = args.base_model
    if adapter_dir:
        with open(os.path.join(adapter_dir, "adapter_config.json"), encoding="utf-8") as f:
            base = json.load(f)["base_model_name_or_path"]
    major = int(transformers.__version__.split(".")[0])
    # Full: fp32 parameters (see the memory note above); LoRA: a frozen bf16 base, fp32 adapter (peft's default).
    dtype = torch.float32 if args.mode == "full" else torch.bfloat16
    model = AutoModelForImageTextToText.from_pretrained(base, **({"dtype": dtype} if major >= 5 else {"torch_dtype": dtype}))
    processor = AutoProcessor.from_pretrained(adapter_dir if adapter_dir and os.path.exists(os.path.join(adapter_dir, "preprocessor_config.json")) else base)

    peft_config = None
    if adapter_dir:
        from peft import PeftModel

        # Continue the same adapter, so the output is again one adapter over the original base (vLLM serves
        # one adapter per request over the base; it cannot stack them).
        model = PeftModel.from_pretrained(model, adapter_dir, is_trainable=True)
    elif args.mode == "lora":
        from peft import LoraConfig

        # The language model's linear layers only: what vLLM serves as a VLM's adapter (docs/trainers.md).
        peft_config = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
                                 target_modules=LORA_TARGETS, bias="none", task_type="CAUSAL_LM")

    steps_per_epoch = math.ceil(len(rows) / args.global_batch)
    total_steps = math.ceil(steps_per_epoch * args.epochs)
    config = DPOConfig(
        output_dir=args.output_dir,
        beta=args.beta,
        loss_type=["sigmoid"],
        learning_rate=lr,
        lr_scheduler_type="cosine",
        # An integer step count means the same in transformers 4.x and 5.x (a float ratio does not).
        warmup_steps=math.ceil(args.warmup * total_steps),
        num_train_epochs=args.epochs,
        per_device_train_batch_size=args.per_device_batch,
        gradient_accumulation_steps=accumulation,
        weight_decay=args.weight_decay,
        max_grad_norm=1.0,
        max_length=args.max_length or None,
        bf16=True,
        gradient_checkpointing=True,
        # The reference columns must reach the collator; TRL's vision signature list would drop them.
        remove_unused_columns=False,
        logging_steps=1,
        save_strategy="steps",
        save_steps=max(1, steps_per_epoch // args.checkpoints_per_epoch),
        save_total_limit=2,
        report_to="none",
        seed=args.seed if args.seed is not None else args.round,
    )
    collator = RefLogpsCollator(processor=processor, max_length=config.max_length) if ref is not None else None
    trainer = DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=processor,
                         data_collator=collator, peft_config=peft_config)
    if ref is not None:
        # TRL 1.9 refuses precompute_ref_log_probs=True for vision datasets, yet its loss reads
        # inputs["ref_chosen_logps"] whenever `precompute_ref_logps` is set: set it after construction and drop
        # the reference copy it loaded (full mode), before the optimizer allocates anything.
        trainer.precompute_ref_logps = True
        if trainer.ref_model is not None:
            trainer.ref_model = None
            if torch.cuda.is_available():
                torch.cuda.empty_cache()

    resume = last_checkpoint(args.output_dir)
    if resume:
        print(f"dpo_trl.py: resuming from {resume}", file=sys.stderr)
    print(f"dpo_trl.py: round {args.round}, {args.mode}, {len(rows)} pairs, {total_steps} steps, lr {lr}, beta {args.beta}, "
          f"batch {args.per_device_batch} x {accumulation} x {world} GPUs", file=sys.stderr)
    trainer.train(resume_from_checkpoint=resume)
    trainer.save_model(args.output_dir)  # full weights, or the adapter (adapter_config.json names the original base)
    processor.save_pretrained(args.output_dir)
    trainer.save_state()  # trainer_state.json with log_history: what `rlaifv` reads into metrics.json


def _ref_logps_collator():
    """DataCollatorForVisionPreference that also carries the reference log-probs (TRL 1.9's vision collator drops them)."""
    import torch
    from trl.trainer.dpo_trainer import DataCollatorForVisionPreference

    class Collator(DataCollatorForVisionPreference):
        def torch_call(self, examples):
            chosen = [e.pop("ref_chosen_logps") for e in examples]
            rejected = [e.pop("ref_rejected_logps") for e in examples]
            out = super().torch_call(examples)
            out["ref_chosen_logps"] = torch.tensor(chosen, dtype=torch.float32)
            out["ref_rejected_logps"] = torch.tensor(rejected, dtype=torch.float32)
            return out

    return Collator


def RefLogpsCollator(**kwargs):
    return _ref_logps_collator()(**kwargs)


if __name__ == "__main__":
    main(sys.argv[1:])
