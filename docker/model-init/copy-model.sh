#!/bin/sh
# model-init: publish the Hugging Face cache baked into this image into the hf_cache volume.
#
#   copy-model.sh [copy]    copy the model into $HF_HUB_CACHE unless that revision is already complete
#   copy-model.sh check     exit 0 when the revision in $HF_HUB_CACHE is complete, 1 otherwise
#   copy-model.sh manifest  (image build) write model.meta and model.manifest for $MODEL_SOURCE/hub
#
# An image may carry a reranker (a cross-encoder) beside the model, in $RERANK_MODEL_SOURCE with its
# own hub/, model.meta and model.manifest; each command then handles both, one after the other,
# with the same two promises.
#
# The volume holds the standard hub cache layout (models--org--name/{blobs,snapshots,refs}),
# so the service and huggingface_hub read it unchanged. Two promises:
#
# - Idempotent: a revision whose snapshot carries a `.complete` marker for this image's manifest
#   and whose files have the manifest's sizes is left alone (MODEL_INIT_VERIFY=sha256 re-hashes).
# - Atomic: files are staged inside the repository folder (same filesystem as the target, so
#   mv is rename(2)), hashed against the manifest written at build time, and only then
#   published: blobs one rename each (content-addressed, so a lone blob is harmless), the snapshot
#   directory in one rename, then refs/<name>, then the `.complete` marker. An interruption at any
#   point leaves either no snapshot or a fully verified one, and never a marker without refs.
#
# One model-init runs at a time (compose runs a single one-shot container); a rerun removes the
# staging folder a killed run left behind.
#
# Environment:
#   MODEL_SOURCE         folder with hub/, model.meta, model.manifest (default /opt/model-cache)
#   HF_HUB_CACHE         target hub cache (default $HF_HOME/hub, HF_HOME default ~/.cache/huggingface)
#   MODEL_ID, MODEL_REVISION
#                        at build time: what to describe; at run time, when set: must name what the
#                        image carries (the revision may be the commit or a ref the image recorded)
#   MODEL_REF            build time: the ref that also names the image's commit in the volume
#                        (default main, so that the service's default MODEL_REVISION finds it;
#                        empty: only the revision's own name, if it is one)
#   MODEL_INIT_VERIFY    size (default) or sha256: how an already published revision is re-checked
#   MODEL_REQUIRED_FILES files a snapshot must hold (build time; default: what the service reads)
#   MODEL_INIT_PAUSE_AT  test hook: staging | snapshot | refs - stop the process at that point
#   RERANK_MODEL_SOURCE  the reranker's folder (default $MODEL_SOURCE/rerank); absent: no reranker
#   RERANK_MODEL_ID, RERANK_MODEL_REVISION
#                        as MODEL_ID and MODEL_REVISION, for the reranker (build time: set the id to
#                        carry one; run time, when the id is set: the image must carry that reranker)
set -eu

PROG=model-init
MODEL_SOURCE=${MODEL_SOURCE:-/opt/model-cache}
META="$MODEL_SOURCE/model.meta"
MANIFEST="$MODEL_SOURCE/model.manifest"
STAGING_NAME=.model-init-staging
MARKER_NAME=.complete
DEFAULT_REQUIRED_FILES="config.json tokenizer.json modules.json sentence_bert_config.json 1_Pooling/config.json"
# The settings that name the model in messages (the reranker's are its own).
ID_SETTING=MODEL_ID
REVISION_SETTING=MODEL_REVISION

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

hub_cache() {
    if [ -n "${HF_HUB_CACHE:-}" ]; then
        printf '%s' "$HF_HUB_CACHE"
    elif [ -n "${HF_HOME:-}" ]; then
        printf '%s/hub' "$HF_HOME"
    else
        printf '%s/.cache/huggingface/hub' "${HOME:-/root}"
    fi
}

# huggingface_hub's folder name for a model repo: models--{org}--{name}
repo_folder() { printf 'models--%s' "$(printf '%s' "$1" | sed 's#/#--#g')"; }

is_commit() { printf '%s' "$1" | grep -Eq '^[0-9a-f]{40}$'; }

meta_value() { sed -n "s/^$1=//p" "$2" | tail -n 1; }

file_size() { echo $(($(wc -c <"$1"))); }

