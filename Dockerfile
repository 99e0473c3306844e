# syntax=docker/dockerfile:1
#
# EmbedServe service image, for linux/amd64 and linux/arm64.
#   build:    Maven on JDK 17 -> Spring Boot jar -> layers extracted with the Boot 4 jar tools
#   runtime:  Temurin JRE 17, non-root, DJL/PyTorch native libraries unpacked at build time,
#             so the container starts with no network and a read-only root filesystem.
#
#   docker build -t embedserve .                                    # this machine's architecture
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/embedserve:TAG --push .
#
# The model is not in this image: it is read from the hf_cache volume that model-init fills
# (Dockerfile.model), or from MODEL_PATH.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

# The build stage runs on the builder's own platform (no emulation: Java bytecode is the same
# everywhere) and puts the target's libtorch into the jar: .mvn/maven.config passes pom.xml the
# classifier for TARGETARCH, which BuildKit sets (to this machine's architecture unless --platform says).
FROM --platform=$BUILDPLATFORM ${MAVEN_IMAGE} AS build
ARG TARGETARCH
WORKDIR /build
RUN case "${TARGETARCH:-amd64}" in \
        amd64) classifier=linux-x86_64 ;; \
        arm64) classifier=linux-aarch64 ;; \
        *) echo "no PyTorch build for linux/${TARGETARCH}: EmbedServe's image is for amd64 and arm64" >&2; exit 1 ;; \
    esac \
 && mkdir .mvn && echo "-Dpytorch.native.classifier=${classifier}" > .mvn/maven.config
# Dependencies first: this layer is rebuilt only when pom.xml changes, not on every source edit.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests \
 && cp target/embedserve-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted \
 && mkdir -p extracted/dependencies extracted/spring-boot-loader \
             extracted/snapshot-dependencies extracted/application
# The warm-up class needs javac, which the JRE image lacks: compile it here against the same jars.
COPY docker/app/WarmDjl.java warm/
RUN javac -d warm/classes -cp 'extracted/dependencies/BOOT-INF/lib/*' warm/WarmDjl.java

FROM ${JRE_IMAGE}
# curl for the HEALTHCHECK: Temurin images no longer ship it, and a JVM-based probe would cost a
# JVM start (~100 ms CPU, tens of MB) inside the container's memory limit on every check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 embedserve \
 && useradd --system --uid 10001 --gid embedserve --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin embedserve

# DJL extracts its native libraries into DJL_CACHE_DIR (PyTorch into ENGINE_CACHE_DIR) on first
# use, defaulting to ~/.djl.ai. Both point at a directory filled at build time below.
# ai.djl.offline forbids any download. Heap is 30% of the container limit, not the usual 75%:
# the model's weights and activations live in PyTorch's native memory, outside the heap (at the
# default 5g limit: 1.5 GiB of heap, and both workers' worst batches of the default model fit the rest; the service
# checks that at start-up, io.embedserve.config.MemoryBudget). -XX:TieredStopAtLevel=1 (only the
# JIT's first tier) is copied from src/main/resources/io/embedserve/inference/jvm-options, which
# gives the reason; DockerfilesTest fails when the copy drifts.
# OMP_WAIT_POLICY=PASSIVE: OpenMP's default spin-waiting made forward passes 25-45x slower
# whenever request or tokenizer threads needed a CPU; GOMP_SPINCOUNT=30000 keeps a tenth of it, so
# that one sentence's operators need not wake the sleeping threads (45% faster). MALLOC_*: one
# glibc arena keeps freed buffers under 1 MiB for the next batch; larger ones go back to the system,
# since keeping them all grew the process without bound over batches of varied shapes
# (docs/PERFORMANCE.md, "Memory per batch"; io.embedserve.inference.TorchRuntime warns when these
# are missing). These five are copied from src/main/resources/io/embedserve/inference/
# native-environment.properties, their one source; DockerfilesTest fails when the copy drifts.
# LD_PRELOAD: the image allocates with jemalloc instead, where glibc's settings do
# not apply: with glibc's 1 MiB threshold the service page-faulted 8 million times in 45 s at 32
# clients and served 0.58x LangChain4j; jemalloc 0.82x, as fast as glibc keeping every buffer,
# and its memory stays bounded (docs/PERFORMANCE.md, "Allocator"). A name without a slash is
# looked up by the dynamic loader in the library directories of the image's own architecture
# (x86_64-linux-gnu or aarch64-linux-gnu), so one line serves both builds.
ENV DJL_CACHE_DIR=/opt/djl \
    OMP_WAIT_POLICY=PASSIVE \
    GOMP_SPINCOUNT=30000 \
    MALLOC_ARENA_MAX=1 \
    MALLOC_MMAP_THRESHOLD_=1048576 \
    MALLOC_TRIM_THRESHOLD_=1000000000 \
    LD_PRELOAD=libjemalloc.so.2 \
    ENGINE_CACHE_DIR=/opt/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Dai.djl.offline=true" \
    HF_HUB_CACHE=/data/hf_cache/hub \
    HF_HUB_OFFLINE=1 \
    PORT=8080 \
    MANAGEMENT_PORT=9000

WORKDIR /app
# Layers from least to most often changed, so a code change ships as a small layer.
COPY --from=build /build/extracted/dependencies/ ./
# Unpack the native libraries now, next to the dependency layer they come from, and prove they
# load and compute on this base image. The directory is root-owned: read-only for the app.
COPY --from=build /build/warm/classes /opt/djl-warm
RUN java -cp '/app/BOOT-INF/lib/*:/opt/djl-warm' WarmDjl \
 && chmod -R a+rX /opt/djl \
 && rm -rf /opt/djl-warm /tmp/*
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

USER 10001:10001
# 8080: the API. 9000: actuator (probes, health details, metrics): keep it off the public network.
EXPOSE 8080 9000
# Liveness and readiness, both on the management port: unhealthy when the process can no longer
# answer (a dead inference worker) as well as before the model is loaded and warmed. The start
# period covers loading a ~1 GB model on a small CPU.
HEALTHCHECK --interval=10s --timeout=3s --start-period=180s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/liveness" \
     && curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
