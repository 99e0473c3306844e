package io.embedserve.api;

import io.embedserve.config.ServingProperties;
import io.embedserve.error.NotReadyException;
import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.EmbeddingService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * TEI's GET /info, GET /health, GET /ping (health again, at the path SageMaker probes) and GET /
 * (health again, or the playground for a browser). None
 * touches the inference queue: health reads a flag, so a busy model never makes the service look
 * dead. The OpenAPI description is in {@link TeiStatusApi}.
 */
@RestController
class TeiStatusController implements TeiStatusApi {

    private final EmbeddingService service;
    private final CrossEncoderService crossEncoders;
    private final ServingProperties limits;
    private final String version;

    TeiStatusController(EmbeddingService service, CrossEncoderService crossEncoders, ServingProperties limits,
            @Value("${embedserve.version:unknown}") String version) {
        this.service = service;
        this.crossEncoders = crossEncoders;
        this.limits = limits;
        this.version = version;
    }

    /**
     * 503 before the models are loaded: their facts are not known until then. TEI's fields describe
     * the embedding model, or the cross-encoder when it is the only model; a reranker beside the
     * embedding model is "rerank_model".
     */
    @GetMapping("/info")
    @Override
    public TeiInfo info() {
        if (!service.served()) {
            return TeiInfo.of(crossEncoders.info(), limits, version);
        }
        return TeiInfo.of(service.info(), crossEncoders.served() ? crossEncoders.info() : null, limits, version);
    }

    /** 200 with an empty body once every model answers, as TEI; 503 "Unhealthy" before. */
    @GetMapping("/health")
    @Override
    public ResponseEntity<Void> health() {
        if (!service.isReady() || !crossEncoders.isReady()) {
            throw new NotReadyException("unhealthy: the model is not loaded yet");
        }
        return ResponseEntity.ok().build();
    }

    /** SageMaker checks a container with GET /ping; TEI answers it as /health, and so does this. */
    @GetMapping("/ping")
    @Override
    public ResponseEntity<Void> ping() {
        return health();
    }

    /** Exactly /health's status and body unless the client asked for HTML ({@link PlaygroundPage}). */
    @GetMapping("/")
    @Override
    public ResponseEntity<?> root(HttpServletRequest request, HttpServletResponse response) {
        // Set before health() can throw, so that caches keep the page and the probe answer apart.
        response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (PlaygroundPage.wanted(request.getHeader(HttpHeaders.ACCEPT))) {
            return PlaygroundPage.response();
        }
        return health();
    }
}
