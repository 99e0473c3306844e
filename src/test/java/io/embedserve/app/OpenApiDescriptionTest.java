package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * /openapi.json against the running service: it lists exactly the routes the application maps,
 * every request example it documents gets the status it documents, and every request field it
 * documents is one the service reads.
 */
class OpenApiDescriptionTest extends RerankServiceTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode spec;

    @BeforeEach
    void readSpec() {
        HttpJson.Response response = http.get("/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        spec = response.json();
    }

    @Test
    void isOpenApi31AndListsExactlyTheMappedRoutes() {
        assertThat(spec.get("openapi").asString()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> documented.add(operation.getKey().toUpperCase() + " " + path.getKey())));
        assertThat(documented).isEqualTo(mappedRoutes());
    }

    /** Read at test time, so that a route added later must be documented too. */
    Set<String> mappedRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            // Ours only, and not the servlet container's error path: springdoc's own /openapi.json and
            // /error are not the API.
            Class<?> handler = mapping.getValue().getBeanType();
            if (!handler.getPackageName().startsWith("io.embedserve") || ErrorController.class.isAssignableFrom(handler)) {
                continue;
            }
            RequestMappingInfo info = mapping.getKey();
            assertThat(info.getMethodsCondition().getMethods()).as("HTTP methods of %s", info).isNotEmpty();
            for (String path : info.getPatternValues()) {
                info.getMethodsCondition().getMethods().forEach(method -> routes.add(method.name() + " " + path));
            }
        }
        assertThat(routes).isNotEmpty();
        return routes;
    }

    @Test
    void everyRequestExampleGetsItsDocumentedStatus() {
        List<String> checked = new ArrayList<>();
        forEachOperation((path, method, operation) -> {
            JsonNode examples = operation.path("requestBody").path("content").path("application/json").path("examples");
            examples.properties().forEach(example -> {
                String name = example.getKey();
                String expected = documentedStatus(operation, name);
                HttpJson.Response response = send(method, path, example.getValue().get("value"));
                assertThat(response.status()).as("%s %s, example %s: %s", method, path, name, brief(response))
                        .isEqualTo(Integer.parseInt(expected));
                JsonNode documentedBody = operation.get("responses").get(expected).path("content")
                        .path("application/json").path("examples").path(name).path("value");
                if (!documentedBody.isMissingNode()) {
                    assertThat(kindOf(response.json())).as("%s %s, example %s", method, path, name)
                            .isEqualTo(kindOf(documentedBody));
                }
                checked.add(method + " " + path + " " + name);
            });
        });
        assertThat(checked).as("request examples").hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void everyRouteWithoutABodyAnswersItsDocumented200() {
        forEachOperation((path, method, operation) -> {
            if (operation.has("requestBody")) {
                return;
            }
            assertThat(operation.get("responses").has("200")).as("%s %s", method, path).isTrue();
            assertThat(send(method, path, null).status()).as("%s %s", method, path).isEqualTo(200);
        });
    }

    /**
     * The controllers read raw JSON, so the request schemas only describe it. Each documented field
     * is sent with a value of the wrong type; the 422 must name it, which proves the service reads it.
     */
    @Test
    void everyDocumentedRequestFieldIsReadByTheService() {
        List<String> fields = new ArrayList<>();
        forEachOperation((path, method, operation) -> {
            JsonNode content = operation.path("requestBody").path("content").path("application/json");
            if (content.isMissingNode()) {
                return;
            }
            ObjectNode valid = (ObjectNode) firstSuccessfulExample(operation, content);
            for (List<String> field : fieldPaths(resolve(content.get("schema")), new ArrayList<>())) {
                ObjectNode body = valid.deepCopy();
                ObjectNode parent = body;
                for (String step : field.subList(0, field.size() - 1)) {
                    parent = parent.has(step) ? (ObjectNode) parent.get(step) : parent.putObject(step);
                }
                String leaf = field.get(field.size() - 1);
                JsonNode leafSchema = schemaAt(content.get("schema"), field);
                parent.set(leaf, isObjectSchema(leafSchema) ? JsonNodeFactory.instance.stringNode("x")
                        : JsonNodeFactory.instance.objectNode());
                HttpJson.Response response = send(method, path, body);
                assertThat(response.status()).as("%s %s with a wrong %s: %s", method, path, field, brief(response))
                        .isEqualTo(422);
                assertThat(response.body()).as("%s %s with a wrong %s", method, path, field).contains(leaf);
                fields.add(path + " " + String.join(".", field));
            }
        });
        assertThat(fields).as("documented request fields").contains("/embed inputs", "/similarity inputs.sentences",
                "/similarity parameters.truncation_direction", "/v1/embeddings encoding_format", "/decode ids");
    }

    interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    void forEachOperation(OperationVisitor visitor) {
        spec.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> visitor.visit(path.getKey(), operation.getKey().toUpperCase(), operation.getValue())));
    }

    /** The response whose examples include one named like the request example, else the only 2xx. */
    static String documentedStatus(JsonNode operation, String exampleName) {
        List<String> success = new ArrayList<>();
        for (Map.Entry<String, JsonNode> response : operation.get("responses").properties()) {
            if (response.getValue().path("content").path("application/json").path("examples").has(exampleName)) {
                return response.getKey();
            }
            if (response.getKey().startsWith("2")) {
                success.add(response.getKey());
            }
        }
        assertThat(success).as("2xx responses").hasSize(1);
        return success.get(0);
    }

    static JsonNode firstSuccessfulExample(JsonNode operation, JsonNode content) {
        for (Map.Entry<String, JsonNode> example : content.path("examples").properties()) {
            if (documentedStatus(operation, example.getKey()).startsWith("2")) {
                return example.getValue().get("value");
            }
        }
        throw new AssertionError("no request example that succeeds in " + operation.get("operationId"));
    }

    /** TEI's error_type, or OpenAI's error.code. */
    static String kindOf(JsonNode error) {
        return error.has("error_type") ? error.get("error_type").asString() : error.path("error").path("code").asString();
    }

    /** Every property path of an object schema, nested objects included ([inputs], [inputs, sentences], ...). */
    List<List<String>> fieldPaths(JsonNode schema, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        schema.path("properties").properties().forEach(property -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(property.getKey());
            paths.add(path);
            JsonNode resolved = resolve(property.getValue());
            if (isObjectSchema(resolved)) {
                paths.addAll(fieldPaths(resolved, path));
            }
        });
        return paths;
    }

    JsonNode schemaAt(JsonNode schema, List<String> path) {
        JsonNode current = resolve(schema);
        for (String step : path) {
            current = resolve(current.get("properties").get(step));
        }
        return current;
    }

    JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : spec.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    static boolean isObjectSchema(JsonNode schema) {
        return schema.has("properties");
    }

    static String brief(HttpJson.Response response) {
        String body = response.body();
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    HttpJson.Response send(String method, String path, JsonNode body) {
        return switch (method) {
            case "GET" -> http.get(path);
            case "POST" -> http.post(path, body.toString());
            default -> throw new AssertionError("no request example can be sent with " + method);
        };
    }
}