file_sha256() { sha256sum <"$1" | cut -d ' ' -f 1; }

pause_point() {
    if [ "${MODEL_INIT_PAUSE_AT:-}" = "$1" ]; then
        log "paused at $1 (MODEL_INIT_PAUSE_AT)"
        kill -STOP $$
    fi
}

# verify_tree ROOT MODE: every manifest entry exists under ROOT with its size (and hash for sha256).
verify_tree() {
    _root=$1
    _mode=$2
    _failed=0
    while read -r _sum _size _path; do
        _file="$_root/$_path"
        if [ ! -f "$_file" ]; then
            printf '%s: %s is missing\n' "$PROG" "$_path" >&2
            _failed=1
            continue
        fi
        _actual=$(file_size "$_file")
        if [ "$_actual" != "$_size" ]; then
            printf '%s: %s has %s bytes, the manifest says %s\n' "$PROG" "$_path" "$_actual" "$_size" >&2
            _failed=1
            continue
        fi
        if [ "$_mode" = sha256 ] && [ "$(file_sha256 "$_file")" != "$_sum" ]; then
            printf '%s: checksum mismatch for %s (expected sha256 %s)\n' "$PROG" "$_path" "$_sum" >&2
            _failed=1
        fi
    done <"$MANIFEST"
    return "$_failed"
}

load_meta() {
    if [ ! -f "$META" ] || [ ! -f "$MANIFEST" ]; then
        die "no model in this image: $META or $MANIFEST is missing (was the image built with 'copy-model.sh manifest'?)"
    fi
    SRC_MODEL_ID=$(meta_value model_id "$META")
    COMMIT=$(meta_value commit "$META")
    REFS=$(meta_value refs "$META")
    MANIFEST_SHA=$(file_sha256 "$MANIFEST")
    is_commit "$COMMIT" || die "$META names no valid commit: '$COMMIT'"

    if [ -n "${MODEL_ID:-}" ] && [ "$MODEL_ID" != "$SRC_MODEL_ID" ]; then
        die "this image carries $SRC_MODEL_ID but $ID_SETTING=$MODEL_ID; rebuild it (docker compose build model-init) with the same $ID_SETTING as the app"
    fi
    if [ -n "${MODEL_REVISION:-}" ] && [ "$MODEL_REVISION" != "$COMMIT" ]; then
        case " $REFS " in
            *" $MODEL_REVISION "*) ;;
            *) die "this image carries $SRC_MODEL_ID at $COMMIT${REFS:+ (refs: $REFS)} but $REVISION_SETTING=$MODEL_REVISION; rebuild it (docker compose build model-init) with the same $REVISION_SETTING as the app" ;;
        esac
    fi

    TARGET=$(hub_cache)
    FOLDER=$(repo_folder "$SRC_MODEL_ID")
    SRC_REPO="$MODEL_SOURCE/hub/$FOLDER"
    DST_REPO="$TARGET/$FOLDER"
    SNAPSHOT="$DST_REPO/snapshots/$COMMIT"
    MARKER="$SNAPSHOT/$MARKER_NAME"
}

refs_point_here() {
    for _ref in $REFS; do
        [ -f "$DST_REPO/refs/$_ref" ] && [ "$(cat "$DST_REPO/refs/$_ref")" = "$COMMIT" ] || return 1
    done
    return 0
}

# The revision is complete when the marker certifies this manifest, the refs point at it and
# the files check out.
is_complete() {
    [ -f "$MARKER" ] || return 1
    [ "$(meta_value manifest_sha256 "$MARKER")" = "$MANIFEST_SHA" ] || return 1
    refs_point_here || return 1
    verify_tree "$DST_REPO" "${MODEL_INIT_VERIFY:-size}"
}

# Atomic replace: write next to the final name, then rename over it.
write_file() {
    printf '%s' "$2" >"$1.tmp.$$"
    mv -f "$1.tmp.$$" "$1"
}

check_space() {
    _need_kb=$(awk '{ total += $2 } END { printf "%d", total / 1024 + 1 }' "$MANIFEST")
    _free_kb=$(df -Pk "$DST_REPO" | awk 'NR == 2 { print $4 }')
    if [ -n "$_free_kb" ] && [ "$_free_kb" -lt "$_need_kb" ]; then
        die "not enough space in $TARGET: the model needs ${_need_kb} KiB, ${_free_kb} KiB are free"
    fi
}

