"""Image build step: fetch only the files EmbedServe reads into a Hugging Face hub cache.

Uses the official huggingface_hub client so the result is the standard cache layout
(blobs/, snapshots/<commit>/ symlinks, refs/<name>) that the service and any Hugging Face
tool read unchanged. ONNX, OpenVINO and pytorch_model.bin weights are never fetched.
"""

import os

from huggingface_hub import snapshot_download

# What the service reads (design.md section 1); sharded safetensors are allowed for larger models.
ALLOW_PATTERNS = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "model.safetensors",
    "model.safetensors.index.json",
    "model-*-of-*.safetensors",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
]


def main() -> None:
    model_id = os.environ["MODEL_ID"]
    revision = os.environ["MODEL_REVISION"]
    cache_dir = os.path.join(os.environ["MODEL_SOURCE"], "hub")
    path = snapshot_download(
        repo_id=model_id,
        revision=revision,
        cache_dir=cache_dir,
        allow_patterns=ALLOW_PATTERNS,
    )
    print(f"downloaded {model_id}@{revision} into {path}")


if __name__ == "__main__":
    main()
