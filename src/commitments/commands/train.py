"""``commitments train``: fine-tune the commitment classifier on gold files.

A thin wrapper over :func:`commitments.train.trainer.train`; every option's
help text comes from :class:`commitments.train.args.TrainingArgs`.
"""
from __future__ import annotations

import click

from ..train.args import TrainingArgs, arg_help

_DEFAULTS = TrainingArgs()


@click.command(name="train")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--train-only", multiple=True, type=click.Path(dir_okay=False),
              help=arg_help("train_only"))
@click.option("-o", "--output", "output_dir", default=_DEFAULTS.output_dir, show_default=True,
              help=arg_help("output_dir"))
@click.option("--base", default=None, help=arg_help("base"))
@click.option("--spacy-base", default=_DEFAULTS.spacy_base, show_default=True,
              help=arg_help("spacy_base"))
@click.option("--seed", default=_DEFAULTS.seed, show_default=True, help=arg_help("seed"))
@click.option("--dev-share", default=_DEFAULTS.dev_share, show_default=True,
              help=arg_help("dev_share"))
@click.option("--test-share", default=_DEFAULTS.test_share, show_default=True,
              help=arg_help("test_share"))
@click.option("--rule-flag/--no-rule-flag", default=_DEFAULTS.rule_flag, show_default=True,
              help=arg_help("rule_flag"))
@click.option("--segment-kind/--no-segment-kind", default=_DEFAULTS.segment_kind,
              show_default=True, help=arg_help("segment_kind"))
@click.option("--epochs", default=_DEFAULTS.epochs, show_default=True, help=arg_help("epochs"))
@click.option("--patience", default=_DEFAULTS.patience, show_default=True,
              help=arg_help("patience"))
@click.option("--batch-size", default=_DEFAULTS.batch_size, show_default=True,
              help=arg_help("batch_size"))
@click.option("--learning-rate", "--lr", "learning_rate", default=_DEFAULTS.learning_rate,
              show_default=True, help=arg_help("learning_rate"))
@click.option("--positive-weight", default=_DEFAULTS.positive_weight, show_default=True,
              help=arg_help("positive_weight"))
@click.option("--negative-share", default=_DEFAULTS.negative_share, show_default=True,
              help=arg_help("negative_share"))
@click.option("--max-length", default=_DEFAULTS.max_length, show_default=True,
              help=arg_help("max_length"))
@click.option("--max-train-samples", type=int, default=None, help=arg_help("max_train_samples"))
@click.option("--max-steps", type=int, default=None, help=arg_help("max_steps"))
@click.option("--max-minutes", type=float, default=None, help=arg_help("max_minutes"))
@click.option("--device", default=None, help=arg_help("device"))
@click.option("--threads", type=int, default=None,
              help="CPU threads for torch (default: torch's choice).")
@click.option("--fp32", is_flag=True, help="Save the weights in full precision.")
@click.option("--name", default=None, help=arg_help("name"))
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or epoch lines.")
def command(gold, train_only, output_dir, base, spacy_base, seed, dev_share, test_share,
            rule_flag, segment_kind, epochs, patience, batch_size, learning_rate,
            positive_weight, negative_share, max_length, max_train_samples, max_steps,
            max_minutes, device, threads, fp32, name, quiet):
    """Fine-tune a transformer that classifies commitment candidates.

    GOLD: JSON Lines files of gold documents (FORMAT.md) with commitments.
    Writes the model, its tokenizer, training.json and a model card
    (README.md) to --output; use it with `commitments extract --model`.
    """
    from ..train.trainer import train

    if threads is not None:
        if threads < 1:
            raise click.BadParameter("must be at least 1", param_hint="--threads")
        import torch

        torch.set_num_threads(threads)
    args = TrainingArgs(
        gold=list(gold), train_only=list(train_only), output_dir=output_dir, base=base,
        spacy_base=spacy_base or None,
        seed=seed, dev_share=dev_share, test_share=test_share, rule_flag=rule_flag,
        segment_kind=segment_kind, epochs=epochs, patience=patience,
        batch_size=batch_size, learning_rate=learning_rate, positive_weight=positive_weight,
        negative_share=negative_share, max_length=max_length,
        max_train_samples=max_train_samples, max_steps=max_steps,
        max_minutes=max_minutes, device=device, fp16_weights=not fp32, name=name)
    log = (lambda msg: None) if quiet else (lambda msg: click.echo(msg, err=True))
    record = train(args, show_progress=not quiet, log=log)

    def fmt(x):
        return "n/a" if x is None else f"{x:.3f}"

    click.echo(f"model written to {output_dir} (best epoch {record['best_epoch']}, "
               f"threshold {record['threshold']}, {record['train_seconds']} s training)")
    for part in ("dev", "test_classifier_only"):
        figs = record.get(part)
        if figs:
            click.echo(f"{part.split('_')[0]}: commitments P {fmt(figs['commitments_p'])} "
                       f"R {fmt(figs['commitments_r'])} F1 {fmt(figs['commitments_f'])}, "
                       f"kind acc {fmt(figs['commitments_kind_acc'])}, "
                       f"modality acc {fmt(figs['commitments_modality_acc'])} (classifier alone)")