stage() {
    _staging="$DST_REPO/$STAGING_NAME"
    mkdir -p "$_staging/blobs" "$_staging/snapshots"
    if [ -d "$SRC_REPO/blobs" ]; then
        for _blob in "$SRC_REPO"/blobs/*; do
            [ -e "$_blob" ] || continue
            cp -P "$_blob" "$_staging/blobs/"
            pause_point staging
        done
    fi
    cp -RP "$SRC_REPO/snapshots/$COMMIT" "$_staging/snapshots/$COMMIT"
    chmod -R a+rX "$_staging"
    log "verifying the staged copy against the manifest"
    if ! verify_tree "$_staging" sha256; then
        rm -rf "$_staging"
        die "the staged copy does not match the manifest written at build time; nothing was published (rebuild the model-init image)"
    fi
    sync
}

publish() {
    _staging="$DST_REPO/$STAGING_NAME"
    for _blob in "$_staging"/blobs/*; do
        [ -e "$_blob" ] || continue
        mv -f "$_blob" "$DST_REPO/blobs/"
    done
    if [ -e "$SNAPSHOT" ]; then
        log "replacing $SNAPSHOT, which failed verification"
        mv "$SNAPSHOT" "$_staging/replaced-snapshot"
    fi
    mv "$_staging/snapshots/$COMMIT" "$SNAPSHOT"
}

finish() {
    pause_point snapshot
    for _ref in $REFS; do
        mkdir -p "$(dirname "$DST_REPO/refs/$_ref")"
        write_file "$DST_REPO/refs/$_ref" "$COMMIT"
    done
    pause_point refs
    sync
    write_file "$MARKER" "model_id=$SRC_MODEL_ID
commit=$COMMIT
refs=$REFS
manifest_sha256=$MANIFEST_SHA
completed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"
    sync
    rm -rf "${DST_REPO:?}/$STAGING_NAME"
}

cmd_copy() {
    load_meta
    if is_complete 2>/dev/null; then
        log "$SRC_MODEL_ID@$COMMIT is already complete in $TARGET; nothing copied"
        return 0
    fi
    mkdir -p "$DST_REPO/blobs" "$DST_REPO/snapshots" "$DST_REPO/refs" 2>/dev/null ||
        die "cannot create $DST_REPO as uid $(id -u): the hf_cache volume must be writable by model-init"
    if [ -e "$DST_REPO/$STAGING_NAME" ]; then
        log "removing $DST_REPO/$STAGING_NAME left by an interrupted copy"
        rm -rf "${DST_REPO:?}/$STAGING_NAME"
    fi

    # A snapshot without a valid marker is adopted only if every file hashes right
    # (a run killed between the snapshot rename and the marker); otherwise it is replaced.
    if [ -d "$SNAPSHOT" ] && verify_tree "$DST_REPO" sha256 2>/dev/null; then
        log "snapshot $COMMIT is already published and verified; finishing refs and marker"
    else
        check_space
        log "copying $SRC_MODEL_ID@$COMMIT into $TARGET"
        stage
        publish
    fi
    finish
    log "published $SRC_MODEL_ID@$COMMIT${REFS:+ (refs: $REFS)} in $TARGET"
}

cmd_check() {
    load_meta
    if is_complete; then
        log "$SRC_MODEL_ID@$COMMIT is complete in $TARGET"
    else
        log "$SRC_MODEL_ID@$COMMIT is not complete in $TARGET (run model-init)"
        return 1
    fi
}

cmd_manifest() {
    [ -n "${MODEL_ID:-}" ] || die "$ID_SETTING is not set"
    [ -n "${MODEL_REVISION:-}" ] || die "$REVISION_SETTING is not set"
    _repo="$MODEL_SOURCE/hub/$(repo_folder "$MODEL_ID")"
    [ -d "$_repo" ] || die "$_repo does not exist: download $MODEL_ID into $MODEL_SOURCE/hub first"
    if is_commit "$MODEL_REVISION"; then
        _commit=$MODEL_REVISION
        _refs=
    else
        [ -f "$_repo/refs/$MODEL_REVISION" ] || die "$_repo/refs/$MODEL_REVISION is missing"
        _commit=$(cat "$_repo/refs/$MODEL_REVISION")
        _refs=$MODEL_REVISION
    fi
    # The volume is this image's: its refs/$MODEL_REF names the commit the image carries, so that
    # a service left at the default MODEL_REVISION=main finds it.
    _ref=${MODEL_REF-main}
    case " $_refs " in
        *" $_ref "*) ;;
        *) _refs=${_refs:+$_refs }$_ref ;;
    esac
    _refs=$(printf '%s' "$_refs" | sed 's/^ *//; s/ *$//')
    _snapshot="$_repo/snapshots/$_commit"
    [ -d "$_snapshot" ] || die "$_snapshot does not exist"

    _missing=
    for _file in ${MODEL_REQUIRED_FILES:-$DEFAULT_REQUIRED_FILES}; do
        [ -f "$_snapshot/$_file" ] || _missing="$_missing $_file"
    done
    if [ ! -f "$_snapshot/model.safetensors" ] && [ ! -f "$_snapshot/model.safetensors.index.json" ]; then
        _missing="$_missing model.safetensors"
    fi
    [ -z "$_missing" ] || die "$MODEL_ID@$_commit lacks the files the service reads:$_missing"

    (cd "$_repo" && find "snapshots/$_commit" \( -type f -o -type l \) | LC_ALL=C sort) >"$MANIFEST.paths"
    if grep -q '[[:space:]]' "$MANIFEST.paths"; then
        die "file names with white space are not supported: $(grep '[[:space:]]' "$MANIFEST.paths" | head -n 1)"
    fi
    while read -r _path; do
        printf '%s %s %s\n' "$(file_sha256 "$_repo/$_path")" "$(file_size "$_repo/$_path")" "$_path"
    done <"$MANIFEST.paths" >"$MANIFEST"
    rm -f "$MANIFEST.paths"
    printf 'model_id=%s\ncommit=%s\nrefs=%s\n' "$MODEL_ID" "$_commit" "$_refs" >"$META"
    log "manifest for $MODEL_ID@$_commit: $(wc -l <"$MANIFEST" | tr -d ' ') files"
    cat "$MANIFEST"
}

