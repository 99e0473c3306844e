package io.embedserve.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;

/** The OpenAPI description of {@link TeiStatusController}; its 503s come from {@link ErrorResponses}. */
@Tag(name = "TEI")
interface TeiStatusApi {

    @Operation(summary = "Describe the model and the limits", description = "TEI's info document. The vector"
            + " size is not in it (TEI's has none): it is the length of any /embed answer.")
    TeiInfo info();

    @Operation(summary = "Health", description = "200 once the model answers; never waits behind inference.")
    @ApiResponse(responseCode = "200", description = "Healthy; the body is empty", content = @Content)
    @SecurityRequirements
    ResponseEntity<Void> health();

    @Operation(summary = "Health, as SageMaker asks for it", description = "The same status and body as GET"
            + " /health: SageMaker probes a container at /ping, next to the /invocations route.")
    @ApiResponse(responseCode = "200", description = "Healthy; the body is empty", content = @Content)
    @SecurityRequirements
    ResponseEntity<Void> ping();

    @Operation(summary = "Health, or the playground for a browser", description = "TEI answers GET / as its"
            + " health route, and so does this for every request that does not name text/html in Accept: the"
            + " same status and body as GET /health. A browser (Accept: text/html) gets the playground page.")
    @ApiResponse(responseCode = "200", description = "Healthy (empty body), or the playground page",
            content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
    @SecurityRequirements
    ResponseEntity<?> root(HttpServletRequest request, HttpServletResponse response);
}