# The reranker's turn: the same command on its own source, id and revision, in a subshell so that
# the model's settings stay as they were. A cross-encoder has no sentence-transformers files.
reranker() {
    (
        MODEL_SOURCE=$RERANK_MODEL_SOURCE
        META="$MODEL_SOURCE/model.meta"
        MANIFEST="$MODEL_SOURCE/model.manifest"
        MODEL_ID=${RERANK_MODEL_ID:-}
        MODEL_REVISION=${RERANK_MODEL_REVISION:-}
        MODEL_REQUIRED_FILES=${RERANK_MODEL_REQUIRED_FILES:-config.json tokenizer.json}
        ID_SETTING=RERANK_MODEL_ID
        REVISION_SETTING=RERANK_MODEL_REVISION
        "$@"
    )
}

# A reranker the app is told to load must be one the image carries; one the app does not name is
# still copied (it costs only space), as the model is whatever MODEL_ID says.
with_reranker() {
    if [ -f "$RERANK_MODEL_SOURCE/model.meta" ]; then
        reranker "$@"
    elif [ -n "${RERANK_MODEL_ID:-}" ]; then
        die "RERANK_MODEL_ID=$RERANK_MODEL_ID but this image carries no reranker; rebuild it (docker compose build model-init) with the same RERANK_MODEL_ID as the app"
    fi
}

RERANK_MODEL_SOURCE=${RERANK_MODEL_SOURCE:-$MODEL_SOURCE/rerank}

case "${1:-copy}" in
    # One statement each, never `a && b`: set -e does not apply inside the left side of an && list.
    copy)
        cmd_copy
        with_reranker cmd_copy
        ;;
    check)
        cmd_check
        with_reranker cmd_check
        ;;
    manifest)
        cmd_manifest
        if [ -n "${RERANK_MODEL_ID:-}" ]; then
            reranker cmd_manifest
        fi
        ;;
    -h | --help | help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (use copy, check or manifest)" ;;
esac
